/** A small JSON-over-HTTP call for platforms without an SDK client (Messenger, Kakao callbacks). */
import { networkFailure } from './send-errors';

export interface JsonResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON (e.g. a proxy's HTML error page). */
  body: unknown;
}

export interface JsonRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  body?: unknown;
  /** Gives up after this long (default 10 s) so a stuck platform cannot stall the outbox. */
  timeoutMs?: number;
}

/**
 * Sends a JSON request and returns the answer whatever its status; only a transport failure
 * throws (as a retryable channel_send_failed), so callers classify platform errors themselves.
 */
export async function requestJson(
  platform: string,
  url: string,
  request: JsonRequest = {},
): Promise<JsonResponse> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: request.method ?? 'POST',
      headers: {
        accept: 'application/json',
        ...(request.body !== undefined && { 'content-type': 'application/json' }),
        ...request.headers,
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(request.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw networkFailure(platform, err);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw networkFailure(platform, err);
  }
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text for the error message.
  }
  return { status: res.status, headers: res.headers, body };
}

/** A short, log-safe description of an error body. */
export function describeBody(body: unknown, max = 300): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
