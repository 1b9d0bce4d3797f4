/**
 * Counselor care: after a chat flagged abusive or crisis the counselor is offered a short break
 * (CARE_BREAK_MINUTES) during which the router gives them nothing new; supervisors see each
 * counselor's abusive and crisis chats of the last hours and are alerted when one counselor had
 * CARE_ALERT_STREAK such chats in a row; a counselor hands an abusive chat to a supervisor in one
 * click. Everything is read from the store (episodes, alerts, message flags), so every instance
 * gives the same answer; the break is a field on the user, which every router reads.
 */
import type { Alert, HandoffEpisode } from '../core/handoff-port';
import type { Logger } from '../core/logger-port';
import type { Store } from '../core/store-port';
import type { ConsoleUser } from '../core/user-port';
import { STAFF_LANGUAGE, tr } from '../i18n/translate';
import type { AlertService } from './alert-service';
import { HandoffError } from './handoff-errors';
import type { HandoffService } from './handoff-service';
import { isAvailable } from './presence';

const HOUR_MS = 3600_000;
/** A break is offered for this long after the flagged chat ended. */
export const OFFER_MS = 15 * 60_000;
/** The load view looks back this far ("this shift": the longest shift is nine hours). */
export const LOAD_WINDOW_MS = 12 * HOUR_MS;
/** Most episodes one load view reads. */
const MAX_EPISODES = 5000;

export type CareKind = 'abuse' | 'crisis';

export interface CareSettings {
  /** Minutes of the offered break; 0 offers none. */
  breakMinutes: number;
  /** Flagged chats in a row that alert the supervisors. */
  alertStreak: number;
}

export interface CareLoad {
  counselorId: string;
  name: string;
  shift?: string;
  abuse: number;
  crisis: number;
  /** Flagged chats in a row, most recent first. */
  streak: number;
  alert: boolean;
  breakUntil?: string;
}

export interface CareServiceDeps {
  store: Store;
  handoff: HandoffService;
  alerts: AlertService;
  settings: CareSettings;
  presenceTtlMs: number;
  logger: Logger;
}

const ended = (e: HandoffEpisode) => Boolean(e.counselorId && e.endedAt && e.outcome);

export class CareService {
  constructor(private readonly deps: CareServiceDeps) {}

  get settings(): CareSettings {
    return this.deps.settings;
  }

  /** True while the counselor is on a care break (the router skips them). */
  static onBreak(user: Pick<ConsoleUser, 'careBreak'>, now: Date): boolean {
    return Boolean(user.careBreak && user.careBreak.until > now);
  }

  /** What flagged the chat of an episode, if anything: crisis first, then abuse. */
  private async kindOf(e: HandoffEpisode, alerts: Alert[]): Promise<CareKind | undefined> {
    const mine = alerts.filter((a) => a.conversationId === e.conversationId);
    if (e.priority === 'crisis' || mine.some((a) => a.kind === 'crisis')) return 'crisis';
    if (e.resolution === 'abusive' || mine.some((a) => a.kind === 'abuse')) return 'abuse';
    const flags = await this.deps.store.messageFlags.listByConversation(e.conversationId);
    return flags.some((f) => f.at >= (e.assignedAt ?? e.queuedAt) && f.at <= e.endedAt!) ? 'abuse' : undefined;
  }

  /** The counselor's ended episodes since `since`, newest first, each with what flagged it. */
  private async history(since: Date, counselorId?: string): Promise<{ episode: HandoffEpisode; kind?: CareKind }[]> {
    const { store } = this.deps;
    const [episodes, alerts] = await Promise.all([
      store.episodes.listQueuedSince(new Date(since.getTime() - LOAD_WINDOW_MS), MAX_EPISODES),
      store.alerts.list({ since: new Date(since.getTime() - LOAD_WINDOW_MS), limit: MAX_EPISODES }),
    ]);
    const relevant = alerts.filter((a) => a.kind === 'abuse' || a.kind === 'crisis');
    const mine = episodes
      .filter((e) => ended(e) && e.endedAt! >= since && (!counselorId || e.counselorId === counselorId))
      .sort((a, b) => b.endedAt!.getTime() - a.endedAt!.getTime());
    return Promise.all(mine.map(async (episode) => ({ episode, kind: await this.kindOf(episode, relevant) })));
  }

  /** The break offered to a counselor now: after a flagged chat that ended lately, unless taken since. */
  async offer(user: ConsoleUser, now = new Date()): Promise<{ conversationId: string; kind: CareKind; minutes: number } | undefined> {
    if (!this.settings.breakMinutes) return undefined;
    const last = (await this.history(new Date(now.getTime() - OFFER_MS), user.id))[0];
    if (!last?.kind) return undefined;
    if (user.careBreak && user.careBreak.from >= last.episode.endedAt!) return undefined;
    return { conversationId: last.episode.conversationId, kind: last.kind, minutes: this.settings.breakMinutes };
  }

