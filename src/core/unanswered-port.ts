/** Messages the bot could not answer, grouped by normalised text with counts, for staff review. */

export type UnansweredReason = 'low_confidence' | 'not_helpful';
export type UnansweredStatus = 'open' | 'resolved' | 'dismissed';

export interface UnansweredResolution {
  kind: 'faq' | 'intent_example' | 'dismissed';
  /** FAQ id or intent name it was turned into. */
  target?: string;
  actor: string;
  at: Date;
}

export interface UnansweredItem {
  id: string;
  /** Grouping key: language + normalised text. */
  key: string;
  /** The text as first asked (personal data masked). */
  text: string;
  language: string;
  count: number;
  reasons: Record<UnansweredReason, number>;
  /** What the classifier and retriever thought most recently, to help the reviewer. */
  lastIntent?: string;
  lastFaqId?: string;
  status: UnansweredStatus;
  resolution?: UnansweredResolution;
  firstAt: Date;
  lastAt: Date;
}

export interface UnansweredOccurrence {
  key: string;
  text: string;
  language: string;
  reason: UnansweredReason;
  /** Who asked: links the occurrence to them, so a privacy export or deletion includes it. */
  residentId?: string;
  intent?: string;
  faqId?: string;
  at?: Date;
}

export interface UnansweredStore {
  /**
   * Counts one occurrence under its key, creating the item when new. Concurrent first
   * occurrences are decided by the unique key; the loser counts on the winner's item.
   * A resolved item that comes back is reopened; a dismissed one stays dismissed but is counted.
   */
  record(occurrence: UnansweredOccurrence): Promise<UnansweredItem>;
  get(id: string): Promise<UnansweredItem | undefined>;
  /** Items by descending count, then most recent. */
  list(query: { status?: UnansweredStatus; limit?: number }): Promise<UnansweredItem[]>;
  /** Rejects with 'not_found' for an unknown id. */
  resolve(id: string, resolution: UnansweredResolution): Promise<UnansweredItem>;
  /** Items this resident asked (privacy export), with how often they asked each. */
  listByResident(residentId: string): Promise<(UnansweredItem & { askedByResident: number })[]>;
  /**
   * Privacy deletion: removes the resident's occurrences. An item nobody else asked is deleted
   * with its text; one others asked too keeps their count. Returns how many items were deleted.
   */
  forgetResident(residentId: string): Promise<number>;
}
