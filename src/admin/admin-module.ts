/**
 * Builds the admin API (/api/admin/v1): FAQ and intent-example editing (each change rebuilds the
 * FAQ index and, for intents, retrains the classifier), staff ticket handling, notices, the
 * unanswered review and privacy export/deletion. The composition root mounts its router.
 */
import type { Router } from 'express';
import type { Config } from '../config';
import type { Logger } from '../core/logger-port';
import { NO_RELOADS, type DataReloads } from '../core/reload-port';
import type { Store } from '../core/store-port';
import type { KnowledgeService } from '../knowledge/knowledge-service';
import type { IntentDefinition } from '../nlu/intent-data';
import type { NoticeService } from '../notices/notice-service';
import { PrivacyService } from '../privacy/privacy-service';
import type { TicketService } from '../tickets/ticket-service';
import { adminApiRouter } from './admin-router';
import { FaqAdmin } from './faq-admin';
import { IntentAdmin } from './intent-admin';

export interface AdminModuleDeps {
  store: Store;
  config: Pick<Config, 'ADMIN_TOKEN' | 'intentsDir'>;
  knowledge: KnowledgeService;
  /** The intent definitions the classifier was trained on, and how to retrain it. */
  intents: { definitions: () => Map<string, IntentDefinition>; reload: () => void | Promise<void> };
  tickets: TicketService;
  notices: NoticeService;
  logger: Logger;
  /** Service version, shown in the admin API's OpenAPI document. */
  version?: string;
  /** Tells other instances about FAQ and intent edits, and applies theirs here. */
  reloads?: DataReloads;
}

export interface AdminModule {
  router: Router;
}

export function createAdminModule(deps: AdminModuleDeps): AdminModule {
  const { store, config, knowledge } = deps;
  const reloads = deps.reloads ?? NO_RELOADS;
  // The store write is done when reload is called: other instances start rebuilding at once.
  const faq = new FaqAdmin({
    store: store.knowledge,
    reload: () => {
      reloads.announce('faq');
      return knowledge.reload();
    },
  });
  const intents = new IntentAdmin({
    intentsDir: config.intentsDir,
    store: store.knowledge,
    definitions: deps.intents.definitions,
    reloadClassifier: deps.intents.reload,
    // FAQ retrieval uses intent examples as no-answer negatives.
    afterChange: () => knowledge.reload(),
    announce: () => reloads.announce('intents'),
  });
  // Intent edits from other instances: their intent files are brought here from the store.
  reloads.follow('intents', () => intents.applyFromStore());
  return {
    router: adminApiRouter({
      token: config.ADMIN_TOKEN,
      version: deps.version,
      store,
      knowledge,
      faq,
      intents,
      tickets: deps.tickets,
      notices: deps.notices,
      privacy: new PrivacyService(store, deps.logger),
    }),
  };
}
