/**
 * Pass rate of the conversation stories per category (and per language and tag).
 *
 *   npm run eval:conversations [-- --only transport,crisis] [--failures] [--json] [--pending]
 *
 * `--pending` plays the stories of test/conversations/pending/ instead (known product bugs, each
 * story with its `bug`); a pending story that passes is ready to move to stories/.
 *
 * The same stories and runner as test/conversations/stories.test.ts (which CI runs and which must pass
 * at 100 %); this prints the table.
 */
import { parseArgs } from 'node:util';
import { explain, loadStoryFiles, PENDING_DIR, runStory, STORIES_DIR } from './story-runner';
import { closeStoryServices, storyServiceFor } from './story-service';

interface Tally {
  passed: number;
  total: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      failures: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      pending: { type: 'boolean', default: false },
    },
  });
  const byCategory = new Map<string, Tally>();
  const byLanguage = new Map<string, Tally>();
  const byTag = new Map<string, Tally>();
  const failures: string[] = [];
  const add = (map: Map<string, Tally>, key: string, ok: boolean) => {
    const t = map.get(key) ?? { passed: 0, total: 0 };
    t.total += 1;
    if (ok) t.passed += 1;
    map.set(key, t);
  };
  for (const { file, spec } of loadStoryFiles(values.pending ? PENDING_DIR : STORIES_DIR, values.only?.split(','))) {
    const service = await storyServiceFor(spec);
    for (const story of spec.stories) {
      const outcome = await runStory(service, story);
      add(byCategory, spec.category, outcome.passed);
      add(byLanguage, story.lang, outcome.passed);
      for (const tag of story.tags) add(byTag, tag, outcome.passed);
      if (!outcome.passed) failures.push(`${file} › ${story.story}${story.bug ? `\n  bug: ${story.bug}` : ''}\n  ${explain(outcome)}`);
    }
  }
  await closeStoryServices();
  const rows = (map: Map<string, Tally>) =>
    [...map].sort(([a], [b]) => a.localeCompare(b)).map(([key, t]) => ({ key, passed: t.passed, total: t.total, rate: t.total ? t.passed / t.total : 0 }));
  const all = [...byCategory.values()].reduce((s, t) => ({ passed: s.passed + t.passed, total: s.total + t.total }), { passed: 0, total: 0 });
  if (values.json) {
    console.log(JSON.stringify({ total: all, categories: rows(byCategory), languages: rows(byLanguage), tags: rows(byTag), failures }, null, 2));
  } else {
    const print = (title: string, map: Map<string, Tally>) => {
      console.log(`\n${title}`);
      for (const r of rows(map)) console.log(`  ${r.key.padEnd(24)} ${String(r.passed).padStart(4)}/${String(r.total).padEnd(4)} ${(100 * r.rate).toFixed(1)}%`);
    };
    print('category', byCategory);
    print('language', byLanguage);
    if (byTag.size) print('tag', byTag);
    console.log(`\nall: ${all.passed}/${all.total} (${all.total ? ((100 * all.passed) / all.total).toFixed(1) : '0.0'}%)`);
    if (values.failures) for (const f of failures) console.log(`\n${f}`);
  }
  process.exitCode = all.passed === all.total ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
