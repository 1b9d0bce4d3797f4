/**
 * FAQ editing for staff: validated create/update/delete with version history and revert, bulk
 * import/export, each change followed by a rebuild of the retrieval index (no restart).
 */
import { DajeongError } from '../core/errors';
import type { FaqEntry, KnowledgeStore, KnowledgeVersion } from '../core/knowledge-port';
import { parseFaqEntry } from '../knowledge/faq-schema';
import { validationError, zodFields, type FieldProblem } from './field-errors';

export interface FaqAdminDeps {
  store: KnowledgeStore;
  /** Rebuilds the retriever from the store. */
  reload: () => Promise<void>;
}

/** One entry with the version it is at. */
export interface VersionedFaq {
  entry: FaqEntry;
  version: number;
  updatedBy: string;
  savedAt: Date;
}

const view = (v: KnowledgeVersion): VersionedFaq => ({
  entry: v.doc as FaqEntry,
  version: v.version,
  updatedBy: v.actor,
  savedAt: v.at,
});

export class FaqAdmin {
  constructor(private readonly deps: FaqAdminDeps) {}

  /** Validates an entry; @throws 400 with field errors. */
  validate(value: unknown, prefix = ''): FaqEntry {
    const parsed = parseFaqEntry(value);
    if (!parsed.success) throw validationError('Invalid FAQ entry', zodFields(parsed.error, prefix));
    return parsed.data;
  }

  async list(filter: { intent?: string; topic?: string; q?: string } = {}): Promise<VersionedFaq[]> {
    const q = filter.q?.toLowerCase();
    return (await this.deps.store.latest('faq'))
      .filter((v) => !v.deleted && v.doc)
      .map(view)
      .filter(
        ({ entry }) =>
          (!filter.intent || entry.intent === filter.intent) &&
          (!filter.topic || entry.topic === filter.topic) &&
          (!q || JSON.stringify([entry.id, entry.questions, entry.answer]).toLowerCase().includes(q)),
      );
  }

  async get(id: string): Promise<VersionedFaq> {
    const v = await this.deps.store.get('faq', id);
    if (!v || v.deleted) throw new DajeongError('not_found', `FAQ entry ${id} not found`);
    return view(v);
  }

  /** @throws 409 when the id exists (a deleted id may be reused). */
  async create(value: unknown, actor: string, note?: string): Promise<VersionedFaq> {
    const entry = this.validate(value);
    const current = await this.deps.store.get('faq', entry.id);
    if (current && !current.deleted)
      throw new DajeongError('conflict', `FAQ entry ${entry.id} already exists`);
    const saved = await this.deps.store.append({
      kind: 'faq',
      key: entry.id,
      doc: entry,
      actor,
      note,
      expectedVersion: current?.version ?? 0,
    });
    await this.deps.reload();
    return view(saved);
  }

  /**
   * Replaces an entry. `expectedVersion` (optional) guards against overwriting someone else's edit.
   * @throws 400 when the body's id differs from the path, 404 unknown, 409 stale version.
   */
  async update(
    id: string,
    value: unknown,
    actor: string,
    options: { expectedVersion?: number; note?: string } = {},
  ): Promise<VersionedFaq> {
    const entry = this.validate(
      value && typeof value === 'object' && !('id' in value) ? { ...value, id } : value,
    );
    if (entry.id !== id)
      throw validationError('The entry id cannot change', [{ field: 'id', message: `must be "${id}"` }]);
    const current = await this.get(id);
    const saved = await this.deps.store.append({
      kind: 'faq',
      key: id,
      doc: entry,
      actor,
      note: options.note,
      expectedVersion: options.expectedVersion ?? current.version,
    });
    await this.deps.reload();
    return view(saved);
  }

  async remove(
    id: string,
    actor: string,
    options: { expectedVersion?: number; note?: string } = {},
  ): Promise<void> {
    const current = await this.get(id);
    await this.deps.store.append({
      kind: 'faq',
      key: id,
      deleted: true,
      actor,
      note: options.note,
      expectedVersion: options.expectedVersion ?? current.version,
    });
    await this.deps.reload();
  }

  async history(id: string): Promise<KnowledgeVersion[]> {
    const versions = await this.deps.store.history('faq', id);
    if (!versions.length) throw new DajeongError('not_found', `FAQ entry ${id} not found`);
    return versions;
  }

  /** Saves an earlier version's content as the newest version. */
  async revert(id: string, version: number, actor: string): Promise<VersionedFaq> {
    const versions = await this.history(id);
    const target = versions.find((v) => v.version === version);
    if (!target?.doc)
      throw new DajeongError('not_found', `FAQ entry ${id} has no version ${version} with content`);
    const saved = await this.deps.store.append({
      kind: 'faq',
      key: id,
      doc: target.doc,
      actor,
      note: `revert to version ${version}`,
      expectedVersion: versions.at(-1)!.version,
    });
    await this.deps.reload();
    return view(saved);
  }

  /**
   * Imports entries all-or-nothing: every row is validated first (400 lists each bad field with its
   * row), then new or changed entries are saved. `replace` also deletes entries missing from the import.
   */
  async import(
    values: unknown[],
    actor: string,
    mode: 'upsert' | 'replace',
  ): Promise<{ created: number; updated: number; unchanged: number; deleted: number }> {
    const problems: FieldProblem[] = [];
    const entries: FaqEntry[] = [];
    const seen = new Set<string>();
    values.forEach((value, i) => {
      const parsed = parseFaqEntry(value);
      if (!parsed.success) problems.push(...zodFields(parsed.error, `[${i}]`));
      else if (seen.has(parsed.data.id))
        problems.push({ field: `[${i}].id`, message: `duplicate id "${parsed.data.id}" in the import` });
      else {
        seen.add(parsed.data.id);
        entries.push(parsed.data);
      }
    });
    if (problems.length)
      throw validationError(`Import rejected: ${problems.length} problem(s); nothing was saved`, problems);
    const current = new Map((await this.deps.store.latest('faq')).map((v) => [v.key, v]));
    const result = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
    for (const entry of entries) {
      const existing = current.get(entry.id);
      if (existing && !existing.deleted && JSON.stringify(existing.doc) === JSON.stringify(entry)) {
        result.unchanged++;
        continue;
      }
      await this.deps.store.append({
        kind: 'faq',
        key: entry.id,
        doc: entry,
        actor,
        note: 'import',
        expectedVersion: existing?.version ?? 0,
      });
      if (existing && !existing.deleted) result.updated++;
      else result.created++;
    }
    if (mode === 'replace') {
      for (const v of current.values()) {
        if (v.deleted || seen.has(v.key)) continue;
        await this.deps.store.append({
          kind: 'faq',
          key: v.key,
          deleted: true,
          actor,
          note: 'import (replace)',
          expectedVersion: v.version,
        });
        result.deleted++;
      }
    }
    await this.deps.reload();
    return result;
  }

  async export(): Promise<FaqEntry[]> {
    return (await this.list()).map((v) => v.entry);
  }
}
