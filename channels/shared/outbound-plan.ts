/**
 * Rich-to-plain fallback, done once for every adapter: turns a canonical message into the ordered
 * parts a platform can show natively, folding whatever it cannot show (too many buttons, link
 * buttons, images) into text, then splitting text to the platform's length limit.
 * Each adapter then renders these parts to its own wire format.
 */
import type { ContentParts, ImageRef, LinkRef, QuickReply } from '../../src/core/message';
import { splitText, truncateText } from './text-split';

/** What one platform message can hold natively. */
export interface PlanLimits {
  maxTextLength: number;
  /** Quick-reply buttons shown natively (0 = list them in the text). */
  maxQuickReplies: number;
  maxButtonLabel: number;
  /** Link buttons shown natively per message (0 = links become text lines). */
  maxLinkButtons: number;
  /** False = images become text lines with their URL. */
  images: boolean;
  /** Longest image caption; a longer caption is sent as text instead. */
  maxCaptionLength?: number;
}

/** One platform message to send, in order. Buttons ride on the last text part. */
export type OutboundPart =
  | { kind: 'text'; text: string; quickReplies: QuickReply[]; links: LinkRef[] }
  | { kind: 'image'; image: ImageRef };

/** Text used when a platform needs text to carry buttons but the message has none. */
export const BUTTON_ONLY_TEXT = '…';

/**
 * Plans the parts for one message (its content as parts: `partsOf(message.content)`). Images come first so the buttons end up on the last message
 * (Messenger hides quick replies once a later message arrives). Returns [] for empty content.
 */
export function planOutbound(content: ContentParts, limits: PlanLimits): OutboundPart[] {
  const parts: OutboundPart[] = [];
  const extraLines: string[] = [];

  for (const image of content.images ?? []) {
    if (!limits.images) {
      extraLines.push(`${image.caption ? `${image.caption}: ` : ''}${image.url}`);
      continue;
    }
    const captionFits = !image.caption || image.caption.length <= (limits.maxCaptionLength ?? Infinity);
    parts.push({ kind: 'image', image: captionFits ? image : { ...image, caption: undefined } });
    if (!captionFits) extraLines.push(image.caption!);
  }

  const links = content.links ?? [];
  const nativeLinks = links
    .slice(0, limits.maxLinkButtons)
    .map((l) => ({ ...l, title: truncateText(l.title, limits.maxButtonLabel) }));
  for (const link of links.slice(limits.maxLinkButtons)) extraLines.push(`${link.title}: ${link.url}`);

  const replies = content.quickReplies ?? [];
  const nativeReplies = replies
    .slice(0, limits.maxQuickReplies)
    .map((q) => ({ ...q, label: truncateText(q.label, limits.maxButtonLabel) }));
  const textReplies = replies.slice(limits.maxQuickReplies);
  if (textReplies.length) extraLines.push(textReplies.map((q) => `• ${q.label}`).join('\n'));

  const text = [content.text?.trim() ?? '', ...extraLines].filter(Boolean).join('\n\n');
  const hasButtons = nativeReplies.length > 0 || nativeLinks.length > 0;
  if (!text && !hasButtons) return parts;

  const chunks = splitText(text || BUTTON_ONLY_TEXT, limits.maxTextLength);
  chunks.forEach((chunk, i) => {
    const last = i === chunks.length - 1;
    parts.push({
      kind: 'text',
      text: chunk,
      quickReplies: last ? nativeReplies : [],
      links: last ? nativeLinks : [],
    });
  });
  return parts;
}
