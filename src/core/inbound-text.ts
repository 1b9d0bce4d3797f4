/**
 * The one rule for how much of a resident's text Dajeong keeps and analyses: the first 4,000
 * characters (the app API's own limit), on every channel. Platforms allow far more (Bot Framework
 * took 100,000 characters), and every step after storage — masking, the crisis lexicon, the
 * classifier, the console — would otherwise pay for all of it. A cut text ends with a marker so
 * counselors see that the resident wrote more.
 */
import type { MessageContent } from './message';

/** Characters (Unicode code points) of inbound text kept and analysed. */
export const MAX_INBOUND_TEXT = 4000;
/** Appended to a text that was cut, so a reader knows there was more. */
export const CUT_MARKER = ' […]';

/** The content with its text cut to MAX_INBOUND_TEXT code points (never splitting a surrogate pair). */
export function capInboundText(content: MessageContent): MessageContent {
  const text = content.text;
  // Cheap test first: UTF-16 length is at least the code-point count.
  if (text === undefined || text.length <= MAX_INBOUND_TEXT) return content;
  const points = Array.from(text.slice(0, MAX_INBOUND_TEXT * 2));
  if (points.length <= MAX_INBOUND_TEXT) return content;
  return { ...content, text: points.slice(0, MAX_INBOUND_TEXT).join('') + CUT_MARKER };
}
