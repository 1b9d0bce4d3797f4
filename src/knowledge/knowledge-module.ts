/**
 * Everything of the knowledge-base feature, wired once: FAQ retrieval, guided flows, tickets,
 * notices, the unanswered review and the admin API. The composition root creates it before the
 * gateway (its steps go into the turn pipeline) and starts it before serving.
 */
import path from 'node:path';
import type { Router } from 'express';
import { PrivacyService } from '../privacy/privacy-service';
import { adminApiRouter } from '../admin/admin-router';
import { FaqAdmin } from '../admin/faq-admin';
import { IntentAdmin } from '../admin/intent-admin';
import type { Config } from '../config';
import type { Logger } from '../core/logger-port';
import type { Store } from '../core/store-port';
import { FlowRunner } from '../flows/flow-runner';
import { loadFlows } from '../flows/flow-schema';
import { flowStep, pauseFlowOnCrisisStep } from '../flows/flow-step';
import type { NluService } from '../nlu/nlu-service';
import { NoticeService } from '../notices/notice-service';
import { TicketService } from '../tickets/ticket-service';
import type { Gateway } from '../turn/gateway';
import type { TurnStep } from '../turn/turn-context';
import { JobThread } from '../jobs/job-thread';
import { workerFile } from '../jobs/spawn-worker';
import { FaqIndexBuilder } from './faq-index-builder';
import type { FaqIndexRequest, FaqIndexResult } from './faq-index-job';
import { faqAnswerStep } from './faq-answer-step';
import { KnowledgeService, type KnowledgeStatus } from './knowledge-service';
import { UnansweredRecorder } from './unanswered-recorder';

export interface KnowledgeModuleDeps {
  store: Store;
  nlu: NluService;
  config: Config;
  /** Resolved lazily: the gateway needs the steps this module makes. */
  gateway: () => Gateway;
  logger: Logger;
  /** Service version, shown in the admin API's OpenAPI document. */
  version?: string;
}

export interface KnowledgeModule {
  knowledge: KnowledgeService;
  tickets: TicketService;
  notices: NoticeService;
  /** Goes right before the crisis guard: a crisis pauses the active flow instead of losing it. */
  crisisPauseStep: TurnStep;
  /** Goes after routing to the owner: continues or starts guided flows. */
  flowStep: TurnStep;
  /** Goes before the intent answer step: answers from the FAQ when confident. */
  faqStep: TurnStep;
  adminRouter: Router;
  /**
   * Seeds and indexes the FAQ (lexically; the index thread builds it or loads it from the cache);
   * switches to the transformer encoder in the background once the NLU has loaded it.
   */
  start(): Promise<void>;
  status(): KnowledgeStatus;
  /** Stops the FAQ index thread (a build in progress is abandoned). */
  close(): Promise<void>;
}

/** Classifier confidence that starts a flow or lets an intent step answer (as answerIntentStep). */
const MIN_INTENT_CONFIDENCE = 0.35;
/** A mid-flow message must be clearer than that to count as a different question. */
const INTERRUPT_CONFIDENCE = 0.6;

export function createKnowledgeModule(deps: KnowledgeModuleDeps): KnowledgeModule {
  const { store, nlu, config, logger } = deps;
  const indexThread = new JobThread<FaqIndexRequest, FaqIndexResult>(
    workerFile(__dirname, 'faq-index-worker'),
    'FAQ index thread',
  );
  const knowledge = new KnowledgeService({
    store,
    faqDir: path.join(config.knowledgeDir, 'faq'),
    intentExamples: () => nlu.intentData().examples,
    indexer: new FaqIndexBuilder(indexThread, config.cacheDir),
    logger,
  });
  const flows = loadFlows(path.join(config.knowledgeDir, 'flows'));
  const tickets = new TicketService({ store, send: (c, d) => deps.gateway().send(c, d), logger });
  const notices = new NoticeService(store.notices);
  const unanswered = new UnansweredRecorder(store.unanswered, logger);
  const runner = new FlowRunner({ flows: () => flows, tickets });

  const faq = new FaqAdmin({ store: store.knowledge, reload: () => knowledge.reload() });
  const intents = new IntentAdmin({
    intentsDir: config.intentsDir,
    store: store.knowledge,
    definitions: () => nlu.definitions(),
    reloadClassifier: () => nlu.reload(),
    afterChange: () => knowledge.reload(),
  });

  const previousQuestion = async (conversationId: string, beforeSeq: number) => {
    const messages = await store.messages.listByConversation(conversationId, {
      afterSeq: Math.max(0, beforeSeq - 50),
    });
    return messages
      .filter((m) => m.direction === 'inbound' && m.seq < beforeSeq && m.content.text && !m.content.payload)
      .at(-1)?.content.text;
  };

  return {
    knowledge,
    tickets,
    notices,
    crisisPauseStep: pauseFlowOnCrisisStep(runner),
    flowStep: flowStep(runner, {
      startConfidence: MIN_INTENT_CONFIDENCE,
      interruptConfidence: INTERRUPT_CONFIDENCE,
    }),
    faqStep: faqAnswerStep({
      knowledge,
      notices,
      unanswered,
      previousQuestion,
      minIntentConfidence: MIN_INTENT_CONFIDENCE,
    }),
    adminRouter: adminApiRouter({
      token: config.ADMIN_TOKEN,
      version: deps.version,
      store,
      knowledge,
      faq,
      intents,
      tickets,
      notices,
      privacy: new PrivacyService(store, logger),
    }),
    async start() {
      // The NLU's encoder (its inference thread) embeds the FAQ once the intent model is settled (the
      // thread embeds one text at a time, and intents matter first); until then retrieval runs lexically.
      const encoder = nlu.settled().then(async () => {
        const query = await nlu.embedderReady();
        const fingerprint = nlu.embedderFingerprint();
        return query && fingerprint ? { query, bulk: nlu.bulkEmbedder() ?? query, fingerprint } : undefined;
      });
      const lexical = knowledge.start();
      void knowledge
        .useEmbedderWhenReady(lexical.then(() => encoder))
        .catch((err: unknown) =>
          logger.warn({ err }, 'FAQ retrieval stays lexical: the encoder index failed'),
        );
      await lexical;
    },
    status: () => knowledge.status(),
    close: () => indexThread.close(),
  };
}
