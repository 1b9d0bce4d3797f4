/**
 * Time-boxed notices: supervisors publish them, the bot appends active ones to answers on their
 * intents, counselors list them. Active notices are cached briefly because every answer asks.
 */
import type { IntentName } from '../core/intents';
import type { Notice, NoticeStore } from '../core/notice-port';
import { pickLocalized } from '../core/localized';
import { NO_RELOADS, type DataReloads } from '../core/reload-port';

const CACHE_MS = 15_000;

const ICON: Record<Notice['severity'], string> = { info: 'ℹ️', warning: '⚠️', alert: '🚨' };

export class NoticeService {
  private cache?: { at: number; notices: Notice[] };

  /** @param reloads carries "notices changed" to and from other instances. */
  constructor(
    private readonly store: NoticeStore,
    private readonly now: () => Date = () => new Date(),
    private readonly reloads: DataReloads = NO_RELOADS,
  ) {
    reloads.follow('notices', () => {
      this.cache = undefined;
    });
  }

  /** After a stored change: drops the cache here and on every other instance, so the very next answer shows it. */
  invalidate(): void {
    this.cache = undefined;
    this.reloads.announce('notices');
  }

  /** Notices active now. */
  async active(): Promise<Notice[]> {
    const now = this.now();
    if (!this.cache || now.getTime() - this.cache.at > CACHE_MS) {
      this.cache = { at: now.getTime(), notices: await this.store.list({ activeAt: now, limit: 50 }) };
    }
    // The cache may hold a notice that ended since it was read.
    return this.cache.notices.filter((n) => n.startsAt <= now && now < n.endsAt);
  }

  /** Active notices that concern an intent (or every intent). */
  async forIntent(intent: IntentName | undefined): Promise<Notice[]> {
    return (await this.active()).filter(
      (n) => n.intents.length === 0 || (intent !== undefined && n.intents.includes(intent)),
    );
  }
}

/** One notice as a line of text in the resident's language (English, then Korean, as fallbacks). */
export function noticeText(notice: Notice, language: string): string {
  const pick = (m: Record<string, string>) => pickLocalized(m, language) ?? '';
  return `${ICON[notice.severity]} ${pick(notice.title)}: ${pick(notice.body)}`;
}
