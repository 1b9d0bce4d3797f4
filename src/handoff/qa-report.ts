/**
 * The quality report over a range of Korea days: QA scores per counselor, team, checklist item and
 * week or month, beside the residents' CSAT dimensions (kindness, professionalism, promptness) for
 * the same counselors and periods, so both views of quality sit side by side; also as CSV with
 * spreadsheet formulas defused.
 */
import { stringify } from 'csv-stringify/sync';
import { SURVEY_DIMENSIONS, type Survey, type SurveyDimension } from '../core/handoff-port';
import type { QaChecklist, QaReview, QaScoring } from '../core/qa-port';
import type { Store } from '../core/store-port';
import { checklistItems } from './qa-checklist';
import { KOREA_OFFSET_MS, koreaDay, koreaDayStart } from './shift-schedule';

const DAY_MS = 86_400_000;
const MAX_REVIEWS = 50_000;
const MAX_SURVEYS = 200_000;

export type ReportPeriod = 'week' | 'month';

export type CsatAverages = Record<SurveyDimension, number | null> & { responses: number };

/** Scores of a group of reviews (the scoring in force of each scored review). */
export interface ScoreFigures {
  reviews: number;
  avgScore: number | null;
  criticalFails: number;
}

export interface QaReport {
  fromDay: string;
  toDay: string;
  period: ReportPeriod;
  generatedAt: string;
  byCounselor: (ScoreFigures & { counselorId: string; name: string; acknowledged: number; disputed: number; csat: CsatAverages })[];
  byTeam: (ScoreFigures & { team: string; csat: CsatAverages })[];
  byItem: { itemId: string; text: { ko: string; en: string }; pass: number; fail: number; na: number; passRate: number | null }[];
  byPeriod: (ScoreFigures & { period: string; csat: CsatAverages })[];
  /** Every scored review of the range, newest close first. */
  reviews: { id: string; conversationId: string; counselorId: string; name: string; teams: string[]; day: string; status: string; reasons: string[]; score: number; criticalFailed: boolean }[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const mean = (xs: number[]) => (xs.length ? round1(xs.reduce((s, x) => s + x, 0) / xs.length) : null);
const inForce = (r: QaReview): QaScoring | undefined => r.scorings.at(-1);

/** The Korea day of the Monday of a day's week, or the month (YYYY-MM). */
export function periodOf(day: string, period: ReportPeriod): string {
  if (period === 'month') return day.slice(0, 7);
  const start = koreaDayStart(day);
  const weekday = (new Date(start.getTime() + KOREA_OFFSET_MS).getUTCDay() + 6) % 7;
  return koreaDay(new Date(start.getTime() - weekday * DAY_MS));
}

function scoreFigures(reviews: QaReview[]): ScoreFigures {
  const scorings = reviews.map(inForce).filter((s): s is QaScoring => Boolean(s));
  return { reviews: scorings.length, avgScore: mean(scorings.map((s) => s.score)), criticalFails: scorings.filter((s) => s.criticalFailed).length };
}

function csatFigures(surveys: Survey[]): CsatAverages {
  const answered = surveys.filter((s) => Object.keys(s.scores).length > 0);
  const out = { responses: answered.length } as CsatAverages;
  for (const d of SURVEY_DIMENSIONS) out[d] = mean(answered.map((s) => s.scores[d]).filter((x): x is number => x !== undefined));
  return out;
}

function groupBy<T>(items: T[], keys: (item: T) => string[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) for (const k of keys(item)) (out.get(k) ?? out.set(k, []).get(k)!).push(item);
  return out;
}

export class QaReportService {
  constructor(private readonly deps: { store: Store; checklist: QaChecklist }) {}

  /** The report of fromDay..toDay inclusive (Korea days). */
  async build(fromDay: string, toDay: string, period: ReportPeriod, now = new Date()): Promise<QaReport> {
    const { store, checklist } = this.deps;
    const from = koreaDayStart(fromDay);
    const to = new Date(koreaDayStart(toDay).getTime() + DAY_MS);
    const [all, surveysSent, users] = await Promise.all([
      store.qaReviews.list({ closedFrom: from, closedBefore: to, limit: MAX_REVIEWS }),
      store.surveys.listSentSince(from, MAX_SURVEYS),
      store.users.list(),
    ]);
    const scored = all.filter((r) => r.scorings.length > 0);
    const csat = surveysSent.filter((s) => s.kind === 'csat' && s.counselorId && s.sentAt < to);
    const user = new Map(users.map((u) => [u.id, u]));
    const name = (id: string) => user.get(id)?.displayName ?? id;
    const teamsOf = (id: string) => user.get(id)?.teams ?? [];

    const reviewsByCounselor = groupBy(scored, (r) => [r.counselorId]);
    const csatByCounselor = groupBy(csat, (s) => [s.counselorId!]);
    const counselors = [...new Set([...reviewsByCounselor.keys(), ...csatByCounselor.keys()])].sort((a, b) => name(a).localeCompare(name(b)));
    const byCounselor = counselors.map((id) => {
      const rs = reviewsByCounselor.get(id) ?? [];
      return {
        counselorId: id,
        name: name(id),
        ...scoreFigures(rs),
        acknowledged: rs.filter((r) => r.status === 'acknowledged').length,
        disputed: rs.filter((r) => r.status === 'disputed').length,
        csat: csatFigures(csatByCounselor.get(id) ?? []),
      };
    });

    // Teams as they were when the chat was queued; CSAT by the counselor's teams today.
    const reviewsByTeam = groupBy(scored, (r) => r.teams);
    const csatByTeam = groupBy(csat, (s) => teamsOf(s.counselorId!));
    const byTeam = [...new Set([...reviewsByTeam.keys(), ...csatByTeam.keys()])]
      .sort()
      .map((team) => ({ team, ...scoreFigures(reviewsByTeam.get(team) ?? []), csat: csatFigures(csatByTeam.get(team) ?? []) }));

    // One pass over every answer: a month of a large floor is hundreds of thousands of them.
    const tally = new Map(checklistItems(checklist).map((item) => [item.id, { pass: 0, fail: 0, na: 0 }]));
    for (const r of scored) for (const a of inForce(r)!.answers) {
      const t = tally.get(a.itemId);
      if (t) t[a.result] += 1;
    }
    const byItem = checklistItems(checklist).map((item) => {
      const { pass, fail, na } = tally.get(item.id)!;
      return { itemId: item.id, text: item.text, pass, fail, na, passRate: pass + fail ? round1((100 * pass) / (pass + fail)) : null };
    });

    const reviewsByPeriod = groupBy(scored, (r) => [periodOf(r.day, period)]);
    const csatByPeriod = groupBy(csat, (s) => [periodOf(koreaDay(s.sentAt), period)]);
    const byPeriod = [...new Set([...reviewsByPeriod.keys(), ...csatByPeriod.keys()])]
      .sort()
      .map((p) => ({ period: p, ...scoreFigures(reviewsByPeriod.get(p) ?? []), csat: csatFigures(csatByPeriod.get(p) ?? []) }));

    const reviews = scored
      .map((r) => ({
        id: r.id,
        conversationId: r.conversationId,
        counselorId: r.counselorId,
        name: name(r.counselorId),
        teams: r.teams,
        day: r.day,
        status: r.status,
        reasons: r.reasons,
        score: inForce(r)!.score,
        criticalFailed: inForce(r)!.criticalFailed,
      }))
      .reverse();
    return { fromDay, toDay, period, generatedAt: now.toISOString(), byCounselor, byTeam, byItem, byPeriod, reviews };
  }
}

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab/CR that some programs
 * skip first) gets a leading apostrophe, the OWASP advice against CSV injection.
 */
export function safeCell(value: string | number | boolean | null | undefined): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const csatCells = (c: CsatAverages) => [c.responses, ...SURVEY_DIMENSIONS.map((d) => c[d])];

/** The report as one CSV table: a `section` column says which figure a row is. */
export function qaReportCsv(r: QaReport): string {
  const header = ['section', 'period', 'key', 'name', 'reviews', 'avg_score', 'critical_fails', 'pass', 'fail', 'na', 'pass_rate', 'status', 'csat_responses', ...SURVEY_DIMENSIONS.map((d) => `csat_${d}`)];
  const rows: (string | number | boolean | null | undefined)[][] = [];
  const blank = (n: number) => Array<null>(n).fill(null);
  rows.push(['range', `${r.fromDay}..${r.toDay}`, r.period, r.generatedAt, ...blank(header.length - 4)]);
  for (const c of r.byCounselor) rows.push(['counselor', '', c.counselorId, c.name, c.reviews, c.avgScore, c.criticalFails, null, null, null, null, `acknowledged ${c.acknowledged} / disputed ${c.disputed}`, ...csatCells(c.csat)]);
  for (const t of r.byTeam) rows.push(['team', '', t.team, t.team, t.reviews, t.avgScore, t.criticalFails, ...blank(5), ...csatCells(t.csat)]);
  for (const i of r.byItem) rows.push(['item', '', i.itemId, i.text.ko, null, null, null, i.pass, i.fail, i.na, i.passRate, null, ...blank(4)]);
  for (const p of r.byPeriod) rows.push(['period', p.period, p.period, '', p.reviews, p.avgScore, p.criticalFails, ...blank(5), ...csatCells(p.csat)]);
  for (const v of r.reviews) rows.push(['review', v.day, v.conversationId, v.name, 1, v.score, v.criticalFailed ? 1 : 0, ...blank(4), v.status, ...blank(4)]);
  return stringify([header, ...rows.map((row) => row.map(safeCell))]);
}
