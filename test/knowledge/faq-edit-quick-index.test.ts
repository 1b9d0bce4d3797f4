/**
 * An FAQ edit answers with the new text before the re-tuned index is done: the service installs an
 * index built on the previous tuning first (seconds), then the tuned one. The tuned build is held
 * back here until the edit has been seen, so the test fails if the service waits for tuning.
 */
import path from 'node:path';
import type { FaqEntry } from '../../src/core/knowledge-port';
import { FaqIndexBuilder, inProcessFaqIndexRunner, type FaqIndexRunner } from '../../src/knowledge/faq-index-builder';
import type { FaqIndexRequest } from '../../src/knowledge/faq-index-job';
import { KnowledgeService } from '../../src/knowledge/knowledge-service';
import { loadIntentData } from '../../src/nlu/intent-data';
import { MemoryStore } from '../../src/store/memory-store';
import { silentLogger } from '../support/service';

jest.setTimeout(300_000);

const ROOT = path.join(__dirname, '..', '..');
const examples = loadIntentData(path.join(ROOT, 'intents')).examples.filter((_, i) => i % 4 === 0);

/** Runs jobs in process; tuned builds wait until `release` is called once something asked for them. */
class GatedRunner implements FaqIndexRunner {
  tunedBuilds = 0;
  quickBuilds = 0;
  private gate?: Promise<void>;
  release = () => {};

  holdTunedBuilds(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  async run(request: FaqIndexRequest) {
    if (request.type === 'faq-build') {
      if (request.tuning) this.quickBuilds++;
      else {
        this.tunedBuilds++;
        await this.gate;
      }
    }
    return inProcessFaqIndexRunner.run(request);
  }
}

async function answerTo(service: KnowledgeService, question: string): Promise<FaqEntry | undefined> {
  return (await service.search(question, 'ko', 1)).hits[0]?.entry;
}

describe('FAQ edit before re-tuning', () => {
  it("answers with an edited entry's new text while the tuned index is still being built", async () => {
    const store = new MemoryStore();
    const runner = new GatedRunner();
    const service = new KnowledgeService({
      store,
      faqDir: path.join(ROOT, 'knowledge', 'faq'),
      intentExamples: () => examples,
      indexer: new FaqIndexBuilder(runner),
      logger: silentLogger(),
    });
    await service.start();
    expect(runner.tunedBuilds).toBe(1);
    const question = '음식물 쓰레기는 어떻게 버려요?';
    const before = await answerTo(service, question);
    expect(before).toBeDefined();
    const tuning = service.status().threshold;

    const [latest] = (await store.knowledge.latest('faq')).filter((v) => v.key === before!.id);
    const edited: FaqEntry = { ...before!, answer: { ...before!.answer, ko: `수정된 안내입니다. ${before!.answer.ko}` } };
    await store.knowledge.append({ kind: 'faq', key: edited.id, doc: edited, actor: 'admin', expectedVersion: latest!.version });

    runner.holdTunedBuilds();
    const reloaded = service.reload();
    // The quick index is installed while the tuned build waits at the gate.
    while (runner.tunedBuilds < 2) await new Promise((r) => setImmediate(r));
    expect(runner.quickBuilds).toBe(1);
    expect(service.status().indexSource).toBe('quick');
    expect(service.status().threshold).toBe(tuning);
    expect((await answerTo(service, question))?.answer.ko).toBe(edited.answer.ko);

    runner.release();
    await reloaded;
    expect(service.status().indexSource).toBe('built');
    expect((await answerTo(service, question))?.answer.ko).toBe(edited.answer.ko);
  });
});
