/** Canonical outbound messages to Telegram Bot API calls (sendMessage / sendPhoto). */
import type { InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup } from 'telegraf/types';
import type { ChannelCapabilities } from '../../src/core/channel-port';
import { partsOf, type MessageContent } from '../../src/core/message';
import { planOutbound, type PlanLimits } from '../shared/outbound-plan';
import { utf8Length } from '../shared/text-split';
import { TELEGRAM_FILE_PREFIX } from './telegram-to-canonical';

/** Telegram's documented limits. */
export const TELEGRAM_LIMITS = {
  text: 4096,
  caption: 1024,
  /** callback_data is 1-64 bytes. */
  callbackData: 64,
} as const;

export const TELEGRAM_CAPABILITIES: ChannelCapabilities = {
  maxTextLength: TELEGRAM_LIMITS.text,
  maxQuickReplies: 10,
  maxButtonLabel: 40,
  images: true,
  delivery: 'push',
};

export type TelegramCall =
  | { method: 'sendMessage'; text: string; replyMarkup?: InlineKeyboardMarkup | ReplyKeyboardMarkup }
  | { method: 'sendPhoto'; photo: string; caption?: string };

/**
 * Plans the Bot API calls for one message. Quick replies become inline buttons carrying the payload
 * as callback_data; when a payload is longer than Telegram's 64 bytes they become a one-time reply
 * keyboard instead (pressing sends the label as text, which the NLU understands).
 */
export function renderTelegram(content: MessageContent): TelegramCall[] {
  const parts = partsOf(content);
  const longPayload = (parts.quickReplies ?? []).some(
    (q) => utf8Length(q.payload) > TELEGRAM_LIMITS.callbackData,
  );
  const limits: PlanLimits = {
    maxTextLength: TELEGRAM_LIMITS.text,
    maxQuickReplies: TELEGRAM_CAPABILITIES.maxQuickReplies,
    maxButtonLabel: TELEGRAM_CAPABILITIES.maxButtonLabel,
    // A reply keyboard cannot carry URL buttons; the links then go into the text.
    maxLinkButtons: longPayload ? 0 : 5,
    images: true,
    maxCaptionLength: TELEGRAM_LIMITS.caption,
  };
  return planOutbound(parts, limits).map((part): TelegramCall => {
    if (part.kind === 'image') {
      const { url, caption } = part.image;
      const photo = url.startsWith(TELEGRAM_FILE_PREFIX) ? url.slice(TELEGRAM_FILE_PREFIX.length) : url;
      return { method: 'sendPhoto', photo, caption };
    }
    const call: TelegramCall = { method: 'sendMessage', text: part.text };
    if (longPayload && part.quickReplies.length) {
      call.replyMarkup = {
        keyboard: part.quickReplies.map((q) => [{ text: q.label }]),
        one_time_keyboard: true,
        resize_keyboard: true,
      };
    } else if (part.quickReplies.length || part.links.length) {
      const rows: InlineKeyboardButton[][] = [
        ...part.quickReplies.map((q) => [{ text: q.label, callback_data: q.payload }]),
        ...part.links.map((l) => [{ text: l.title, url: l.url }]),
      ];
      call.replyMarkup = { inline_keyboard: rows };
    }
    return call;
  });
}
