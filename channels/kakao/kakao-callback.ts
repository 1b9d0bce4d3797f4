/**
 * Posting the late answer to Kakao's callback URL: single use, valid for one minute from the
 * request. Retryable failures (network, 5xx, 429) are retried with backoff until the deadline.
 */
import type { DajeongError } from '../../src/core/errors';
import { describeBody, requestJson } from '../shared/http-client';
import { isSendFailure, parseRetryAfter, sendFailure } from '../shared/send-errors';
import type { KakaoTemplate } from './kakao-render';

/** Kakao's answer to a callback POST. */
interface CallbackAnswer {
  taskId?: string;
  status?: string;
  message?: string | null;
}

/**
 * POSTs the answer; resolves when Kakao accepted it.
 * @throws DajeongError('channel_send_failed') when it was refused or the deadline passed.
 */
export async function postCallback(
  url: string,
  template: KakaoTemplate,
  deadline: number,
  sleep = defaultSleep,
): Promise<void> {
  let delay = 200;
  for (let attempt = 1; ; attempt++) {
    let error: DajeongError;
    try {
      const res = await requestJson('kakao', url, {
        body: { version: '2.0', template },
        timeoutMs: Math.max(1000, Math.min(10_000, deadline - Date.now())),
      });
      const answer = (res.body ?? {}) as CallbackAnswer;
      if (
        res.status >= 200 &&
        res.status < 300 &&
        (answer.status === undefined || answer.status === 'SUCCESS')
      )
        return;
      error = sendFailure(
        'kakao',
        res.status,
        `callback ${answer.status ?? ''} ${answer.message ?? describeBody(res.body)}`.trim(),
        {
          retryAfterMs: parseRetryAfter(res.headers.get('retry-after')),
          // Kakao answers 200 with status FAIL for a used or expired callback: never retry that.
          ...(res.status < 300 && { retryable: false }),
        },
      );
    } catch (err) {
      if (!isSendFailure(err)) throw err;
      error = err;
    }
    const retryAfter = error.details?.retryAfterMs ?? 0;
    const wait = Math.max(delay, retryAfter);
    if (!error.retryable || Date.now() + wait >= deadline) throw error;
    await sleep(wait);
    delay = Math.min(delay * 2, 5000);
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
