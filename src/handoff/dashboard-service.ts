/**
 * The supervisor's figures: live queue by priority and language, counselors by presence, wait
 * and handle times (average and 90th percentile), bot containment, CSAT, top intents and volume
 * per channel over the last N Korea days; also as CSV.
 */
import { stringify } from 'csv-stringify/sync';
import { PRIORITY_ORDER, type Priority } from '../core/conversation';
import { CSV_SAFE_STRINGIFY } from '../core/csv-cell';
import { SURVEY_DIMENSIONS, type SurveyDimension } from '../core/handoff-port';
import type { Store } from '../core/store-port';
import { CHAT_ROLES, type Presence } from '../core/user-port';
import type { HandoffService } from './handoff-service';
import { effectivePresence } from './presence';
import { koreaDay, KOREA_OFFSET_MS } from './shift-schedule';

export interface Stat {
  count: number;
  avgMs: number | null;
  p90Ms: number | null;
}

export interface Dashboard {
  generatedAt: string;
  period: { days: number; fromDay: string; toDay: string };
  queue: { total: number; byPriority: Record<Priority, number>; byLanguage: Record<string, number>; oldestWaitMs: number | null };
  counselors: {
    byPresence: Record<Presence, number>;
    list: { id: string; displayName: string; role: string; presence: Presence; shift?: string; languages: string[]; teams: string[]; load: number; cap: number }[];
  };
  wait: Stat;
  handle: Stat;
  containment: { conversations: number; escalated: number; rate: number | null };
  csat: {
    surveys: number;
    responses: number;
    averages: Record<SurveyDimension, number | null>;
    overall: number | null;
    /** Share of answers scoring 4 or 5. */
    satisfiedRate: number | null;
    helpful: { yes: number; no: number };
    recent: { at: string; counselorId?: string; scores: Partial<Record<SurveyDimension, number>>; comment?: string }[];
  };
  topIntents: { intent: string; count: number }[];
  volumeByChannel: { channel: string; count: number }[];
  daily: { day: string; conversations: number; escalated: number }[];
  resolutions: { code: string; count: number }[];
  openAlerts: number;
}

