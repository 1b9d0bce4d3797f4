/** Collects messages the bot could not answer, grouped by normalised text, with personal data masked. */
import { maskPersonalData } from '../core/mask';
import type { UnansweredReason, UnansweredStore } from '../core/unanswered-port';
import type { Logger } from '../core/logger-port';
import { normalizeText } from '../nlu/text-normalize';

export class UnansweredRecorder {
  constructor(
    private readonly store: UnansweredStore,
    private readonly logger: Logger,
  ) {}

  /** Counts one occurrence; never throws (a review list is not worth failing a turn for). */
  async record(input: {
    text: string;
    language: string;
    reason: UnansweredReason;
    intent?: string;
    faqId?: string;
    /** Who asked, so privacy export and deletion include it. */
    residentId?: string;
  }): Promise<void> {
    const text = maskPersonalData(input.text.trim()).slice(0, 500);
    const normalized = normalizeText(text);
    if (!normalized) return;
    try {
      await this.store.record({
        key: `${input.language}:${normalized}`,
        text,
        language: input.language,
        reason: input.reason,
        ...(input.intent && { intent: input.intent }),
        ...(input.faqId && { faqId: input.faqId }),
        ...(input.residentId && { residentId: input.residentId }),
      });
    } catch (err) {
      this.logger.warn({ err }, 'could not record an unanswered message');
    }
  }
}
