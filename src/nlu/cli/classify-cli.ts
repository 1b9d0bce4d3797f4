/**
 * Classifies one message the way the service does and prints one JSON line:
 *
 *   npm run --silent nlu:classify -- "<text>"
 *   -> {"intent","confidence","language","crisis","crisisReason","abusive","top":[{"intent","confidence"}...],"model"}
 *
 * `crisis` is the contextual crisis decision for a message opening a conversation.
 *
 * Uses MODEL_DIR (or models/multilingual-e5-small) and intents/; the trained model is cached under
 * .cache/, so only the first call trains. Without a loadable model it answers from the lexical
 * classifier (model "lexical-tfidf") and says why on stderr. Exit code 2 without a text.
 */
import path from 'node:path';
import { withoutCrisisIntent } from '../../core/crisis-port';
import { withoutShortTextCrisis } from '../../core/nlu-port';
import { loadConfig } from '../../config';
import { createLogger } from '../../logger';
import { LexiconAbuseDetector } from '../lexicon-abuse-detector';
import { NluService } from '../nlu-service';

async function main(): Promise<number> {
  const text = process.argv.slice(2).join(' ').trim();
  if (!text) {
    process.stderr.write('usage: npm run --silent nlu:classify -- "<text>"\n');
    return 2;
  }
  const config = loadConfig();
  const nlu = new NluService(config.intentsDir, createLogger('warn', 2));
  nlu.abuse = LexiconAbuseDetector.fromFile(path.join(config.intentsDir, 'lexicons', 'abuse.json'));
  try {
    await nlu.start({
      modelDir: config.modelDir,
      mode: config.NLU_MODE,
      cacheDir: path.join(config.rootDir, '.cache'),
    });
    const language = nlu.language.detect(text) ?? null;
    const classified = withoutShortTextCrisis(await nlu.classifier().classify(text, language ?? undefined), text);
    // As in a new conversation: nothing asked yet, not queued.
    const verdict = await nlu.crisisJudge.judge({
      text,
      language: language ?? undefined,
      classification: classified,
      context: async () => ({ state: 'bot', priority: 'normal' }),
    });
    // What the turn does with a cleared crisis verdict (understand step).
    const c = verdict.crisis ? classified : withoutCrisisIntent(classified);
    const round = (x: number) => Math.round(x * 1e4) / 1e4;
    const line = {
      intent: c.intent,
      confidence: round(c.confidence),
      language,
      crisis: verdict.crisis,
      crisisReason: verdict.reason,
      abusive: nlu.abuse.isAbusive(text),
      top: c.top.map((t) => ({ intent: t.intent, confidence: round(t.confidence) })),
      model: c.model,
    };
    process.stdout.write(JSON.stringify(line) + '\n');
    return 0;
  } finally {
    await nlu.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`nlu:classify failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
