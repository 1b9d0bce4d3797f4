/**
 * Everything of the transit feature, wired once: the timetable service (TRANSIT_GTFS), live
 * arrivals (GBIS_API_BASE + GBIS_SERVICE_KEY), the turn step, the /readyz check and the admin
 * reload route. The composition root creates it and puts its step before the FAQ step.
 */
import path from 'node:path';
import { Router } from 'express';
import { adminAuth } from '../admin/admin-auth';
import type { Config } from '../config';
import type { Logger } from '../core/logger-port';
import { tr } from '../i18n/translate';
import { noticeText, type NoticeService } from '../notices/notice-service';
import type { TurnStep } from '../turn/turn-context';
import { GbisClient } from './gbis-client';
import { GbisLiveArrivals } from './gbis-live-arrivals';
import { transitAnswerStep } from './transit-answer-step';
import type { TimetableAccess } from './transit-dialogue';
import { TransitService, type FeedImporter, type TransitStatus } from './transit-service';

export interface TransitModuleDeps {
  config: Pick<Config, 'TRANSIT_GTFS' | 'GBIS_API_BASE' | 'GBIS_SERVICE_KEY' | 'ADMIN_TOKEN'>;
  logger: Logger;
  notices?: NoticeService;
  /** The clock of the answers (tests fix "today" here). */
  now?: () => Date;
  /** Replaces the worker-thread importer (tests). */
  importer?: FeedImporter;
}

export interface TransitModule {
  service: TransitService;
  /** Goes right before the FAQ step. */
  step: TurnStep;
  /** POST /transit/reload under the admin API (bearer ADMIN_TOKEN). */
  adminRouter: Router;
  status(): TransitStatus;
  /** Starts the first import in the background; the promise settles when it is done. */
  start(): Promise<void>;
  close(): void;
}

export function createTransitModule(deps: TransitModuleDeps): TransitModule {
  const { config, logger } = deps;
  const service = new TransitService({
    ...(config.TRANSIT_GTFS && { location: path.resolve(config.TRANSIT_GTFS) }),
    logger,
    ...(deps.importer && { importer: deps.importer }),
  });
  const live =
    config.GBIS_API_BASE && config.GBIS_SERVICE_KEY
      ? new GbisLiveArrivals(new GbisClient({ baseUrl: config.GBIS_API_BASE, serviceKey: config.GBIS_SERVICE_KEY }), logger)
      : undefined;
  const access = (): TimetableAccess => {
    const s = service.state();
    return s.kind === 'ready' ? { state: 'ready', timetable: s.timetable } : { state: s.kind };
  };
  const notices = deps.notices;
  const step = transitAnswerStep({
    access,
    now: deps.now ?? (() => new Date()),
    ...(live && { live }),
    ...(notices && {
      notices: async (intent: string, language: string) => {
        const active = await notices.forIntent(intent);
        return active.length ? [tr('resident.transit.noticesHeader', language), ...active.map((n) => noticeText(n, language))] : [];
      },
    }),
  });

  const adminRouter = Router();
  adminRouter.post('/transit/reload', adminAuth(config.ADMIN_TOKEN), async (_req, res) => {
    await service.load();
    res.json(service.status());
  });

  return {
    service,
    step,
    adminRouter,
    status: () => service.status(),
    start: () => service.load(),
    close: () => service.close(),
  };
}
