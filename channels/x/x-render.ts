/**
 * Canonical outbound messages to X DM texts. The v2 DM endpoint takes text (up to 10,000
 * characters) and uploaded media only, so buttons and links are listed in the text and images are
 * sent as their URL (media upload would cost an extra billed call per image).
 */
import type { ChannelCapabilities } from '../../src/core/channel-port';
import { partsOf, type MessageContent } from '../../src/core/message';
import { planOutbound } from '../shared/outbound-plan';

export const X_DM_TEXT_LIMIT = 10_000;

export const X_CAPABILITIES: ChannelCapabilities = {
  maxTextLength: X_DM_TEXT_LIMIT,
  maxQuickReplies: 0,
  maxButtonLabel: 40,
  images: false,
  delivery: 'push',
};

/** The DM texts to send for one message, in order. */
export function renderX(content: MessageContent): string[] {
  return planOutbound(partsOf(content), {
    maxTextLength: X_DM_TEXT_LIMIT,
    maxQuickReplies: 0,
    maxButtonLabel: 40,
    maxLinkButtons: 0,
    images: false,
  }).map((part) => (part.kind === 'text' ? part.text : part.image.url));
}
