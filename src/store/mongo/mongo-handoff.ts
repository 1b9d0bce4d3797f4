/** Handoff stores on MongoDB: episodes, surveys, alerts, message flags, figure counters. */
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
import { isDuplicateKey } from './errors';
import type { AlertDoc, EpisodeDoc, FigureDoc, MessageFlagDoc, QueueAckDoc, SurveyDoc } from './handoff-schemas';
import { defined, fromDoc } from './mapping';
import type { Models } from './models';

/** $set / $unset for a patch where undefined removes the field. */
function toUpdate(patch: object, immutable: readonly string[] = []) {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'id' || key === '_id' || immutable.includes(key)) continue;
    if (value === undefined) $unset[key] = 1;
    else $set[key] = value;
  }
  if (!Object.keys($unset).length) return { $set };
  if (!Object.keys($set).length) return { $unset };
  return { $set, $unset };
}

const toEpisode = (doc: EpisodeDoc) => fromDoc<HandoffEpisode>(doc);

export class MongoEpisodes implements EpisodeStore {
  constructor(private readonly m: Pick<Models, 'episodes' | 'queueAcks'>) {}

  async open(episode: HandoffEpisode): Promise<HandoffEpisode> {
    const { id, ...rest } = episode;
    try {
      const created = await this.m.episodes.create({ ...defined(rest), _id: id });
      return toEpisode(created.toObject<EpisodeDoc>());
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.get(id);
      if (!existing) throw err;
      return existing;
    }
  }

  async get(id: string) {
    const doc = await this.m.episodes.findById(id).lean<EpisodeDoc>();
    return doc ? toEpisode(doc) : undefined;
  }

  async update(id: string, patch: EpisodePatch) {
    const doc = await this.m.episodes
      .findOneAndUpdate({ _id: id }, toUpdate(patch, ['conversationId', 'handoffSeq', 'residentId']), {
        returnDocument: 'after',
        runValidators: true,
      })
      .lean<EpisodeDoc>();
    if (!doc) throw new DajeongError('not_found', `episode ${id} not found`);
    return toEpisode(doc);
  }

  async listByConversation(conversationId: string) {
    const docs = await this.m.episodes.find({ conversationId }).sort({ handoffSeq: 1 }).lean<EpisodeDoc[]>();
    return docs.map(toEpisode);
  }

  async listQueuedSince(since: Date, limit: number) {
    const docs = await this.m.episodes
      .find({ queuedAt: { $gte: since } })
      .sort({ queuedAt: 1, _id: 1 })
      .limit(limit)
      .lean<EpisodeDoc[]>();
    return docs.map(toEpisode);
  }

  async lastAck(episodeId: string) {
    const doc = await this.m.queueAcks.findOne({ episodeId }).sort({ at: -1 }).lean<QueueAckDoc>();
    return doc ? new Date(doc.at) : undefined;
  }

