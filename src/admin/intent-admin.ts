/**
 * Intent-example editing for staff. The intent files (intents/*.json) stay the classifier's source
 * of truth, as the data layout intends: an edit is validated, written atomically, the classifier is
 * reloaded from the folder (nlu.reload), and the new content is kept as a version in the store for
 * history. A change the classifier cannot load is rolled back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DajeongError } from '../core/errors';
import type { KnowledgeStore, KnowledgeVersion } from '../core/knowledge-port';
import { intentFileSchema, type IntentDefinition } from '../nlu/intent-data';
import { validationError, zodFields } from './field-errors';

export interface IntentAdminDeps {
  intentsDir: string;
  store: KnowledgeStore;
  /** Current definitions as the classifier loaded them. */
  definitions: () => Map<string, IntentDefinition>;
  /** Re-reads the intent folder and retrains (NluService.reload). */
  reloadClassifier: () => void | Promise<void>;
  /** Rebuilds what else depends on intent examples (the FAQ retriever's tuning). */
  afterChange: () => Promise<void>;
  /** Tells other instances that an edit was stored (they then call applyFromStore). */
  announce?: () => void;
}

export const exampleBody = z
  .object({
    language: z.string().regex(/^[a-z]{2,3}$/, 'must be a language code such as ko or en'),
    text: z.string().trim().min(2, 'must be at least 2 characters').max(300),
  })
  .strict();

export const intentBody = z
  .object({
    description: z.string().max(500).optional(),
    examples: z.record(
      z.string().regex(/^[a-z]{2,3}$/, 'must be a language code'),
      z.array(z.string().trim().min(2).max(300)).max(500),
    ),
    reply: z.record(z.string().regex(/^[a-z]{2,3}$/), z.string().trim().min(1).max(2000)).optional(),
  })
  .strict()
  .refine((b) => Object.values(b.examples).some((list) => list.length > 0), {
    message: 'needs at least one example',
    path: ['examples'],
  });

