/** The order residents are served in: priority first, then first-in-first-out. */
import { priorityRank, type Conversation } from '../core/conversation';
import type { HandoffEpisode } from '../core/handoff-port';

/** A queued conversation with its current queue episode. */
export interface QueueEntry {
  conversation: Conversation;
  episode: HandoffEpisode;
}

/** Comparator: crisis > repeated bot failure > explicit request > other; earlier queuedAt first. */
export function compareServingOrder(a: QueueEntry, b: QueueEntry): number {
  return (
    priorityRank(a.conversation.priority) - priorityRank(b.conversation.priority) ||
    a.episode.queuedAt.getTime() - b.episode.queuedAt.getTime() ||
    (a.conversation.id < b.conversation.id ? -1 : a.conversation.id > b.conversation.id ? 1 : 0)
  );
}

/** Sorts entries in serving order (a new array). */
export function inServingOrder(entries: QueueEntry[]): QueueEntry[] {
  return [...entries].sort(compareServingOrder);
}
