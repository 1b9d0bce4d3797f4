/**
 * Crisis decisions the way the service makes them (classifier, short-text rule, then the contextual
 * crisis judge with the line's conversation context), on every crisis and everyday set at once:
 *
 *   npm run --silent bench:crisis [-- --dev] [--set FILE ...] [--labels FILE] [--errors] [--json]
 *   (--test FILE is the same as --set FILE)
 *
 * - crisis sets: recall (a missed crisis is the one error the call center cannot afford) and the
 *   false-alarm rate of their look-alikes: the crisis lines of the NLU held-out set, then every
 *   crisis-dev, crisis-dev-N and crisis-blind-N set in the fixtures folder;
 * - everyday sets: the false-alarm rate (an unneeded jump to the head of the counselor queue) and
 *   recall on the crisis lines said in context: every everyday-dev and everyday-dev-N set, everyday-followups when present;
 * - the bot's button labels in every language, as typed text without context: every `…Label` of
 *   the text catalogues in src (bench/button-labels.ts), or one label per line of `--labels FILE`.
 *
 * Lines are `{"text", "intent", "language"?, "context"?}` (intent crisis_support or anything else;
 * context: queued, assigned, survey_comment, survey_score, flow_slot, after_answer). `--dev` runs the
 * dev sets and labels only (for tuning); `--set` replaces the list. `--errors` lists missed and
 * falsely flagged lines of dev sets and labels only: held-out and blind lines are never printed.
 * The "baseline" column is the decision before context (lexicon or model). Nothing here tunes anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CrisisContext } from '../src/core/crisis-port';
import { CRISIS_INTENT, withoutShortTextCrisis } from '../src/core/nlu-port';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { NluService } from '../src/nlu/nlu-service';
import { catalogueLabels } from './button-labels';

const FIXTURES = 'test/fixtures/nlu';

interface SetSpec {
  file: string;
  kind: 'crisis' | 'everyday' | 'labels';
  /** Dev sets (and labels) may be inspected line by line; held-out and blind ones never. */
  inspectable: boolean;
  /** Only the crisis lines count (the NLU held-out set: its other lines are ordinary requests). */
  crisisOnly?: boolean;
}

/** Files of FIXTURES whose names match, in the order of their writer's round (no number = 1). */
function roundFiles(name: RegExp): string[] {
  const round = (file: string) => Number(/-(\d+)\.jsonl$/.exec(file)?.[1] ?? 1);
  return fs
    .readdirSync(FIXTURES)
    .filter((file) => name.test(file))
    .sort((x, y) => round(x) - round(y))
    .map((file) => `${FIXTURES}/${file}`);
}

/** Every round's sets as they lie in FIXTURES: a set renamed from blind to dev is read as dev at once. */
const DEFAULT_SETS: SetSpec[] = [
  { file: `${FIXTURES}/heldout.jsonl`, kind: 'crisis', inspectable: false, crisisOnly: true },
  ...roundFiles(/^crisis-dev(-\d+)?\.jsonl$/).map((file): SetSpec => ({ file, kind: 'crisis', inspectable: true })),
  ...roundFiles(/^crisis-blind-\d+\.jsonl$/).map((file): SetSpec => ({ file, kind: 'crisis', inspectable: false })),
  ...roundFiles(/^everyday-dev(-\d+)?\.jsonl$/).map((file): SetSpec => ({ file, kind: 'everyday', inspectable: true })),
  { file: `${FIXTURES}/everyday-followups.jsonl`, kind: 'everyday', inspectable: false },
];

/** Conversation context of a line's `context` field (what the turn would know). */
const CONTEXTS: Record<string, CrisisContext> = {
  none: { state: 'bot', priority: 'normal' },
  queued: { state: 'queued', priority: 'request' },
  assigned: { state: 'assigned', priority: 'request' },
  survey_comment: { state: 'bot', priority: 'normal', awaiting: 'survey_comment' },
  survey_score: { state: 'bot', priority: 'normal', awaiting: 'survey_score' },
  flow_slot: { state: 'bot', priority: 'normal', awaiting: 'flow_slot', lastIntent: 'road_damage_report' },
  after_answer: { state: 'bot', priority: 'normal', lastIntent: 'waste_collection' },
};

interface Line {
  text: string;
  gold: boolean;
  language?: string;
  context: string;
}

interface Row extends Line {
  language: string;
  decision: boolean;
  baseline: boolean;
  reason: string;
  /** The model's crisis probability and nearest-example margin, shown by --errors. */
  signal: string;
}

function readLines(spec: SetSpec, labelsFile?: string): Line[] {
  if (spec.kind === 'labels') {
    if (labelsFile)
      return fs
        .readFileSync(labelsFile, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => ({ text: l.startsWith('{') ? (JSON.parse(l) as { text: string }).text : l, gold: false, context: 'none' }));
    const seen = new Set<string>();
    return catalogueLabels('src')
      .filter((l) => !seen.has(l.text) && seen.add(l.text))
      .map((l) => ({ text: l.text, language: l.language, gold: false, context: 'none' }));
  }
  const lines = fs
    .readFileSync(spec.file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const raw = JSON.parse(l) as { text?: unknown; intent?: unknown; language?: unknown; context?: unknown };
      if (typeof raw.text !== 'string' || typeof raw.intent !== 'string')
        throw new Error(`${spec.file}:${i + 1}: needs "text" and "intent"`);
      const context = typeof raw.context === 'string' ? raw.context : 'none';
      if (!CONTEXTS[context]) throw new Error(`${spec.file}:${i + 1}: unknown context "${context}"`);
      return {
        text: raw.text,
        gold: raw.intent === CRISIS_INTENT,
        ...(typeof raw.language === 'string' && { language: raw.language }),
        context,
      };
    });
  return spec.crisisOnly ? lines.filter((l) => l.gold) : lines;
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

