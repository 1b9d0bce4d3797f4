/**
 * The knowledge-base feature, wired once: FAQ retrieval over the versioned store (seeded from
 * knowledge/faq), the FAQ answer step and the unanswered review it feeds, and the welcome. The composition root
 * creates it before the turn runner (its step goes into the pipeline) and starts it before serving.
 */
import path from 'node:path';
import type { Config } from '../config';
import type { CannedAnswerSearch } from '../core/knowledge-port';
import type { Logger } from '../core/logger-port';
import { textOf } from '../core/message';
import type { Outbound } from '../core/outbound-port';
import type { DataReloads } from '../core/reload-port';
import type { Store } from '../core/store-port';
import type { TurnStep } from '../core/turn-context';
import type { LabeledExample } from '../nlu/intent-data';
import type { NoticeService } from '../notices/notice-service';
import { CannedAnswers } from './canned-answers';
import { E5Embedder } from './e5-embedder';
import { faqAnswerStep } from './faq-answer-step';
import { twoNeedsStep, type TwoNeedsDeps } from './two-needs-step';
import { KnowledgeService, type KnowledgeStatus } from './knowledge-service';
import { UnansweredRecorder } from './unanswered-recorder';
import { loadWelcome } from './welcome-schema';
import { WelcomeService } from './welcome-service';

export interface KnowledgeModuleDeps {
  store: Store;
  config: Pick<Config, 'knowledgeDir' | 'modelDir' | 'NLU_MODE'>;
  /** Current intent examples, for the no-answer negatives. */
  intentExamples: () => LabeledExample[];
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
  /** Seeds and indexes the FAQ; loads the transformer encoder in the background when available. */
  start(): Promise<void>;
  status(): KnowledgeStatus;
}

export function createKnowledgeModule(deps: KnowledgeModuleDeps): KnowledgeModule {
  const { store, config, logger } = deps;
  const knowledge = new KnowledgeService({
    store,
    faqDir: path.join(config.knowledgeDir, 'faq'),
    intentExamples: deps.intentExamples,
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
      await knowledge.start();
      deps.reloads?.follow('faq', () => knowledge.reload());
      if (config.NLU_MODE === 'lexical' || !E5Embedder.available(config.modelDir)) return;
      // The encoder takes a while to load and to embed the FAQ; until then retrieval runs lexically.
      void E5Embedder.load(config.modelDir)
        .then((embedder) => knowledge.useEmbedder(embedder))
        .catch((err: unknown) =>
          logger.warn({ err }, 'FAQ retrieval stays lexical: the encoder could not be loaded'),
        );
    },
    status: () => knowledge.status(),
  };
}