  /**
   * Starts the offered break; audited.
   * @throws 409 when no break is offered.
   */
  async takeBreak(user: ConsoleUser, now = new Date()): Promise<ConsoleUser> {
    const offer = await this.offer(user, now);
    if (!offer) throw new HandoffError(409, 'no_break_offered', { key: 'staff.error.noBreakOffered' });
    const until = new Date(now.getTime() + offer.minutes * 60_000);
    const updated = await this.deps.store.users.update(user.id, { careBreak: { from: now, until } });
    await this.deps.store.audit.record({ actor: user.id, action: 'care.break', subject: offer.conversationId, at: now, details: { kind: offer.kind, until: until.toISOString() } });
    return updated;
  }

  /** Each active counselor's abusive and crisis chats of the last hours, and flagged chats in a row. */
  async load(now = new Date()): Promise<CareLoad[]> {
    const [history, users] = await Promise.all([this.history(new Date(now.getTime() - LOAD_WINDOW_MS)), this.deps.store.users.list({ role: 'counselor' })]);
    return users
      .filter((u) => !u.disabled)
      .map((u) => {
        const mine = history.filter((h) => h.episode.counselorId === u.id);
        const streak = mine.findIndex((h) => !h.kind);
        const inRow = streak === -1 ? mine.length : streak;
        return {
          counselorId: u.id,
          name: u.displayName,
          ...(u.shift && { shift: u.shift }),
          abuse: mine.filter((h) => h.kind === 'abuse').length,
          crisis: mine.filter((h) => h.kind === 'crisis').length,
          streak: inRow,
          alert: inRow >= this.settings.alertStreak,
          ...(CareService.onBreak(u, now) && { breakUntil: u.careBreak!.until.toISOString() }),
        };
      });
  }

  /**
   * After a chat left a counselor: alerts the supervisors once when it made a run of flagged chats
   * (one alert per run: the key names the chat that reached the threshold).
   */
  async afterChat(conversationId: string): Promise<void> {
    const { store } = this.deps;
    const episode = (await store.episodes.listByConversation(conversationId)).filter(ended).at(-1);
    if (!episode) return;
    const mine = await this.history(new Date(Date.now() - LOAD_WINDOW_MS), episode.counselorId);
    const streak = mine.findIndex((h) => !h.kind);
    const inRow = streak === -1 ? mine.length : streak;
    if (inRow !== this.settings.alertStreak || mine[0]?.episode.id !== episode.id) return;
    const counselor = await store.users.get(episode.counselorId!);
    await this.deps.alerts.raise({
      key: `care:${episode.counselorId}:${episode.id}`,
      kind: 'counselor_care',
      message: tr('staff.alert.careStreak', STAFF_LANGUAGE, { name: counselor?.displayName ?? episode.counselorId!, count: inRow }),
      details: { counselorId: episode.counselorId, conversations: mine.slice(0, inRow).map((h) => h.episode.conversationId) },
    });
  }

  /**
   * Hands the counselor's chat to the available supervisor with the fewest chats, as a transfer
   * naming them, with an abuse alert; audited.
   * @throws 409 no supervisor is available; the transfer's own errors (not the owner...).
   */
  async handToSupervisor(user: ConsoleUser, conversationId: string, note: string | undefined, now = new Date()) {
    const { store, handoff } = this.deps;
    const loads = await handoff.loads();
    const supervisors = (await store.users.list({ role: 'supervisor' }))
      .filter((u) => !u.disabled && u.id !== user.id && isAvailable(u, now, this.deps.presenceTtlMs))
      .sort((a, b) => (loads.get(a.id) ?? 0) - (loads.get(b.id) ?? 0));
    const supervisor = supervisors[0];
    if (!supervisor) throw new HandoffError(409, 'no_supervisor', { key: 'staff.error.noSupervisorAvailable' });
    const text = tr('staff.note.toSupervisor', STAFF_LANGUAGE, { name: user.displayName, note: note?.trim() || '-' });
    const conversation = await handoff.transfer(user, conversationId, { toCounselorId: supervisor.id, note: text });
    await this.deps.alerts.raise({
      key: `abuse-handover:${conversationId}:${conversation.handoffSeq}`,
      kind: 'abuse',
      conversationId,
      message: tr('staff.alert.abuseHandover', STAFF_LANGUAGE, { name: user.displayName, supervisor: supervisor.displayName }),
      raisedBy: user.id,
    });
    await store.audit.record({ actor: user.id, action: 'care.to_supervisor', subject: conversationId, at: now, details: { supervisorId: supervisor.id } });
    return { conversation, supervisor: { id: supervisor.id, displayName: supervisor.displayName } };
  }
}
