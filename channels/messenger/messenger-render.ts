/** Canonical outbound messages to Send API `message` objects (text, quick replies, images, link buttons). */
import type { ChannelCapabilities } from '../../src/core/channel-port';
import { partsOf, type MessageContent } from '../../src/core/message';
import { planOutbound } from '../shared/outbound-plan';
import { truncateText } from '../shared/text-split';
import { HUMAN_AGENT_WINDOW_HOURS, STANDARD_WINDOW_HOURS } from './messenger-window';

/** Send API limits. */
export const MESSENGER_LIMITS = {
  text: 2000,
  quickReplies: 13,
  quickReplyTitle: 20,
  /** Button template: text up to 640 characters, 1-3 buttons. */
  templateText: 640,
  templateButtons: 3,
  buttonTitle: 20,
} as const;

export const MESSENGER_CAPABILITIES: ChannelCapabilities = {
  maxTextLength: MESSENGER_LIMITS.text,
  maxQuickReplies: MESSENGER_LIMITS.quickReplies,
  maxButtonLabel: MESSENGER_LIMITS.quickReplyTitle,
  images: true,
  delivery: 'push',
  replyWindowHours: STANDARD_WINDOW_HOURS,
  humanReplyWindowHours: HUMAN_AGENT_WINDOW_HOURS,
};

/** The `message` field of one Send API call. */
export type MessengerMessage =
  | { text: string; quick_replies?: MessengerQuickReply[] }
  | {
      attachment: { type: 'image'; payload: { url: string; is_reusable: boolean } };
      quick_replies?: MessengerQuickReply[];
    }
  | {
      attachment: {
        type: 'template';
        payload: {
          template_type: 'button';
          text: string;
          buttons: { type: 'web_url'; url: string; title: string }[];
        };
      };
      quick_replies?: MessengerQuickReply[];
    };

export interface MessengerQuickReply {
  content_type: 'text';
  title: string;
  payload: string;
}

/**
 * Plans the Send API messages for one canonical message. Links become a button template
 * (whose text may hold only 640 characters, so a longer text goes first as its own message).
 */
export function renderMessenger(content: MessageContent): MessengerMessage[] {
  const parts = planOutbound(partsOf(content), {
    maxTextLength: MESSENGER_LIMITS.text,
    maxQuickReplies: MESSENGER_LIMITS.quickReplies,
    maxButtonLabel: MESSENGER_LIMITS.quickReplyTitle,
    maxLinkButtons: MESSENGER_LIMITS.templateButtons,
    images: true,
  });
  const out: MessengerMessage[] = [];
  for (const part of parts) {
    if (part.kind === 'image') {
      out.push({ attachment: { type: 'image', payload: { url: part.image.url, is_reusable: true } } });
      continue;
    }
    const quick = part.quickReplies.length
      ? {
          quick_replies: part.quickReplies.map((q): MessengerQuickReply => ({
            content_type: 'text',
            title: q.label,
            payload: q.payload,
          })),
        }
      : {};
    if (!part.links.length) {
      out.push({ text: part.text, ...quick });
      continue;
    }
    let templateText = part.text;
    if (part.text.length > MESSENGER_LIMITS.templateText) {
      out.push({ text: part.text });
      templateText = truncateText(part.links.map((l) => l.title).join(', '), MESSENGER_LIMITS.templateText);
    }
    out.push({
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text: templateText,
          buttons: part.links.map((l) => ({
            type: 'web_url',
            url: l.url,
            title: truncateText(l.title, MESSENGER_LIMITS.buttonTitle),
          })),
        },
      },
      ...quick,
    });
  }
  return out;
}
