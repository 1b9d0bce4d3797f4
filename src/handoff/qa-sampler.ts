/**
 * The daily QA sample: for one Korea day, a random share (QA_SAMPLE_RATE, at least one) of each
 * counselor's chats closed that day, plus every chat of the day with a low CSAT score or an abuse
 * or crisis flag, is queued for review.
 *
 * Once per day across instances: the instance that inserts the claim `qa-sample:<day>` runs it.
 * The random choice is a hash of a seed kept in that claim, so a run resumed after a crash (claim
 * `qa-sample:<day>:resume`, taken once the first run is stale) chooses the same chats, and queueing
 * is idempotent per chat (review id = `qa:<conversationId>`), so no chat is queued twice.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { HandoffEpisode } from '../core/handoff-port';
import type { Logger } from '../core/logger-port';
import type { QaReason } from '../core/qa-port';
import type { Store } from '../core/store-port';
import { koreaDay, koreaDayStart } from './shift-schedule';

const DAY_MS = 86_400_000;
/** A chat closed on the day may have been queued this long before (overnight callbacks, long waits). */
const QUEUED_LOOKBACK_MS = 7 * DAY_MS;
/** Bounds of what one run reads (a busy day is ~7,000 chats). */
const MAX_EPISODES = 100_000;
const MAX_SURVEYS = 100_000;
const MAX_ALERTS = 20_000;
/** A run that has not finished after this long is taken over once. */
const STALE_RUN_MS = 30 * 60_000;

export interface QaSamplerDeps {
  store: Store;
  logger: Logger;
  /** Share of each counselor's closed chats to review, 0–1 (0 turns random sampling off). */
  rate: number;
  /** A CSAT answer at or below this (1–5) queues the chat. */
  lowCsat: number;
  /** How often the scheduler checks whether yesterday's sample ran (default 10 minutes). */
  checkEveryMs?: number;
}

export interface SampleOutcome {
  day: string;
  /** False when another run (this or another instance) had the day already. */
  ran: boolean;
  queued: number;
  candidates: number;
}

/** The deterministic "random" order of a chat under a seed. */
const rank = (seed: string, conversationId: string) => createHash('sha256').update(`${seed}:${conversationId}`).digest('hex');

export class QaSampler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly deps: QaSamplerDeps) {}

  /** Checks now and then whether yesterday's sample ran, and runs it if no instance has. */
  start(): void {
    const tick = () => {
      this.running ??= this.sampleDay(koreaDay(new Date(Date.now() - DAY_MS)), 'scheduler')
        .catch((err) => this.deps.logger.warn({ err }, 'daily QA sample failed; retried at the next check'))
        .finally(() => (this.running = undefined));
    };
    this.timer = setInterval(tick, this.deps.checkEveryMs ?? 10 * 60_000);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Queues the sample of one Korea day (YYYY-MM-DD) unless it was queued already. */
  async sampleDay(day: string, by: string, now = new Date()): Promise<SampleOutcome> {
    const { store } = this.deps;
    const key = `qa-sample:${day}`;
    let seed = randomBytes(16).toString('hex');
    if (!(await store.qaReviews.claim({ key, by, at: now, data: { seed } }))) {
      const first = await store.qaReviews.getClaim(key);
      const stale = first && !first.completedAt && now.getTime() - first.at.getTime() > STALE_RUN_MS;
      if (!stale || !(await store.qaReviews.claim({ key: `${key}:resume`, by, at: now }))) return { day, ran: false, queued: 0, candidates: 0 };
      seed = String(first.data?.seed ?? seed);
      this.deps.logger.warn({ day }, 'resuming a daily QA sample that did not finish');
    }
    const outcome = await this.queue(day, seed, now);
    await store.qaReviews.completeClaim(key, new Date());
    this.deps.logger.info(outcome, 'daily QA sample queued');
    return outcome;
  }

  private async queue(day: string, seed: string, now: Date): Promise<SampleOutcome> {
    const { store, rate, lowCsat } = this.deps;
    const from = koreaDayStart(day);
    const to = new Date(from.getTime() + DAY_MS);
    const episodes = await store.episodes.listQueuedSince(new Date(from.getTime() - QUEUED_LOOKBACK_MS), MAX_EPISODES);
    // The last close of each chat that day, by a counselor.
    const closed = new Map<string, HandoffEpisode>();
    for (const e of episodes) if (e.outcome === 'closed' && e.counselorId && e.endedAt && e.endedAt >= from && e.endedAt < to) closed.set(e.conversationId, e);
    const crisisQueued = new Set(episodes.filter((e) => e.priority === 'crisis').map((e) => e.conversationId));

    const reasons = new Map<string, Set<QaReason>>();
    const add = (conversationId: string, reason: QaReason) => {
      if (closed.has(conversationId)) (reasons.get(conversationId) ?? reasons.set(conversationId, new Set()).get(conversationId)!).add(reason);
    };
    const [surveys, alerts, users] = await Promise.all([
      store.surveys.listSentSince(from, MAX_SURVEYS),
      store.alerts.list({ since: new Date(from.getTime() - QUEUED_LOOKBACK_MS), limit: MAX_ALERTS }),
      store.users.list(),
    ]);
    for (const s of surveys) if (s.kind === 'csat' && Object.values(s.scores).some((v) => v !== undefined && v <= lowCsat)) add(s.conversationId, 'low_csat');
    for (const a of alerts) if (a.conversationId && (a.kind === 'abuse' || a.kind === 'crisis')) add(a.conversationId, a.kind);
    for (const e of closed.values()) {
      if (crisisQueued.has(e.conversationId)) add(e.conversationId, 'crisis');
      if (e.resolution === 'abusive') add(e.conversationId, 'abuse');
    }

    if (rate > 0) {
      const byCounselor = new Map<string, string[]>();
      for (const e of closed.values()) (byCounselor.get(e.counselorId!) ?? byCounselor.set(e.counselorId!, []).get(e.counselorId!)!).push(e.conversationId);
      for (const ids of byCounselor.values()) {
        const take = Math.max(1, Math.round(rate * ids.length));
        for (const id of ids.sort((a, b) => (rank(seed, a) < rank(seed, b) ? -1 : 1)).slice(0, take)) add(id, 'sample');
      }
    }

    const teams = new Map(users.map((u) => [u.id, u.teams]));
    let queued = 0;
    for (const [conversationId, why] of reasons) {
      const e = closed.get(conversationId)!;
      const { created } = await store.qaReviews.create(
        {
          conversationId,
          handoffSeq: e.handoffSeq,
          counselorId: e.counselorId!,
          teams: teams.get(e.counselorId!) ?? [],
          channel: e.channel,
          language: e.language,
          closedAt: e.endedAt!,
          day,
          reasons: [...why].sort(),
        },
        now,
      );
      if (created) queued++;
    }
    return { day, ran: true, queued, candidates: closed.size };
  }
}
