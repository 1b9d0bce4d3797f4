/**
 * Messenger's messaging windows: any reply within 24 hours of the resident's last message
 * (messaging_type RESPONSE); after that only a human agent, up to 7 days, with
 * messaging_type MESSAGE_TAG and tag HUMAN_AGENT. Beyond that nothing may be sent.
 */
import type { Author } from '../../src/core/message';

export const STANDARD_WINDOW_HOURS = 24;
export const HUMAN_AGENT_WINDOW_HOURS = 7 * 24;

export type MessagingPolicy =
  | { messaging_type: 'RESPONSE' }
  | { messaging_type: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' }
  | { closed: true; hoursSinceResident: number };

/**
 * Chooses how a reply may be sent. Without a known last resident message the standard type is
 * tried and Meta's own answer decides.
 */
export function messagingPolicy(
  author: Author,
  lastInboundAt: Date | undefined,
  now = new Date(),
): MessagingPolicy {
  if (!lastInboundAt) return { messaging_type: 'RESPONSE' };
  const hours = (now.getTime() - lastInboundAt.getTime()) / 3_600_000;
  if (hours <= STANDARD_WINDOW_HOURS) return { messaging_type: 'RESPONSE' };
  if (author === 'counselor' && hours <= HUMAN_AGENT_WINDOW_HOURS)
    return { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
  return { closed: true, hoursSinceResident: hours };
}
