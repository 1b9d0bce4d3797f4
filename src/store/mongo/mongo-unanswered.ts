/**
 * UnansweredStore on MongoDB. The first occurrence of a key inserts the item; the unique key index
 * makes a concurrent first occurrence fail and count on the winner's item with $inc instead.
 * Who asked is kept apart (unansweredAskers, one document per item and resident, same
 * insert-then-$inc rule), so a resident's occurrences can be exported and deleted.
 */
import { DajeongError } from '../../core/errors';
import { newId } from '../../core/ids';
import type {
  UnansweredItem,
  UnansweredOccurrence,
  UnansweredResolution,
  UnansweredStatus,
  UnansweredStore,
} from '../../core/unanswered-port';
import { isDuplicateKey } from './errors';
import type { UnansweredAskerDoc, UnansweredDoc } from './knowledge-schemas';
import { defined, fromDoc } from './mapping';
import type { Models } from './models';

const toItem = (doc: UnansweredDoc) => fromDoc<UnansweredItem>(doc);

export class MongoUnanswered implements UnansweredStore {
  constructor(private readonly m: Pick<Models, 'unanswered' | 'unansweredAskers'>) {}

  async record(o: UnansweredOccurrence): Promise<UnansweredItem> {
    const item = await this.count(o);
    if (o.residentId) await this.countAsker(item.id, o.residentId, o.at ?? new Date());
    return item;
  }

  private async countAsker(itemId: string, residentId: string, at: Date): Promise<void> {
    const _id = `${itemId}:${residentId}`;
    try {
      await this.m.unansweredAskers.create({ _id, itemId, residentId, count: 1, lastAt: at });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await this.m.unansweredAskers.updateOne({ _id }, { $inc: { count: 1 }, $max: { lastAt: at } });
    }
  }

  private async count(o: UnansweredOccurrence): Promise<UnansweredItem> {
    const at = o.at ?? new Date();
    const counted = await this.increment(o, at);
    if (counted) return counted;
    const doc: UnansweredDoc = defined({
      _id: newId(),
      key: o.key,
      text: o.text,
      language: o.language,
      count: 1,
      reasons: {
        low_confidence: o.reason === 'low_confidence' ? 1 : 0,
        not_helpful: o.reason === 'not_helpful' ? 1 : 0,
      },
      lastIntent: o.intent,
      lastFaqId: o.faqId,
      status: 'open' as const,
      firstAt: at,
      lastAt: at,
    });
    try {
      const created = await this.m.unanswered.create(doc);
      return toItem(created.toObject<UnansweredDoc>());
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Someone else inserted the first occurrence meanwhile: count on theirs.
      const again = await this.increment(o, at);
      if (!again) throw err;
      return again;
    }
  }

  private async increment(o: UnansweredOccurrence, at: Date): Promise<UnansweredItem | undefined> {
    const doc = await this.m.unanswered
      .findOneAndUpdate(
        { key: o.key },
        {
          $inc: { count: 1, [`reasons.${o.reason}`]: 1 },
          $max: { lastAt: at },
          $set: defined({ lastIntent: o.intent, lastFaqId: o.faqId }),
        },
        { returnDocument: 'after' },
      )
      .lean<UnansweredDoc>();
    if (!doc) return undefined;
    if (doc.status !== 'resolved') return toItem(doc);
    // Reopening is idempotent, so a plain guarded update is enough here.
    const reopened = await this.m.unanswered
      .findOneAndUpdate(
        { _id: doc._id, status: 'resolved' },
        { $set: { status: 'open' }, $unset: { resolution: 1 } },
        { returnDocument: 'after' },
      )
      .lean<UnansweredDoc>();
    return toItem(reopened ?? doc);
  }

  async get(id: string) {
    const doc = await this.m.unanswered.findById(id).lean<UnansweredDoc>();
    return doc ? toItem(doc) : undefined;
  }

  async list(query: { status?: UnansweredStatus; limit?: number }): Promise<UnansweredItem[]> {
    const docs = await this.m.unanswered
      .find(defined({ status: query.status }))
      .sort({ count: -1, lastAt: -1 })
      .limit(query.limit ?? 100)
      .lean<UnansweredDoc[]>();
    return docs.map(toItem);
  }

  async resolve(id: string, resolution: UnansweredResolution): Promise<UnansweredItem> {
    const doc = await this.m.unanswered
      .findOneAndUpdate(
        { _id: id },
        {
          $set: {
            status: resolution.kind === 'dismissed' ? 'dismissed' : 'resolved',
            resolution: defined(resolution),
          },
        },
        { returnDocument: 'after', runValidators: true },
      )
      .lean<UnansweredDoc>();
    if (!doc) throw new DajeongError('not_found', `unanswered item ${id} not found`);
    return toItem(doc);
  }

  async listByResident(residentId: string) {
    const askers = await this.m.unansweredAskers.find({ residentId }).lean<UnansweredAskerDoc[]>();
    const times = new Map(askers.map((a) => [a.itemId, a.count]));
    const docs = await this.m.unanswered.find({ _id: { $in: [...times.keys()] } }).lean<UnansweredDoc[]>();
    return docs.map((d) => ({ ...toItem(d), askedByResident: times.get(d._id) ?? 0 }));
  }

  async forgetResident(residentId: string): Promise<number> {
    const askers = await this.m.unansweredAskers.find({ residentId }).lean<UnansweredAskerDoc[]>();
    let deleted = 0;
    for (const asker of askers) {
      const others = await this.m.unansweredAskers.countDocuments({ itemId: asker.itemId, residentId: { $ne: residentId } });
      // Order for retries after a failure: the text goes before the link that finds it; a count
      // is lowered only after its link is gone, so it is never lowered twice.
      if (others === 0) {
        deleted += (await this.m.unanswered.deleteOne({ _id: asker.itemId })).deletedCount;
        await this.m.unansweredAskers.deleteOne({ _id: asker._id });
      } else {
        await this.m.unansweredAskers.deleteOne({ _id: asker._id });
        await this.m.unanswered.updateOne({ _id: asker.itemId }, { $inc: { count: -asker.count } });
      }
    }
    return deleted;
  }
}
