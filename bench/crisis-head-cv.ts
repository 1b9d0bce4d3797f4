/**
 * Leave-one-set-out cross-validation of the learned crisis head, the estimate of how it will do on
 * a new blind set (each dev set is an independent writer's round):
 *
 *   npm run --silent bench:crisis-head [-- --recall 0.98] [--no-lexical] [--l2 0.02] [--epochs 300] [--json] [--write]
 *
 * For every crisis-dev and everyday-dev set: a head fitted on all other sets, the intents' examples
 * and look-alikes and the button labels predicts the left-out set. The threshold is the highest one
 * at which the decision (explicit lexicon hit not taken back, or the head) keeps the target recall
 * on the pooled out-of-set crisis lines; printed per set: recall on crisis lines, false alarms on
 * look-alikes (crisis sets) and everyday lines (everyday sets), for the decision and the head alone.
 * Then the same with the context rules (4, 6) kept by the decision: a farewell-like lexicon hit where
 * the line's context explains goodbyes, or a line without lexicon hit where it expects follow-up
 * talk, is cleared unless the head is sure. `--write` (service settings only) also stores the
 * threshold in intents/crisis-head/threshold.json, which spares the service this cross-validation
 * while the crisis-head files stay as they are (src/nlu/crisis-head-threshold.ts). Reads only dev sets (through
 * intents/crisis-head/) and the intent data: no blind or held-out line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { embedAsRows } from '../src/core/nlu-port';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { runCrisisHeadJob, type CrisisHeadSpec } from '../src/nlu/crisis-head-job';
import { CRISIS_HEAD_SETTINGS, CRISIS_HEAD_TARGET_RECALL } from '../src/nlu/crisis-head-builder';
import { FAREWELL_HEAD_BAR, FOLLOW_UP_HEAD_BAR } from '../src/nlu/crisis-decision';
import { thresholdForRecall } from '../src/nlu/crisis-head';
import { loadCrisisHeadTrainingLines } from '../src/nlu/crisis-head-data';
import { CRISIS_HEAD_THRESHOLD_FILE, crisisHeadDataHash, type StoredCrisisHeadThreshold } from '../src/nlu/crisis-head-threshold';
import { CRISIS_HEAD_FORMAT } from '../src/nlu/crisis-head';
import { LexiconCrisisDetector } from '../src/nlu/lexicon-crisis-detector';
import { NluService } from '../src/nlu/nlu-service';

const pct = (x: number | null) => (x === null ? '    -  ' : `${(x * 100).toFixed(1).padStart(5)}%`);

/** Contexts in which the old rule 4 let a farewell-like hit pass as thanks or goodbye. */
const FAREWELL_CONTEXTS = new Set(['queued', 'assigned', 'survey_comment', 'survey_score', 'flow_slot', 'after_answer']);
/** Contexts in which the old rule 6 wanted a sure model for a message without lexicon hit. */
const FOLLOW_UP_CONTEXTS = new Set(['queued', 'assigned', 'survey_comment', 'survey_score', 'flow_slot', 'after_answer']);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      recall: { type: 'string', default: String(CRISIS_HEAD_TARGET_RECALL) },
      l2: { type: 'string' },
      epochs: { type: 'string' },
      // Without the lexical features (lexicon tiers, disclaimer, everyday share): they were tuned on these very sets.
      'no-lexical': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
    },
  });
  // The stored threshold is read only under the service's settings: any other would be stale at once.
  if (values.write && (values.l2 || values.epochs || values['no-lexical'] || Number(values.recall) !== CRISIS_HEAD_TARGET_RECALL)) {
    throw new Error('--write stores the threshold of the service\'s settings: drop --l2, --epochs, --no-lexical and --recall');
  }
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const nlu = new NluService(config.intentsDir, createLogger('warn', 2));
  try {
    await nlu.start({ modelDir: config.modelDir, cacheDir: path.join(config.rootDir, '.cache') });
    const embedder = nlu.bulkEmbedder();
    if (!embedder) throw new Error('the transformer encoder is needed (no NLU_MODE=lexical)');
    const headDir = path.join(config.intentsDir, 'crisis-head');
    const { lines } = await loadCrisisHeadTrainingLines(headDir, nlu.intentData().examples);
    const lexiconDir = path.join(config.intentsDir, 'lexicons');
    const lexicon = LexiconCrisisDetector.fromFile(path.join(lexiconDir, 'crisis.json'));
    const spec: CrisisHeadSpec = {
      fingerprint: nlu.embedderFingerprint()!,
      lines,
      lexiconDir,
      targetRecall: Number(values.recall),
      settings: {
        ...CRISIS_HEAD_SETTINGS,
        ...(values.l2 && { l2: Number(values.l2) }),
        ...(values.epochs && { epochs: Number(values.epochs) }),
        ...(values['no-lexical'] && { lexical: false }),
      },
      // A head this bench (or a service without a matching threshold.json) cross-validated for the same inputs carries its cross-validation: no retraining.
      cacheDir: path.join(config.rootDir, '.cache', 'crisis-heads'),
    };
    const started = performance.now();
    const dataHash = crisisHeadDataHash(headDir); // Before the minutes of training: the files it was computed from.
    let result = runCrisisHeadJob({ type: 'crisis-head-lookup', spec });
    let dimension = result.head?.memory.dimension ?? 0;
    if (!result.cv) {
      const vectors = await embedAsRows(embedder, lines.map((l) => l.text), 'query');
      dimension = vectors.length / lines.length;
      result = runCrisisHeadJob({ type: 'crisis-head-train', spec, dimension, vectors });
    }
    const cv = result.cv!;
    const explicit = cv.explicit;
    const seconds = (performance.now() - started) / 1000;

    // The context rules (4, 6) as the decision keeps them (FAREWELL_HEAD_BAR, FOLLOW_UP_HEAD_BAR).
    const contexts = new Map<string, string>();
    for (const row of fs.readFileSync(path.join(headDir, 'dev-sets.jsonl'), 'utf8').split('\n').filter(Boolean)) {
      const r = JSON.parse(row) as { text: string; set: string; context?: string };
      contexts.set(`${r.set}\u0000${r.text}`, r.context ?? 'none');
    }
    const farewell = lines.map((l, i) => {
      const context = contexts.get(`${l.set}\u0000${l.text}`) ?? 'none';
      const tier = lexicon.match(l.text);
      const p = cv.probabilities[i] ?? 0;
      if (tier === 'contextual') return FAREWELL_CONTEXTS.has(context) && p < FAREWELL_HEAD_BAR;
      return !tier && FOLLOW_UP_CONTEXTS.has(context) && p < FOLLOW_UP_HEAD_BAR;
    });
    const withRule4 = cv.folds.map((f) => {
      const rows = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.set === f.set);
      const flag = ({ i }: { i: number }) => explicit[i]! || (!farewell[i]! && cv.probabilities[i]! >= cv.threshold);
      const pos = rows.filter(({ l }) => l.crisis);
      const neg = rows.filter(({ l }) => !l.crisis);
      return {
        set: f.set,
        recall: pos.length ? pos.filter(flag).length / pos.length : null,
        falseAlarms: neg.length ? neg.filter(flag).length / neg.length : null,
      };
    });
    const pooled = (kind: RegExp) => {
      const rows = lines.map((l, i) => ({ l, i })).filter(({ l }) => kind.test(l.set));
      const flag = ({ i }: { i: number }) => explicit[i]! || cv.probabilities[i]! >= cv.threshold;
      const pos = rows.filter(({ l }) => l.crisis);
      const neg = rows.filter(({ l }) => !l.crisis);
      return { crisis: pos.length, other: neg.length, recall: pos.filter(flag).length / pos.length || null, falseAlarms: neg.filter(flag).length / neg.length };
    };
    const summary = { crisisSets: pooled(/^crisis-dev/), everydaySets: pooled(/^everyday-dev/) };
    if (values.write) {
      const stored: StoredCrisisHeadThreshold = {
        threshold: cv.threshold,
        targetRecall: cv.targetRecall,
        format: CRISIS_HEAD_FORMAT,
        settings: spec.settings!,
        encoder: spec.fingerprint,
        dataHash,
        folds: cv.folds,
        computedAt: new Date().toISOString(),
      };
      const file = path.join(headDir, CRISIS_HEAD_THRESHOLD_FILE);
      fs.writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`);
      console.error(`wrote ${file}: threshold ${cv.threshold.toFixed(4)}, data ${dataHash.slice(0, 12)}`);
    }
    if (values.json) {
      console.log(JSON.stringify({ threshold: cv.threshold, targetRecall: cv.targetRecall, folds: cv.folds, withRule4, summary, seconds }, null, 2));
      return;
    }
    console.log(`lines ${lines.length} (crisis ${lines.filter((l) => l.crisis).length}), dimension ${dimension}, lexical features ${spec.settings?.lexical ? 'on' : 'off'}, ${cv.folds.length} folds ${result.cached ? 'saved by an earlier run' : `in ${seconds.toFixed(1)} s`}`);
    console.log(`threshold ${cv.threshold.toFixed(4)} (pooled out-of-set recall target ${(cv.targetRecall * 100).toFixed(1)} %)`);
    console.log('left-out set           crisis  other   recall  false alarms   (head alone: recall, false alarms)   (with rules 4, 6: recall, false alarms)');
    cv.folds.forEach((f, k) => {
      const r4 = withRule4[k]!;
      console.log(
        `${f.set.padEnd(22)} ${String(f.crisis).padStart(6)} ${String(f.other).padStart(6)}   ${pct(f.recall)}   ${pct(f.falseAlarms)}        (${pct(f.headRecall)}, ${pct(f.headFalseAlarms)})                  (${pct(r4.recall)}, ${pct(r4.falseAlarms)})`,
      );
    });
    const s = summary;
    console.log(`pooled crisis-dev sets:   recall ${pct(s.crisisSets.recall)} of ${s.crisisSets.crisis}, look-alike false alarms ${pct(s.crisisSets.falseAlarms)} of ${s.crisisSets.other}`);
    // Other operating points on the same out-of-set predictions, to show the price of the last points of recall.
    const held = lines.map((_, i) => i).filter((i) => cv.probabilities[i] !== null);
    for (const target of [0.99, 0.97]) {
      const t = thresholdForRecall(held.map((i) => cv.probabilities[i]!), held.map((i) => (lines[i]!.crisis ? 1 : 0)), target, held.map((i) => explicit[i]!));
      const fa = (kind: RegExp) => {
        const neg = held.filter((i) => !lines[i]!.crisis && kind.test(lines[i]!.set));
        return neg.filter((i) => explicit[i]! || cv.probabilities[i]! >= t).length / neg.length;
      };
      console.log(`at pooled recall ${(target * 100).toFixed(0)} %: threshold ${t.toFixed(4)}, look-alike false alarms ${pct(fa(/^crisis-dev/))}, everyday false alarms ${pct(fa(/^everyday-dev/))}`);
    }
    console.log(`pooled everyday-dev sets: recall ${pct(s.everydaySets.recall)} of ${s.everydaySets.crisis}, everyday false alarms ${pct(s.everydaySets.falseAlarms)} of ${s.everydaySets.other}`);
  } finally {
    await nlu.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
