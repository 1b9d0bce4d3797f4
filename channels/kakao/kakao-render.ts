/**
 * Canonical messages to one Kakao skill response (also the body POSTed to a callback URL):
 * `{version: "2.0", template: {outputs: [1-3 components], quickReplies: [<=10]}}` with simpleText
 * (<=1000 characters), simpleImage and listCard (links) components, quick-reply labels <=14.
 */
import type { ChannelCapabilities } from '../../src/core/channel-port';
import type { Message, QuickReply } from '../../src/core/message';
import type { Translate } from '../../src/core/text-port';
import { planOutbound } from '../shared/outbound-plan';
import { truncateText } from '../shared/text-split';

const LINKS_TITLE = 'resident.kakao.linksTitle';

export const KAKAO_LIMITS = {
  outputs: 3,
  simpleText: 1000,
  quickReplies: 10,
  quickReplyLabel: 14,
  listItems: 5,
  listItemTitle: 50,
} as const;

/** Payloads of the adapter's own buttons; answered by the adapter without a bot turn. */
export const KAKAO_CHECK_PAYLOAD = 'kakao:check_replies';

export const KAKAO_CAPABILITIES: ChannelCapabilities = {
  maxTextLength: KAKAO_LIMITS.simpleText,
  maxQuickReplies: KAKAO_LIMITS.quickReplies,
  maxButtonLabel: KAKAO_LIMITS.quickReplyLabel,
  images: true,
  // Kakao answers requests only: undelivered messages go out in the answer to the next request.
  delivery: 'pull',
};

export type KakaoOutput =
  | { simpleText: { text: string } }
  | { simpleImage: { imageUrl: string; altText: string } }
  | { listCard: { header: { title: string }; items: { title: string; link: { web: string } }[] } };

export interface KakaoQuickReply {
  label: string;
  action: 'message';
  messageText: string;
  extra?: { payload: string };
}

export interface KakaoTemplate {
  outputs: KakaoOutput[];
  quickReplies?: KakaoQuickReply[];
}

export interface KakaoRendering {
  template: KakaoTemplate;
  /** The messages this template shows (possibly truncated); the rest wait for "next reply". */
  delivered: Message[];
}

/**
 * Packs as many whole messages as fit in three outputs, oldest first. A single message needing
 * more than three is truncated (its last shown text ends with "…"). When messages remain, a
 * "next reply" button comes first; the last shown message's quick replies follow.
 * `fallbackText` is shown when there is nothing to deliver (Kakao needs at least one output).
 */
export function renderKakao(
  messages: Message[],
  translate: Translate,
  language: string,
  fallbackText: string,
  extraButtons: QuickReply[] = [],
): KakaoRendering {
  const outputs: KakaoOutput[] = [];
  const delivered: Message[] = [];
  let replies: QuickReply[] = [];
  for (const message of messages) {
    const components = componentsOf(message, translate(LINKS_TITLE, language));
    if (outputs.length + components.length <= KAKAO_LIMITS.outputs) {
      outputs.push(...components);
    } else if (outputs.length === 0) {
      outputs.push(...truncateComponents(components));
    } else break;
    delivered.push(message);
    replies = message.content.quickReplies ?? [];
  }
  if (!outputs.length)
    outputs.push({ simpleText: { text: truncateText(fallbackText, KAKAO_LIMITS.simpleText) } });
  const more =
    delivered.length < messages.length
      ? [{ label: translate('resident.button.nextReply', language), payload: KAKAO_CHECK_PAYLOAD }]
      : [];
  const quickReplies = [...more, ...replies, ...extraButtons]
    .slice(0, KAKAO_LIMITS.quickReplies)
    .map(toQuickReply);
  return { template: { outputs, ...(quickReplies.length && { quickReplies }) }, delivered };
}

function componentsOf(message: Message, linksTitle: string): KakaoOutput[] {
  const parts = planOutbound(
    { ...message.content, quickReplies: undefined },
    {
      maxTextLength: KAKAO_LIMITS.simpleText,
      maxQuickReplies: 0,
      maxButtonLabel: KAKAO_LIMITS.listItemTitle,
      maxLinkButtons: KAKAO_LIMITS.listItems,
      images: true,
    },
  );
  const out: KakaoOutput[] = [];
  for (const part of parts) {
    if (part.kind === 'image') {
      out.push({
        simpleImage: { imageUrl: part.image.url, altText: truncateText(part.image.caption ?? 'image', 50) },
      });
      continue;
    }
    out.push({ simpleText: { text: part.text } });
    if (part.links.length) {
      out.push({
        listCard: {
          header: { title: linksTitle },
          items: part.links.map((l) => ({ title: l.title, link: { web: l.url } })),
        },
      });
    }
  }
  return out;
}

/** Keeps the first three components, marking the cut on the last text shown. */
function truncateComponents(components: KakaoOutput[]): KakaoOutput[] {
  const kept = components.slice(0, KAKAO_LIMITS.outputs);
  for (let i = kept.length - 1; i >= 0; i--) {
    const c = kept[i]!;
    if ('simpleText' in c) {
      kept[i] = { simpleText: { text: truncateText(`${c.simpleText.text} …`, KAKAO_LIMITS.simpleText) } };
      break;
    }
  }
  return kept;
}

function toQuickReply(q: QuickReply): KakaoQuickReply {
  // Pressing sends messageText as the utterance, so it keeps the full label; extra carries the payload.
  return {
    label: truncateText(q.label, KAKAO_LIMITS.quickReplyLabel),
    action: 'message',
    messageText: q.label,
    extra: { payload: q.payload },
  };
}
