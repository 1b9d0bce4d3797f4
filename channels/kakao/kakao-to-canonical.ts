/** Kakao i Open Builder skill requests: validation and mapping to the canonical inbound message. */
import { z } from 'zod';
import type { InboundMessage } from '../../src/core/message';

/** The parts of a skill request we read (Kakao sends more: intent, contexts, params...). */
export const kakaoRequestSchema = z.object({
  userRequest: z.object({
    utterance: z.string(),
    lang: z.string().nullish(),
    timezone: z.string().nullish(),
    callbackUrl: z.string().url().nullish(),
    user: z.object({
      id: z.string().min(1),
      type: z.string().optional(),
      properties: z.record(z.string(), z.unknown()).nullish(),
    }),
    block: z.object({ id: z.string(), name: z.string().optional() }).partial().nullish(),
  }),
  bot: z.object({ id: z.string(), name: z.string().optional() }).partial().nullish(),
  action: z
    .object({
      id: z.string().optional(),
      name: z.string().optional(),
      params: z.record(z.string(), z.unknown()).nullish(),
      clientExtra: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
});
export type KakaoRequest = z.infer<typeof kakaoRequestSchema>;

/** The button payload a quick reply carried back (we put it in `extra`, Kakao returns it as clientExtra). */
export function kakaoPayload(request: KakaoRequest): string | undefined {
  const payload = request.action?.clientExtra?.payload;
  return typeof payload === 'string' ? payload : undefined;
}

/** Two-letter language of the request ('ko' when Kakao does not say). */
export function kakaoLanguage(request: KakaoRequest): string {
  return (request.userRequest.lang ?? 'ko').slice(0, 2).toLowerCase();
}

/** The canonical inbound message; Kakao has no message id, so the caller supplies one for dedupe. */
export function kakaoToCanonical(request: KakaoRequest, channelMessageId: string): InboundMessage {
  const payload = kakaoPayload(request);
  return {
    channel: 'kakao',
    externalUserId: request.userRequest.user.id,
    channelMessageId,
    content: payload ? { kind: 'button', text: request.userRequest.utterance, payload } : { kind: 'text', text: request.userRequest.utterance },
    locale: request.userRequest.lang ?? undefined,
    sentAt: new Date(),
  };
}
