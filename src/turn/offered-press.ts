/**
 * Typed text that repeats a button the bot is offering counts as pressing it: on channels without
 * buttons (SMS-like, a reply keyboard that sends the label, a resident who types "사진 없음"), the
 * words must mean what the button means, not be classified afresh (a label read as free text once
 * started the crisis protocol and switched the language).
 */
import type { Message, QuickReply } from '../core/message';
import type { MessageStore } from '../core/store-port';

/** How far back the bot's last message is looked for. */
const LOOK_BACK = 20;

/** Case, spacing, and trailing punctuation or emoji do not matter: "no photo!" is "No photo". */
export function normalizeLabel(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** The buttons under the bot's newest message before `message`, if any. */
export async function offeredButtons(messages: Pick<MessageStore, 'listByConversation'>, message: Message): Promise<QuickReply[]> {
  const recent = await messages.listByConversation(message.conversationId, { afterSeq: Math.max(0, message.seq - LOOK_BACK) });
  const before = recent.filter((m) => m.seq < message.seq && m.direction === 'outbound' && !m.flags?.internal);
  const last = before.at(-1);
  return last?.content.kind === 'text' ? (last.content.quickReplies ?? []) : [];
}

/**
 * The message as a button press when its text equals (normalised) a label of the buttons currently
 * offered; the message itself otherwise. The stored message is not changed.
 */
export async function asOfferedPress(messages: Pick<MessageStore, 'listByConversation'>, message: Message): Promise<Message> {
  if (message.content.kind !== 'text' || message.direction !== 'inbound') return message;
  const typed = normalizeLabel(message.content.text);
  if (!typed || typed.length > 40) return message;
  const match = (await offeredButtons(messages, message)).find((b) => normalizeLabel(b.label) === typed);
  return match ? { ...message, content: { kind: 'button', payload: match.payload, text: message.content.text } } : message;
}
