/** CannedAnswerStore on MongoDB. */
import { DajeongError } from '../../core/errors';
import { newId } from '../../core/ids';
import type { CannedAnswerRecord, CannedAnswerStore, NewCannedAnswer } from '../../core/canned-port';
import { defined, fromDoc } from './mapping';
import type { Models } from './models';
import type { CannedAnswerDoc } from './workspace-schemas';

const toRecord = (doc: CannedAnswerDoc) => fromDoc<CannedAnswerRecord>(doc);

export class MongoCannedAnswers implements CannedAnswerStore {
  constructor(private readonly m: Pick<Models, 'cannedAnswers'>) {}

  async create(input: NewCannedAnswer) {
    const now = new Date();
    const created = await this.m.cannedAnswers.create(defined({ ...input, _id: newId(), createdAt: now, updatedAt: now }));
    return toRecord(created.toObject<CannedAnswerDoc>());
  }

  async get(id: string) {
    const doc = await this.m.cannedAnswers.findById(id).lean<CannedAnswerDoc>();
    return doc ? toRecord(doc) : undefined;
  }

  async listVisible(ownerId: string, teams: string[], limit = 500) {
    // Two simple queries rather than one $or over different fields (FerretDB-friendly).
    const [mine, shared] = await Promise.all([
      this.m.cannedAnswers.find({ scope: 'personal', ownerId }).limit(limit).lean<CannedAnswerDoc[]>(),
      teams.length ? this.m.cannedAnswers.find({ scope: 'team', team: { $in: teams } }).limit(limit).lean<CannedAnswerDoc[]>() : [],
    ]);
    return [...mine, ...shared]
      .map(toRecord)
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
      .slice(0, limit);
  }

  async update(id: string, patch: Partial<Pick<CannedAnswerRecord, 'title' | 'text' | 'language'>>) {
    const doc = await this.m.cannedAnswers
      .findByIdAndUpdate(id, { $set: defined({ ...patch, updatedAt: new Date() }) }, { returnDocument: 'after' })
      .lean<CannedAnswerDoc>();
    if (!doc) throw new DajeongError('not_found', `canned answer ${id} not found`);
    return toRecord(doc);
  }

  async delete(id: string) {
    await this.m.cannedAnswers.deleteOne({ _id: id });
  }
}
