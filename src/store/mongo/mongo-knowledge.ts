/** KnowledgeStore on MongoDB: append-only versions; the unique (kind, key, version) index decides races. */
import { DajeongError } from '../../core/errors';
import { newId } from '../../core/ids';
import type {
  KnowledgeKind,
  KnowledgeStore,
  KnowledgeVersion,
  NewKnowledgeVersion,
} from '../../core/knowledge-port';
import { isDuplicateKey } from './errors';
import type { KnowledgeVersionDoc } from './knowledge-schemas';
import { defined } from './mapping';
import type { Models } from './models';

function toVersion(doc: KnowledgeVersionDoc): KnowledgeVersion {
  const { _id: _ignored, ...rest } = doc;
  return defined(rest) as KnowledgeVersion;
}

export class MongoKnowledge implements KnowledgeStore {
  constructor(private readonly m: Pick<Models, 'knowledgeVersions'>) {}

  async latest(kind: KnowledgeKind): Promise<KnowledgeVersion[]> {
    const docs = await this.m.knowledgeVersions
      .find({ kind })
      .sort({ key: 1, version: -1 })
      .lean<KnowledgeVersionDoc[]>();
    const out: KnowledgeVersion[] = [];
    let previous: string | undefined;
    for (const doc of docs) {
      if (doc.key === previous) continue;
      previous = doc.key;
      out.push(toVersion(doc));
    }
    return out;
  }

  async get(kind: KnowledgeKind, key: string) {
    const doc = await this.m.knowledgeVersions
      .findOne({ kind, key })
      .sort({ version: -1 })
      .lean<KnowledgeVersionDoc>();
    return doc ? toVersion(doc) : undefined;
  }

  async append(input: NewKnowledgeVersion): Promise<KnowledgeVersion> {
    const current = (await this.get(input.kind, input.key))?.version ?? 0;
    if (input.expectedVersion !== undefined && input.expectedVersion !== current) {
      throw new DajeongError(
        'conflict',
        `${input.kind} ${input.key} is at version ${current}, not ${input.expectedVersion}`,
      );
    }
    const deleted = input.deleted ?? false;
    const doc: KnowledgeVersionDoc = defined({
      _id: newId(),
      kind: input.kind,
      key: input.key,
      version: current + 1,
      doc: deleted ? undefined : input.doc,
      deleted,
      actor: input.actor,
      note: input.note,
      at: new Date(),
    });
    try {
      await this.m.knowledgeVersions.create(doc);
    } catch (err) {
      if (isDuplicateKey(err))
        throw new DajeongError('conflict', `${input.kind} ${input.key} was changed concurrently`);
      throw err;
    }
    return toVersion(doc);
  }

  async history(kind: KnowledgeKind, key: string) {
    const docs = await this.m.knowledgeVersions
      .find({ kind, key })
      .sort({ version: 1 })
      .lean<KnowledgeVersionDoc[]>();
    return docs.map(toVersion);
  }
}