  async claimAck(claim: AckClaim) {
    try {
      await this.m.queueAcks.create({ ...defined({ ...claim }), _id: ackClaimKey(claim) });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async deleteByConversation(conversationId: string) {
    await this.m.queueAcks.deleteMany({ conversationId });
    return (await this.m.episodes.deleteMany({ conversationId })).deletedCount;
  }
}

const toSurvey = (doc: SurveyDoc) => fromDoc<Survey>(doc);

export class MongoSurveys implements SurveyStore {
  constructor(private readonly m: Pick<Models, 'surveys'>) {}

  async create(input: Omit<Survey, 'id'>) {
    const created = await this.m.surveys.create({ ...defined(input), _id: newId() });
    return toSurvey(created.toObject<SurveyDoc>());
  }

  async get(id: string) {
    const doc = await this.m.surveys.findById(id).lean<SurveyDoc>();
    return doc ? toSurvey(doc) : undefined;
  }

  async update(id: string, patch: SurveyPatch) {
    const doc = await this.m.surveys
      .findOneAndUpdate({ _id: id }, toUpdate(patch), { returnDocument: 'after', runValidators: true })
      .lean<SurveyDoc>();
    if (!doc) throw new DajeongError('not_found', `survey ${id} not found`);
    return toSurvey(doc);
  }

  async findPending(channel: string, externalUserId: string, now: Date) {
    const doc = await this.m.surveys
      .findOne({ channel, externalUserId, status: 'pending', expiresAt: { $gt: now } })
      .sort({ sentAt: -1, _id: -1 })
      .lean<SurveyDoc>();
    return doc ? toSurvey(doc) : undefined;
  }

  async listSentSince(since: Date, limit: number) {
    const docs = await this.m.surveys
      .find({ sentAt: { $gte: since } })
      .sort({ sentAt: 1, _id: 1 })
      .limit(limit)
      .lean<SurveyDoc[]>();
    return docs.map(toSurvey);
  }

  async listByConversation(conversationId: string) {
    const docs = await this.m.surveys.find({ conversationId }).sort({ sentAt: 1, _id: 1 }).lean<SurveyDoc[]>();
    return docs.map(toSurvey);
  }

  async deleteByConversation(conversationId: string) {
    return (await this.m.surveys.deleteMany({ conversationId })).deletedCount;
  }
}

const toAlert = (doc: AlertDoc) => fromDoc<Alert>(doc);

export class MongoAlerts implements AlertStore {
  constructor(private readonly m: Pick<Models, 'alerts'>) {}

  async raise(input: Omit<Alert, 'id'>) {
    try {
      const created = await this.m.alerts.create({ ...defined(input), _id: newId() });
      return { alert: toAlert(created.toObject<AlertDoc>()), created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.m.alerts.findOne({ key: input.key }).lean<AlertDoc>();
      if (!existing) throw err;
      return { alert: toAlert(existing), created: false };
    }
  }

  async get(id: string) {
    const doc = await this.m.alerts.findById(id).lean<AlertDoc>();
    return doc ? toAlert(doc) : undefined;
  }

  async acknowledge(id: string, by: string, at: Date) {
    // Only the first acknowledgement is kept; a second one just reads the record.
    await this.m.alerts.updateOne({ _id: id, acknowledgedAt: { $exists: false } }, { $set: { acknowledgedAt: at, acknowledgedBy: by } });
    const doc = await this.m.alerts.findById(id).lean<AlertDoc>();
    if (!doc) throw new DajeongError('not_found', `alert ${id} not found`);
    return toAlert(doc);
  }

  async list(query: { open?: boolean; since?: Date; limit?: number }) {
    const filter: Record<string, unknown> = {};
    if (query.open !== undefined) filter['acknowledgedAt'] = { $exists: !query.open };
    if (query.since) filter['raisedAt'] = { $gte: query.since };
    const docs = await this.m.alerts
      .find(filter)
      .sort({ raisedAt: -1, _id: -1 })
      .limit(query.limit ?? 100)
      .lean<AlertDoc[]>();
    return docs.map(toAlert);
  }

  async deleteByConversation(conversationId: string) {
    return (await this.m.alerts.deleteMany({ conversationId })).deletedCount;
  }
}

export class MongoMessageFlags implements MessageFlagStore {
  constructor(private readonly m: Pick<Models, 'messageFlags'>) {}

  async flag(flag: MessageFlag) {
    try {
      await this.m.messageFlags.create({ ...flag, _id: `${flag.messageId}:${flag.kind}` });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async listByConversation(conversationId: string) {
    const docs = await this.m.messageFlags.find({ conversationId }).sort({ at: 1 }).lean<MessageFlagDoc[]>();
    return docs.map(({ messageId, conversationId: c, kind, at }) => ({ messageId, conversationId: c, kind, at }));
  }

  async deleteByConversation(conversationId: string) {
    return (await this.m.messageFlags.deleteMany({ conversationId })).deletedCount;
  }
}

export class MongoFigures implements FigureStore {
  constructor(private readonly m: Pick<Models, 'figures'>) {}

  async increment(day: string, key: string, by = 1) {
    await this.m.figures.create({ _id: newId(), day, key, count: by });
  }

  async list(fromDay: string, toDay: string): Promise<FigureCount[]> {
    const docs = await this.m.figures.find({ day: { $gte: fromDay, $lte: toDay } }).lean<FigureDoc[]>();
    const sums = new Map<string, FigureCount>();
    for (const d of docs) {
      const id = `${d.day}|${d.key}`;
      const c = sums.get(id);
      if (c) c.count += d.count;
      else sums.set(id, { day: d.day, key: d.key, count: d.count });
    }
    return [...sums.values()];
  }
}
