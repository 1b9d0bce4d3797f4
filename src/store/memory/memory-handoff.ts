/** In-memory handoff stores: episodes, surveys, alerts, message flags, figures (see test/store/handoff-contract.ts). */
import {
  ackClaimKey,
  type AckClaim,
  type Alert,
  type AlertStore,
  type EpisodePatch,
  type EpisodeStore,
  type FigureCount,
  type FigureStore,
  type HandoffEpisode,
  type MessageFlag,
  type MessageFlagStore,
  type Survey,
  type SurveyPatch,
  type SurveyStore,
} from '../../core/handoff-port';
import { DajeongError } from '../../core/errors';
import { newId } from '../../core/ids';
import { clone } from './clone';


/** Applies a patch where undefined removes a field, like the other memory stores. */
function patchInPlace(target: object, patch: object): void {
  for (const [key, value] of Object.entries(clone(patch))) {
    if (value === undefined) delete (target as Record<string, unknown>)[key];
    else (target as Record<string, unknown>)[key] = value;
  }
}

/** Deletes the entries matching `test`; returns how many went. */
function deleteWhere<V>(map: Map<string, V>, test: (value: V) => boolean): number {
  let n = 0;
  for (const [key, value] of map) {
    if (test(value)) {
      map.delete(key);
      n++;
    }
  }
  return n;
}

export class MemoryEpisodes implements EpisodeStore {
  private readonly byId = new Map<string, HandoffEpisode>();
  /** Acknowledgement claims by key, and the newest per episode. */
  private readonly acks = new Map<string, AckClaim>();
  private readonly lastAckOf = new Map<string, AckClaim>();

  async open(episode: HandoffEpisode) {
    const existing = this.byId.get(episode.id);
    if (existing) return clone(existing);
    this.byId.set(episode.id, clone(episode));
    return clone(episode);
  }

  async get(id: string) {
    const e = this.byId.get(id);
    return e ? clone(e) : undefined;
  }

  async update(id: string, patch: EpisodePatch) {
    const e = this.byId.get(id);
    if (!e) throw new DajeongError('not_found', `episode ${id} not found`);
    patchInPlace(e, patch);
    return clone(e);
  }

  async listByConversation(conversationId: string) {
    return clone(
      [...this.byId.values()].filter((e) => e.conversationId === conversationId).sort((a, b) => a.handoffSeq - b.handoffSeq),
    );
  }

  async listQueuedSince(since: Date, limit: number) {
    return clone(
      [...this.byId.values()]
        .filter((e) => e.queuedAt >= since)
        .sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime())
        .slice(0, limit),
    );
  }

  async lastAck(episodeId: string) {
    const last = this.lastAckOf.get(episodeId);
    return last ? new Date(last.at) : undefined;
  }

  async claimAck(claim: AckClaim) {
    const key = ackClaimKey(claim);
    if (this.acks.has(key)) return false;
    this.acks.set(key, clone(claim));
    const last = this.lastAckOf.get(claim.episodeId);
    if (!last || claim.at > last.at) this.lastAckOf.set(claim.episodeId, clone(claim));
    return true;
  }

  async deleteByConversation(conversationId: string) {
    deleteWhere(this.acks, (value) => value.conversationId === conversationId);
    deleteWhere(this.lastAckOf, (value) => value.conversationId === conversationId);
    return deleteWhere(this.byId, (value) => value.conversationId === conversationId);
  }
}

export class MemorySurveys implements SurveyStore {
  private readonly byId = new Map<string, Survey>();

  async create(input: Omit<Survey, 'id'>) {
    const survey: Survey = { ...clone(input), id: newId() };
    this.byId.set(survey.id, survey);
    return clone(survey);
  }

  async get(id: string) {
    const s = this.byId.get(id);
    return s ? clone(s) : undefined;
  }

  async update(id: string, patch: SurveyPatch) {
    const s = this.byId.get(id);
    if (!s) throw new DajeongError('not_found', `survey ${id} not found`);
    patchInPlace(s, patch);
    return clone(s);
  }

  async findPending(channel: string, externalUserId: string, now: Date) {
    let best: Survey | undefined;
    for (const s of this.byId.values()) {
      if (s.channel !== channel || s.externalUserId !== externalUserId || s.status !== 'pending' || s.expiresAt <= now) continue;
      if (!best || s.sentAt > best.sentAt) best = s;
    }
    return best ? clone(best) : undefined;
  }

  async listSentSince(since: Date, limit: number) {
    return clone(
      [...this.byId.values()]
        .filter((s) => s.sentAt >= since)
        .sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime())
        .slice(0, limit),
    );
  }

  async listByConversation(conversationId: string) {
    return clone(
      [...this.byId.values()].filter((s) => s.conversationId === conversationId).sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime()),
    );
  }

  async deleteByConversation(conversationId: string) {
    return deleteWhere(this.byId, (value) => value.conversationId === conversationId);
  }
}

export class MemoryAlerts implements AlertStore {
  private readonly byId = new Map<string, Alert>();
  private readonly byKey = new Map<string, string>();

  async raise(input: Omit<Alert, 'id'>) {
    const existing = this.byKey.get(input.key);
    if (existing) return { alert: clone(this.byId.get(existing)!), created: false };
    const alert: Alert = { ...clone(input), id: newId() };
    this.byId.set(alert.id, alert);
    this.byKey.set(alert.key, alert.id);
    return { alert: clone(alert), created: true };
  }

  async get(id: string) {
    const a = this.byId.get(id);
    return a ? clone(a) : undefined;
  }

  async acknowledge(id: string, by: string, at: Date) {
    const a = this.byId.get(id);
    if (!a) throw new DajeongError('not_found', `alert ${id} not found`);
    if (!a.acknowledgedAt) Object.assign(a, { acknowledgedAt: at, acknowledgedBy: by });
    return clone(a);
  }

  async list(query: { open?: boolean; since?: Date; limit?: number }) {
    return clone(
      [...this.byId.values()]
        .filter(
          (a) =>
            (query.open === undefined || query.open === !a.acknowledgedAt) && (!query.since || a.raisedAt >= query.since),
        )
        .sort((a, b) => b.raisedAt.getTime() - a.raisedAt.getTime() || (a.id < b.id ? 1 : -1))
        .slice(0, query.limit ?? 100),
    );
  }

  async deleteByConversation(conversationId: string) {
    return deleteWhere(this.byId, (alert) => {
      if (alert.conversationId !== conversationId) return false;
      this.byKey.delete(alert.key);
      return true;
    });
  }
}

export class MemoryMessageFlags implements MessageFlagStore {
  private readonly byKey = new Map<string, MessageFlag>();

  async flag(flag: MessageFlag) {
    const key = `${flag.messageId}:${flag.kind}`;
    if (!this.byKey.has(key)) this.byKey.set(key, clone(flag));
  }

  async listByConversation(conversationId: string) {
    return clone(
      [...this.byKey.values()].filter((f) => f.conversationId === conversationId).sort((a, b) => a.at.getTime() - b.at.getTime()),
    );
  }

  async deleteByConversation(conversationId: string) {
    return deleteWhere(this.byKey, (value) => value.conversationId === conversationId);
  }
}

export class MemoryFigures implements FigureStore {
  private readonly counts = new Map<string, FigureCount>();

  async increment(day: string, key: string, by = 1) {
    const id = `${day}|${key}`;
    const c = this.counts.get(id);
    if (c) c.count += by;
    else this.counts.set(id, { day, key, count: by });
  }

  async list(fromDay: string, toDay: string) {
    return clone([...this.counts.values()].filter((c) => c.day >= fromDay && c.day <= toDay));
  }
}
