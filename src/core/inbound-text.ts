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

/** The text cut to MAX_INBOUND_TEXT code points (never splitting a surrogate pair), or itself. */
function capText(text: string): string {
  // Cheap test first: UTF-16 length is at least the code-point count.
  if (text.length <= MAX_INBOUND_TEXT) return text;
  const points = Array.from(text.slice(0, MAX_INBOUND_TEXT * 2));
  if (points.length <= MAX_INBOUND_TEXT) return text;
  return points.slice(0, MAX_INBOUND_TEXT).join('') + CUT_MARKER;
}

/** The content with its words (text, caption or a button's label) cut to MAX_INBOUND_TEXT code points. */
export function capInboundText(content: MessageContent): MessageContent {
  switch (content.kind) {
    case 'text':
    case 'button':
      return capText(content.text) === content.text ? content : { ...content, text: capText(content.text) };
    case 'location':
      return content.text === undefined || capText(content.text) === content.text ? content : { ...content, text: capText(content.text) };
    case 'image':
      return content.caption === undefined || capText(content.caption) === content.caption ? content : { ...content, caption: capText(content.caption) };
  }
}
