/**
 * The ceiling for bench:gateway (b): the transformer intent classifier called directly in-process
 * (language detection + classify, as a turn does) with the same model folder, caches and thread
 * budget as the service, N concurrent callers in a closed loop. Prints one JSON line.
 *
 *   tsx bench/gateway-model-only.ts <seconds> <concurrency>
 */
import { loadConfig } from '../src/config';
import type { Logger } from '../src/core/logger-port';
import { NluService } from '../src/nlu/nlu-service';
import { GATEWAY_MESSAGES } from './gateway-messages';

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => quiet };

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 10);
  const concurrency = Number(process.argv[3] ?? 16);
  const config = loadConfig({ ...process.env, NLU_MODE: 'auto' });
  const nlu = new NluService(config.intentsDir, quiet);
  await nlu.start({ modelDir: config.modelDir, mode: 'auto', cacheDir: `${config.rootDir}/.cache`, threads: config.NLU_THREADS });
  if (nlu.status().mode !== 'transformer') throw new Error(`transformer not loaded: ${nlu.status().reason}`);
  const classify = async (text: string) => nlu.classifier().classify(text, nlu.language.detect(text));
  for (const text of GATEWAY_MESSAGES.slice(0, 8)) await classify(text); // warm-up
  let done = 0;
  let n = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await classify(GATEWAY_MESSAGES[n++ % GATEWAY_MESSAGES.length]!);
        if (performance.now() < end) done++;
      }
    }),
  );
  process.stdout.write(`${JSON.stringify({ perSecond: done / seconds, threads: config.NLU_THREADS, model: nlu.status().model })}\n`);
  await nlu.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