/** The value at the 90th percentile (nearest rank), or null without data. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function stat(values: number[]): Stat {
  return {
    count: values.length,
    avgMs: values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : null,
    p90Ms: percentile(values, 90),
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export class DashboardService {
  constructor(
    private readonly deps: { store: Store; handoff: HandoffService; presenceTtlMs: number },
  ) {}

  async build(days: number, now = new Date()): Promise<Dashboard> {
    const { store, handoff } = this.deps;
    const toDay = koreaDay(now);
    const fromDay = koreaDay(new Date(now.getTime() - (days - 1) * 86_400_000));
    const since = new Date(Date.parse(`${fromDay}T00:00:00Z`) - KOREA_OFFSET_MS);

    const [queue, users, loads, episodes, surveys, counts, openAlerts] = await Promise.all([
      handoff.queue(),
      store.users.list(),
      handoff.loads(),
      store.episodes.listQueuedSince(since, 100_000),
      store.surveys.listSentSince(since, 100_000),
      store.figures.list(fromDay, toDay),
      store.alerts.list({ open: true, limit: 1000 }),
    ]);

    const byPriority = Object.fromEntries(PRIORITY_ORDER.map((p) => [p, 0])) as Record<Priority, number>;
    const byLanguage: Record<string, number> = {};
    for (const { conversation } of queue) {
      byPriority[conversation.priority] += 1;
      byLanguage[conversation.language] = (byLanguage[conversation.language] ?? 0) + 1;
    }
    const oldest = queue.reduce<number | null>((max, e) => Math.max(max ?? 0, now.getTime() - e.episode.queuedAt.getTime()), null);

    const byPresence: Record<Presence, number> = { available: 0, away: 0, offline: 0 };
    const staff = users
      .filter((u) => CHAT_ROLES.includes(u.role))
      .map((u) => {
        const presence = effectivePresence(u, now, this.deps.presenceTtlMs);
        byPresence[presence] += 1;
        return {
          id: u.id,
          displayName: u.displayName,
          role: u.role,
          presence,
          ...(u.shift && { shift: u.shift }),
          languages: u.languages,
          teams: u.teams,
          load: loads.get(u.id) ?? 0,
          cap: handoff.capOf(u),
        };
      });

    const waits = episodes.filter((e) => e.assignedAt).map((e) => e.assignedAt!.getTime() - e.queuedAt.getTime());
    const handles = episodes.filter((e) => e.assignedAt && e.endedAt).map((e) => e.endedAt!.getTime() - e.assignedAt!.getTime());

    const total = (key: string) => counts.filter((c) => c.key === key).reduce((a, c) => a + c.count, 0);
    const conversations = total('conversations');
    const escalated = total('escalated');
    const prefixed = (prefix: string) => {
      const sums = new Map<string, number>();
      for (const c of counts) if (c.key.startsWith(prefix)) sums.set(c.key.slice(prefix.length), (sums.get(c.key.slice(prefix.length)) ?? 0) + c.count);
      return [...sums].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    };

    const csat = surveys.filter((s) => s.kind === 'csat');
    const answered = csat.filter((s) => Object.keys(s.scores).length > 0);
    const averages = Object.fromEntries(
      SURVEY_DIMENSIONS.map((d) => {
        const v = answered.map((s) => s.scores[d]).filter((x): x is number => x !== undefined);
        return [d, v.length ? round2(v.reduce((a, b) => a + b, 0) / v.length) : null];
      }),
    ) as Record<SurveyDimension, number | null>;
    const allScores = answered.flatMap((s) => SURVEY_DIMENSIONS.map((d) => s.scores[d]).filter((x): x is number => x !== undefined));
    const helpful = surveys.filter((s) => s.kind === 'helpful' && s.helpful !== undefined);

    const dayList: string[] = [];
    for (let i = days - 1; i >= 0; i--) dayList.push(koreaDay(new Date(now.getTime() - i * 86_400_000)));
    const perDay = (day: string, key: string) => counts.filter((c) => c.day === day && c.key === key).reduce((a, c) => a + c.count, 0);

    return {
      generatedAt: now.toISOString(),
      period: { days, fromDay, toDay },
      queue: { total: queue.length, byPriority, byLanguage, oldestWaitMs: oldest },
      counselors: { byPresence, list: staff },
      wait: stat(waits),
      handle: stat(handles),
      containment: { conversations, escalated, rate: conversations ? round2(Math.max(0, conversations - escalated) / conversations) : null },
      csat: {
        surveys: csat.length,
        responses: answered.length,
        averages,
        overall: allScores.length ? round2(allScores.reduce((a, b) => a + b, 0) / allScores.length) : null,
        satisfiedRate: allScores.length ? round2(allScores.filter((x) => x >= 4).length / allScores.length) : null,
        helpful: { yes: helpful.filter((s) => s.helpful).length, no: helpful.filter((s) => !s.helpful).length },
        recent: answered
          .slice(-20)
          .reverse()
          .map((s) => ({
            at: (s.completedAt ?? s.sentAt).toISOString(),
            ...(s.counselorId && { counselorId: s.counselorId }),
            scores: s.scores,
            ...(s.comment && { comment: s.comment }),
          })),
      },
      topIntents: prefixed('intent:').slice(0, 10).map(([intent, count]) => ({ intent, count })),
      volumeByChannel: prefixed('channel:').map(([channel, count]) => ({ channel, count })),
      daily: dayList.map((day) => ({ day, conversations: perDay(day, 'conversations'), escalated: perDay(day, 'escalated') })),
      resolutions: prefixed('resolution:').map(([code, count]) => ({ code, count })),
      openAlerts: openAlerts.length,
    };
  }

  /** The same figures as `section,key,value` rows. */
  static toCsv(d: Dashboard): string {
    const rows: (string | number | null)[][] = [['section', 'key', 'value']];
    rows.push(['period', 'from', d.period.fromDay], ['period', 'to', d.period.toDay], ['period', 'generated_at', d.generatedAt]);
    rows.push(['queue', 'total', d.queue.total], ['queue', 'oldest_wait_ms', d.queue.oldestWaitMs]);
    for (const [p, n] of Object.entries(d.queue.byPriority)) rows.push(['queue_priority', p, n]);
    for (const [l, n] of Object.entries(d.queue.byLanguage)) rows.push(['queue_language', l, n]);
    for (const [p, n] of Object.entries(d.counselors.byPresence)) rows.push(['counselors_presence', p, n]);
    for (const [name, s] of [['wait', d.wait], ['handle', d.handle]] as const) {
      rows.push([name, 'count', s.count], [name, 'avg_ms', s.avgMs], [name, 'p90_ms', s.p90Ms]);
    }
    rows.push(
      ['containment', 'conversations', d.containment.conversations],
      ['containment', 'escalated', d.containment.escalated],
      ['containment', 'rate', d.containment.rate],
    );
    rows.push(['csat', 'surveys', d.csat.surveys], ['csat', 'responses', d.csat.responses]);
    for (const [k, v] of Object.entries(d.csat.averages)) rows.push(['csat', `avg_${k}`, v]);
    rows.push(
      ['csat', 'overall', d.csat.overall],
      ['csat', 'satisfied_rate', d.csat.satisfiedRate],
      ['csat', 'helpful_yes', d.csat.helpful.yes],
      ['csat', 'helpful_no', d.csat.helpful.no],
    );
    for (const i of d.topIntents) rows.push(['intent', i.intent, i.count]);
    for (const c of d.volumeByChannel) rows.push(['channel', c.channel, c.count]);
    for (const r of d.resolutions) rows.push(['resolution', r.code, r.count]);
    for (const day of d.daily) rows.push(['daily_conversations', day.day, day.conversations], ['daily_escalated', day.day, day.escalated]);
    rows.push(['alerts', 'open', d.openAlerts]);
    return stringify(
      rows.map((r) => r.map((v) => (v === null ? '' : v))),
      CSV_SAFE_STRINGIFY,
    );
  }
}
