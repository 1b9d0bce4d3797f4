/**
 * Telegram updates to the canonical inbound message. Platform types stop here.
 * Handles text, photos (largest size), locations and callback queries from inline buttons;
 * other message kinds still reach the conversation (with their caption) so nobody is dropped.
 */
import type { Message as TgMessage, Update } from 'telegraf/types';
import { contentOf, type ContentParts, type InboundMessage, type MessageContent } from '../../src/core/message';

/** Photos are referenced by file id: a download URL would embed the bot token in our database. */
export const TELEGRAM_FILE_PREFIX = 'telegram-file:';

/** Result of reading an update: an inbound message, or why it was skipped. */
export type TelegramParse = { inbound: InboundMessage; callbackQueryId?: string } | { skip: string };

/** Reads one update. */
export function telegramToCanonical(update: Update): TelegramParse {
  if ('message' in update) return fromMessage(update.message);
  if ('callback_query' in update) {
    const q = update.callback_query;
    const chat = q.message && 'chat' in q.message ? q.message.chat : undefined;
    if (!('data' in q) || q.data === undefined) return { skip: 'callback query without data (game)' };
    if (chat && chat.type !== 'private') return { skip: `callback from a ${chat.type} chat` };
    return {
      callbackQueryId: q.id,
      inbound: {
        channel: 'telegram',
        externalUserId: String(chat?.id ?? q.from.id),
        channelMessageId: `cb:${q.id}`,
        content: { kind: 'button', text: buttonLabel(q.message, q.data) ?? q.data, payload: q.data },
        locale: q.from.language_code,
        sentAt: new Date(),
      },
    };
  }
  return {
    skip: `update type ${
      Object.keys(update)
        .filter((k) => k !== 'update_id')
        .join(',') || 'unknown'
    }`,
  };
}

function fromMessage(message: TgMessage): TelegramParse {
  if (message.chat.type !== 'private') return { skip: `message in a ${message.chat.type} chat` };
  if (message.from?.is_bot) return { skip: 'message from a bot' };
  const content = messageContent(message);
  return {
    inbound: {
      channel: 'telegram',
      externalUserId: String(message.chat.id),
      // message_id is unique per chat only.
      channelMessageId: `${message.chat.id}:${message.message_id}`,
      content,
      locale: message.from?.language_code,
      sentAt: new Date(message.date * 1000),
    },
  };
}

function messageContent(message: TgMessage): MessageContent {
  return contentOf(messageParts(message));
}

function messageParts(message: TgMessage): ContentParts {
  if ('text' in message) return { text: message.text };
  const caption = 'caption' in message ? message.caption : undefined;
  if ('photo' in message) {
    // Telegram lists the sizes smallest first; the last is the largest.
    const largest = message.photo[message.photo.length - 1];
    return {
      text: caption,
      images: largest
        ? [{ url: `${TELEGRAM_FILE_PREFIX}${largest.file_id}`, mimeType: 'image/jpeg', caption }]
        : [],
    };
  }
  // A venue is a location message with a name and address, so test it first.
  if ('venue' in message) {
    const { venue } = message;
    return {
      location: {
        latitude: venue.location.latitude,
        longitude: venue.location.longitude,
        address: venue.address,
      },
    };
  }
  if ('location' in message) {
    return { location: { latitude: message.location.latitude, longitude: message.location.longitude } };
  }
  if ('sticker' in message) return { text: message.sticker.emoji ?? '' };
  if ('contact' in message) return { text: message.contact.phone_number };
  return { text: caption ?? '' };
}

/** The label of the inline button whose callback_data was pressed, for the transcript. */
function buttonLabel(message: unknown, data: string): string | undefined {
  const markup = (
    message as
      { reply_markup?: { inline_keyboard?: { text: string; callback_data?: string }[][] } } | undefined
  )?.reply_markup;
  for (const row of markup?.inline_keyboard ?? []) {
    for (const button of row) if (button.callback_data === data) return button.text;
  }
  return undefined;
}