function rates(rows: Row[], flag: (r: Row) => boolean) {
  const positives = rows.filter((r) => r.gold);
  const negatives = rows.filter((r) => !r.gold);
  return {
    crisis: positives.length,
    other: negatives.length,
    recall: positives.length ? r4(positives.filter(flag).length / positives.length) : null,
    falseAlarmRate: negatives.length ? r4(negatives.filter(flag).length / negatives.length) : null,
  };
}

function groupBy(rows: Row[], key: (r: Row) => string) {
  const out: Record<string, ReturnType<typeof rates>> = {};
  for (const k of [...new Set(rows.map(key))].sort()) out[k] = rates(rows.filter((r) => key(r) === k), (r) => r.decision);
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dev: { type: 'boolean', default: false },
      set: { type: 'string', multiple: true },
      // The earlier single-file form (`--test FILE`) is kept as a `--set`.
      test: { type: 'string', multiple: true },
      labels: { type: 'string' },
      errors: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const chosen = [...(values.set ?? []), ...(values.test ?? [])];
  const specs: SetSpec[] = chosen.length
    ? chosen.map((file) => ({
        file,
        kind: /everyday/.test(path.basename(file)) ? 'everyday' : 'crisis',
        inspectable: /dev/.test(path.basename(file)),
      }))
    : DEFAULT_SETS.filter((s) => fs.existsSync(s.file) && (!values.dev || s.inspectable));
  specs.push({ file: values.labels ?? 'src (text catalogues)', kind: 'labels', inspectable: true });

  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const nlu = new NluService(config.intentsDir, createLogger('warn', 2));
  try {
    await nlu.start({ modelDir: config.modelDir, mode: config.NLU_MODE, cacheDir: path.join(config.rootDir, '.cache') });
    const report: Record<string, unknown> = { model: nlu.classifier().name };
    const summary: string[] = [];
    for (const spec of specs) {
      const rows: Row[] = [];
      for (const line of readLines(spec, values.labels)) {
        const language = line.language ?? nlu.language.detect(line.text) ?? 'unknown';
        const hint = language === 'unknown' ? undefined : language;
        const classification = withoutShortTextCrisis(await nlu.classifier().classify(line.text, hint), line.text);
        const context = CONTEXTS[line.context]!;
        const verdict = await nlu.crisisJudge.judge({
          text: line.text,
          language: hint,
          classification,
          context: async () => context,
        });
        const extra = classification as typeof classification & { crisisProbability?: number; crisisMargin?: number };
        const signal = `p=${(extra.crisisProbability ?? 0).toFixed(2)}${extra.crisisMargin === undefined ? '' : ` m=${extra.crisisMargin.toFixed(3)}`}`;
        rows.push({
          ...line,
          signal,
          language,
          decision: verdict.crisis,
          baseline: nlu.crisis.isCrisis(line.text) || classification.intent === CRISIS_INTENT,
          reason: verdict.reason,
        });
      }
      const name = spec.kind === 'labels' ? 'button-labels' : path.basename(spec.file);
      const all = rates(rows, (r) => r.decision);
      const entry: Record<string, unknown> = {
        kind: spec.kind,
        ...all,
        baseline: rates(rows, (r) => r.baseline),
        byLanguage: groupBy(rows, (r) => r.language),
        ...(spec.kind === 'everyday' && { byContext: groupBy(rows, (r) => r.context) }),
        reasons: Object.fromEntries(
          [...new Set(rows.map((r) => r.reason))].sort().map((reason) => [reason, rows.filter((r) => r.reason === reason).length]),
        ),
      };
      if (values.errors && spec.inspectable) {
        entry.missed = rows.filter((r) => r.gold && !r.decision).map((r) => `[${r.context}; ${r.reason}; ${r.signal}] ${r.text}`);
        entry.falseAlarms = rows
          .filter((r) => !r.gold && r.decision)
          .map((r) => `[${r.context}; ${r.reason}; ${r.signal}] ${r.text}`);
      }
      report[name] = entry;
      const pct = (x: number | null) => (x === null ? '   -  ' : `${(x * 100).toFixed(1).padStart(5)}%`);
      summary.push(
        `${name.padEnd(26)} ${spec.kind.padEnd(9)} n=${String(rows.length).padEnd(4)} recall ${pct(all.recall)}  false alarms ${pct(all.falseAlarmRate)}   (baseline: recall ${pct(entry.baseline ? (entry.baseline as typeof all).recall : null)}, false alarms ${pct((entry.baseline as typeof all).falseAlarmRate)})`,
      );
    }
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(`${JSON.stringify(report, null, 2)}\n\nmodel ${String(report.model)}\n${summary.join('\n')}\n`);
  } finally {
    await nlu.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:crisis failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
