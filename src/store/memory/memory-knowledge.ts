/** In-memory KnowledgeStore: an append-only list of versions per (kind, key). */
import { DajeongError } from '../../core/errors';
import type {
  KnowledgeKind,
  KnowledgeStore,
  KnowledgeVersion,
  NewKnowledgeVersion,
} from '../../core/knowledge-port';
import { clone } from './clone';

const keyOf = (kind: KnowledgeKind, key: string) => `${kind}\u0000${key}`;

export class MemoryKnowledge implements KnowledgeStore {
  private readonly versions = new Map<string, KnowledgeVersion[]>();

  async latest(kind: KnowledgeKind): Promise<KnowledgeVersion[]> {
    const out: KnowledgeVersion[] = [];
    for (const list of this.versions.values()) {
      const last = list.at(-1);
      if (last && last.kind === kind) out.push(last);
    }
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return clone(out);
  }

  async get(kind: KnowledgeKind, key: string) {
    const last = this.versions.get(keyOf(kind, key))?.at(-1);
    return last ? clone(last) : undefined;
  }

  async append(input: NewKnowledgeVersion): Promise<KnowledgeVersion> {
    const list = this.versions.get(keyOf(input.kind, input.key)) ?? [];
    const current = list.at(-1)?.version ?? 0;
    if (input.expectedVersion !== undefined && input.expectedVersion !== current) {
      throw new DajeongError(
        'conflict',
        `${input.kind} ${input.key} is at version ${current}, not ${input.expectedVersion}`,
      );
    }
    const version: KnowledgeVersion = {
      kind: input.kind,
      key: input.key,
      version: current + 1,
      deleted: input.deleted ?? false,
      actor: input.actor,
      at: new Date(),
      ...(input.doc !== undefined && !input.deleted && { doc: clone(input.doc) }),
      ...(input.note !== undefined && { note: input.note }),
    };
    list.push(version);
    this.versions.set(keyOf(input.kind, input.key), list);
    return clone(version);
  }

  async history(kind: KnowledgeKind, key: string) {
    return clone(this.versions.get(keyOf(kind, key)) ?? []);
  }
}
