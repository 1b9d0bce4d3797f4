/**
 * The knowledge-base feature, wired once: FAQ retrieval over the versioned store (seeded from
 * knowledge/faq), the FAQ answer step and the unanswered review it feeds, and the welcome. The composition root
 * creates it before the turn runner (its step goes into the pipeline) and starts it before serving.
 */
import path from 'node:path';
import type { Config } from '../config';
import type { CannedAnswerSearch } from '../core/knowledge-port';
import type { Logger } from '../core/logger-port';
import type { Embedder } from '../core/nlu-port';
import { textOf } from '../core/message';
import type { Outbound } from '../core/outbound-port';
import type { DataReloads } from '../core/reload-port';
import type { Store } from '../core/store-port';
import type { TurnStep } from '../core/turn-context';
import { JobThread } from '../jobs/job-thread';
import { workerFile } from '../jobs/spawn-worker';
import type { LabeledExample } from '../nlu/intent-data';
import type { NoticeService } from '../notices/notice-service';
import { CannedAnswers } from './canned-answers';
import { faqAnswerStep } from './faq-answer-step';
import { twoNeedsStep, type TwoNeedsDeps } from './two-needs-step';
import { FaqIndexBuilder, type IndexEncoder } from './faq-index-builder';
import type { FaqIndexRequest, FaqIndexResult } from './faq-index-job';
import { KnowledgeService, type KnowledgeStatus } from './knowledge-service';
import { UnansweredRecorder } from './unanswered-recorder';
import { loadWelcome } from './welcome-schema';
import { WelcomeService } from './welcome-service';

/**
 * The NLU's transformer encoder as the FAQ index needs it (the NLU service provides it; its
 * inference thread embeds the FAQ, so the process loads the model once).
 */
export interface FaqEncoderSource {
  /** Resolves once the intent model has settled (trained, loaded, or fallen back to lexical). */
  settled(): Promise<void>;
  /** The query embedder once the encoder is loaded; undefined when there is none. */
  embedderReady(): Promise<Embedder | undefined>;
  /** Identity of the encoder's weights (part of the saved index's key); undefined without one. */
  embedderFingerprint(): string | undefined;
  /** The embedder for indexed texts (behind the embedding cache), when different from the query one. */
  bulkEmbedder(): Embedder | undefined;
}

export interface KnowledgeModuleDeps {
  store: Store;
  config: Pick<Config, 'knowledgeDir' | 'cacheDir'>;
  /** Current intent examples, for the no-answer negatives. */
  intentExamples: () => LabeledExample[];
  /** Where the transformer index gets its encoder from. */
  encoder: FaqEncoderSource;
  /** Active notices are appended to answers on their intents. */
  notices: NoticeService;
  /** Classifier confidence at which the FAQ leaves greetings, thanks and counselor requests to the intent step. */
  minIntentConfidence: number;
  /** Sends the welcome when an app or web chat session opens. */
  outbound: Pick<Outbound, 'send'>;
  logger: Logger;
  /** FAQ edits made on other instances: the index is rebuilt from the store. */
  reloads?: DataReloads;
}

export interface KnowledgeModule {
  knowledge: KnowledgeService;
  /** Canned answers for counselors, following FAQ edits. */
  canned: CannedAnswerSearch;
  /** Goes before the intent answer step: answers from the FAQ when confident. */
  faqStep: TurnStep;
  /** Goes before flows: one message with two needs is answered with a choice of both. */
  twoNeedsStep(options: Pick<TwoNeedsDeps, 'startsFlow' | 'lastOffer' | 'intentOf'>): TurnStep;
  /** The welcome with its starter topics (knowledge/welcome.json): greets new sessions, and first turns before their answer. */
  welcome: WelcomeService;
  /**
   * Seeds and indexes the FAQ (lexically; the index thread builds it or loads it from the cache);
   * switches to the transformer encoder in the background once the NLU has loaded it.
   */
  start(): Promise<void>;
  status(): KnowledgeStatus;
  /** Stops the FAQ index thread (a build in progress is abandoned). */
  close(): Promise<void>;
}

/** The encoder for the transformer index once the intent model has settled; undefined: stay lexical. */
async function indexEncoder(source: FaqEncoderSource): Promise<IndexEncoder | undefined> {
  await source.settled();
  const query = await source.embedderReady();
  const fingerprint = source.embedderFingerprint();
  return query && fingerprint ? { query, bulk: source.bulkEmbedder() ?? query, fingerprint } : undefined;
}

export function createKnowledgeModule(deps: KnowledgeModuleDeps): KnowledgeModule {
  const { store, config, logger } = deps;
  const indexThread = new JobThread<FaqIndexRequest, FaqIndexResult>(
    workerFile(__dirname, 'faq-index-worker'),
    'FAQ index thread',
  );
  const knowledge = new KnowledgeService({
    store,
    faqDir: path.join(config.knowledgeDir, 'faq'),
    intentExamples: deps.intentExamples,
    indexer: new FaqIndexBuilder(indexThread, config.cacheDir),
    logger,
  });
  const unanswered = new UnansweredRecorder(store.unanswered, logger);
  // Read once at start-up like the flows; a bad file stops the start with the file and field named.
  const welcomeData = loadWelcome(path.join(config.knowledgeDir, 'welcome.json'));
  if (!welcomeData) logger.info('no knowledge/welcome.json: chats open without a welcome');

  const previousQuestion = async (conversationId: string, beforeSeq: number) => {
    const messages = await store.messages.listByConversation(conversationId, {
      afterSeq: Math.max(0, beforeSeq - 50),
    });
    return messages
      .filter((m) => m.direction === 'inbound' && m.seq < beforeSeq && m.content.kind !== 'button' && textOf(m.content))
      .map((m) => textOf(m.content))
      .at(-1);
  };

  return {
    knowledge,
    canned: new CannedAnswers(knowledge),
    faqStep: faqAnswerStep({
      knowledge,
      notices: deps.notices,
      unanswered,
      previousQuestion,
      minIntentConfidence: deps.minIntentConfidence,
    }),
    twoNeedsStep: (options) => twoNeedsStep({ knowledge, ...options }),
    welcome: new WelcomeService({ welcome: () => welcomeData, outbound: deps.outbound, minIntentConfidence: deps.minIntentConfidence }),
    async start() {
      // The NLU's encoder (its inference thread) embeds the FAQ once the intent model is settled (the
      // thread embeds one text at a time, and intents matter first); until then retrieval runs lexically.
      const encoder = indexEncoder(deps.encoder);
      const lexical = knowledge.start();
      void knowledge
        .useEmbedderWhenReady(lexical.then(() => encoder))
        .catch((err: unknown) =>
          logger.warn({ err }, 'FAQ retrieval stays lexical: the encoder index failed'),
        );
      await lexical;
      deps.reloads?.follow('faq', () => knowledge.reload());
    },
    status: () => knowledge.status(),
    close: () => indexThread.close(),
  };
}