export class IntentAdmin {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: IntentAdminDeps) {}

  list(): { intent: string; description?: string; examples: Record<string, number> }[] {
    return [...this.deps.definitions().values()].map((d) => ({
      intent: d.intent,
      ...(d.description && { description: d.description }),
      examples: Object.fromEntries(Object.entries(d.examples).map(([l, xs]) => [l, xs.length])),
    }));
  }

  get(intent: string): IntentDefinition {
    const def = this.deps.definitions().get(intent);
    if (!def) throw new DajeongError('not_found', `intent ${intent} not found`);
    return def;
  }

  async history(intent: string): Promise<KnowledgeVersion[]> {
    this.get(intent);
    return this.deps.store.history('intent', intent);
  }

  /** Replaces an intent's examples (and optionally description and reply). */
  replace(intent: string, body: unknown, actor: string, note?: string): Promise<IntentDefinition> {
    const parsed = intentBody.safeParse(body);
    if (!parsed.success) throw validationError('Invalid intent definition', zodFields(parsed.error));
    const current = this.get(intent);
    const next: IntentDefinition = {
      intent,
      ...(current.outOfScope !== undefined && { outOfScope: current.outOfScope }),
      description: parsed.data.description ?? current.description,
      examples: parsed.data.examples,
      // Look-alikes are data-file material (crisis precision); replacing the examples keeps them.
      ...(current.lookalikes && { lookalikes: current.lookalikes }),
      reply: parsed.data.reply ?? current.reply,
    };
    return this.save(next, actor, note);
  }

  /** Adds one example; adding one that exists is a no-op. */
  async addExample(intent: string, body: unknown, actor: string, note?: string): Promise<IntentDefinition> {
    const parsed = exampleBody.safeParse(body);
    if (!parsed.success) throw validationError('Invalid example', zodFields(parsed.error));
    const current = this.get(intent);
    const { language, text } = parsed.data;
    const list = current.examples[language] ?? [];
    if (list.includes(text)) return current;
    return this.save(
      { ...current, examples: { ...current.examples, [language]: [...list, text] } },
      actor,
      note ?? 'add example',
    );
  }

  async removeExample(intent: string, body: unknown, actor: string): Promise<IntentDefinition> {
    const parsed = exampleBody.safeParse(body);
    if (!parsed.success) throw validationError('Invalid example', zodFields(parsed.error));
    const current = this.get(intent);
    const { language, text } = parsed.data;
    const list = current.examples[language] ?? [];
    if (!list.includes(text))
      throw new DajeongError('not_found', `intent ${intent} has no ${language} example "${text}"`);
    return this.save(
      { ...current, examples: { ...current.examples, [language]: list.filter((x) => x !== text) } },
      actor,
      'remove example',
    );
  }

  /** Adds many examples (CSV/JSON import), grouped per intent; every row is checked first. */
  async importExamples(
    rows: { intent: string; language: string; text: string }[],
    actor: string,
  ): Promise<{ added: number }> {
    const problems = rows.flatMap((r, i) => {
      // A JSON body may hold anything: each row must be an object before its fields are read.
      if (typeof r !== 'object' || r === null || Array.isArray(r))
        return [{ field: `[${i}]`, message: 'must be an object {intent, language, text}' }];
      const out = [];
      if (typeof r.intent !== 'string' || !this.deps.definitions().has(r.intent))
        out.push({ field: `[${i}].intent`, message: `unknown intent "${r.intent}"` });
      const parsed = exampleBody.safeParse({ language: r.language, text: r.text });
      if (!parsed.success) out.push(...zodFields(parsed.error, `[${i}]`));
      return out;
    });
    if (problems.length)
      throw validationError(`Import rejected: ${problems.length} problem(s); nothing was saved`, problems);
    let added = 0;
    const byIntent = new Map<string, { language: string; text: string }[]>();
    for (const r of rows)
      byIntent.set(r.intent, [
        ...(byIntent.get(r.intent) ?? []),
        { language: r.language, text: r.text.trim() },
      ]);
    for (const [intent, items] of byIntent) {
      const current = this.get(intent);
      const examples = Object.fromEntries(Object.entries(current.examples).map(([l, xs]) => [l, [...xs]]));
      for (const { language, text } of items) {
        const list = (examples[language] ??= []);
        if (!list.includes(text)) {
          list.push(text);
          added++;
        }
      }
      await this.save({ ...current, examples }, actor, 'import', { reload: false });
    }
    if (byIntent.size) this.deps.announce?.();
    await this.reloadAll();
    return { added };
  }

  export(): IntentDefinition[] {
    return [...this.deps.definitions().values()];
  }

  private save(
    def: IntentDefinition,
    actor: string,
    note?: string,
    options: { reload?: boolean } = {},
  ): Promise<IntentDefinition> {
    // One file write at a time, so two edits of one intent cannot interleave.
    const run = this.chain.then(() => this.write(def, actor, note, options.reload ?? true));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async write(
    def: IntentDefinition,
    actor: string,
    note: string | undefined,
    reload: boolean,
  ): Promise<IntentDefinition> {
    const checked = intentFileSchema.safeParse(def);
    if (!checked.success) throw validationError('Invalid intent definition', zodFields(checked.error));
    const file = path.join(this.deps.intentsDir, `${def.intent}.json`);
    const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    const history = await this.deps.store.history('intent', def.intent);
    // The first edit keeps the file as it was, so history starts from the shipped data.
    if (!history.length && previous)
      await this.deps.store.append({
        kind: 'intent',
        key: def.intent,
        doc: JSON.parse(previous),
        actor: 'seed',
        note: 'intents data file',
        expectedVersion: 0,
      });
    writeAtomically(file, `${JSON.stringify(checked.data, null, 2)}\n`);
    try {
      if (reload) await this.deps.reloadClassifier();
    } catch (err) {
      if (previous !== undefined) writeAtomically(file, previous);
      throw new DajeongError(
        'validation',
        `The classifier could not load the change: ${(err as Error).message}`,
        { details: { fields: [{ field: 'examples', message: (err as Error).message }] } },
      );
    }
    await this.deps.store.append({ kind: 'intent', key: def.intent, doc: checked.data, actor, note });
    if (reload) {
      this.deps.announce?.();
      await this.deps.afterChange();
    }
    return checked.data;
  }

  /**
   * Brings intent edits stored by other instances into this instance's intents folder, then reloads
   * the classifier and what depends on it. Every intent whose latest stored version is an edit (not
   * the shipped file) is written when the file differs: as for the FAQ, admin edits win over the
   * files the image ships.
   */
  applyFromStore(): Promise<void> {
    const run = this.chain.then(async () => {
      await writeStoredIntents(this.deps.store, this.deps.intentsDir);
      await this.deps.reloadClassifier();
      await this.deps.afterChange();
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Reloads the classifier and dependants after a batch. */
  async reloadAll(): Promise<void> {
    await this.deps.reloadClassifier();
    await this.deps.afterChange();
  }
}

/**
 * Writes every intent whose latest stored version is an admin edit (not the shipped file) into the
 * intents folder when the file differs; returns how many files changed. The composition root runs it
 * before the classifier first loads, so a new or restarted instance starts with the edits too.
 */
export async function writeStoredIntents(store: KnowledgeStore, intentsDir: string): Promise<number> {
  let changed = 0;
  for (const v of await store.latest('intent')) {
    if (v.deleted || !v.doc || v.actor === 'seed' || !SAFE_NAME.test(v.key)) continue;
    const checked = intentFileSchema.safeParse(v.doc);
    if (!checked.success || checked.data.intent !== v.key) continue;
    const file = path.join(intentsDir, `${v.key}.json`);
    const content = `${JSON.stringify(checked.data, null, 2)}\n`;
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) continue;
    writeAtomically(file, content);
    changed++;
  }
  return changed;
}

/** An intent name that is a plain file name (store data never picks the path). */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

function writeAtomically(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}
