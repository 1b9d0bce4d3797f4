/** NoticeStore on MongoDB. */
import { DajeongError } from '../../core/errors';
import { newId } from '../../core/ids';
import type { NewNotice, Notice, NoticePatch, NoticeStore } from '../../core/notice-port';
import type { NoticeDoc } from './knowledge-schemas';
import { defined, fromDoc } from './mapping';
import type { Models } from './models';

const toNotice = (doc: NoticeDoc) => fromDoc<Notice>(doc);

export class MongoNotices implements NoticeStore {
  constructor(private readonly m: Pick<Models, 'notices'>) {}

  async create(input: NewNotice): Promise<Notice> {
    const now = new Date();
    const doc: NoticeDoc = { ...defined(input), _id: newId(), createdAt: now, updatedAt: now };
    const created = await this.m.notices.create(doc);
    return toNotice(created.toObject<NoticeDoc>());
  }

  async get(id: string) {
    const doc = await this.m.notices.findById(id).lean<NoticeDoc>();
    return doc ? toNotice(doc) : undefined;
  }

  async update(id: string, patch: NoticePatch): Promise<Notice> {
    const $set: Record<string, unknown> = { updatedAt: new Date() };
    const $unset: Record<string, 1> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (['id', '_id', 'createdAt', 'createdBy'].includes(key)) continue;
      if (value === undefined) $unset[key] = 1;
      else $set[key] = value;
    }
    const update = Object.keys($unset).length ? { $set, $unset } : { $set };
    const doc = await this.m.notices
      .findOneAndUpdate({ _id: id }, update, { returnDocument: 'after', runValidators: true })
      .lean<NoticeDoc>();
    if (!doc) throw new DajeongError('not_found', `notice ${id} not found`);
    return toNotice(doc);
  }

  async delete(id: string) {
    await this.m.notices.deleteOne({ _id: id });
  }

  async list(query: { activeAt?: Date; limit?: number }): Promise<Notice[]> {
    const filter = query.activeAt
      ? { startsAt: { $lte: query.activeAt }, endsAt: { $gt: query.activeAt } }
      : {};
    const docs = await this.m.notices
      .find(filter)
      .sort({ startsAt: -1, _id: -1 })
      .limit(query.limit ?? 100)
      .lean<NoticeDoc[]>();
    return docs.map(toNotice);
  }
}
