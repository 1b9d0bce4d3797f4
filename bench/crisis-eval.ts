/**
 * Crisis detection on a labelled file, the way the service decides: lexicon hit OR the intent model
 * says crisis_support. Lines are {"text", "intent"} with intent "crisis_support" or anything else
 * (e.g. "not_crisis": figurative speech, grief paperwork, prevention-poster questions).
 *
 *   npm run --silent bench:crisis [-- --test test/fixtures/nlu/crisis-dev.jsonl] [--errors] [--json]
 *
 * Prints recall (what must be 1.0: a missed crisis is the one error the call center cannot afford)
 * and the false-alarm rate (an unneeded jump to the head of the counselor queue) for the lexicon,
 * the model and both together, per language. A benchmark: nothing here tunes anything.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CRISIS_INTENT, withoutShortTextCrisis } from '../src/core/nlu-port';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { readLabeledJsonl } from '../src/nlu/labeled-jsonl';
import { NluService } from '../src/nlu/nlu-service';

interface Row {
  text: string;
  language: string;
  gold: boolean;
  lexicon: boolean;
  model: boolean;
}

function rates(rows: Row[], flag: (r: Row) => boolean) {
  const positives = rows.filter((r) => r.gold);
  const negatives = rows.filter((r) => !r.gold);
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    crisis: positives.length,
    other: negatives.length,
    recall: positives.length ? r4(positives.filter(flag).length / positives.length) : null,
    falseAlarmRate: negatives.length ? r4(negatives.filter(flag).length / negatives.length) : null,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      test: { type: 'string', default: 'test/fixtures/nlu/crisis-dev.jsonl' },
      errors: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const config = loadConfig();
  const nlu = new NluService(config.intentsDir, createLogger('warn', 2));
  try {
    await nlu.start({
      modelDir: config.modelDir,
      mode: config.NLU_MODE,
      cacheDir: path.join(config.rootDir, '.cache'),
    });
    const rows: Row[] = [];
    for (const t of readLabeledJsonl(path.resolve(values.test!))) {
      const language = nlu.language.detect(t.text) ?? 'unknown';
      const c = withoutShortTextCrisis(
        await nlu.classifier().classify(t.text, language === 'unknown' ? undefined : language),
        t.text,
      );
      rows.push({
        text: t.text,
        language,
        gold: t.intent === CRISIS_INTENT,
        lexicon: nlu.crisis.isCrisis(t.text),
        model: c.intent === CRISIS_INTENT,
      });
    }
    const model = nlu.classifier().name;
    const report: Record<string, unknown> = { n: rows.length, model };
    for (const language of ['all', ...new Set(rows.map((r) => r.language))]) {
      const subset = language === 'all' ? rows : rows.filter((r) => r.language === language);
      report[language] = {
        combined: rates(subset, (r) => r.lexicon || r.model),
        lexicon: rates(subset, (r) => r.lexicon),
        model: rates(subset, (r) => r.model),
      };
    }
    if (values.errors) {
      report.missed = rows.filter((r) => r.gold && !r.lexicon && !r.model).map((r) => r.text);
      report.falseAlarms = rows
        .filter((r) => !r.gold && (r.lexicon || r.model))
        .map((r) => `${r.lexicon ? 'L' : ''}${r.model ? 'M' : ''} ${r.text}`);
    }
    process.stdout.write((values.json ? JSON.stringify(report) : JSON.stringify(report, null, 2)) + '\n');
  } finally {
    await nlu.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `bench:crisis failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
