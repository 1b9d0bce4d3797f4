/**
 * Builds the human handoff: queue service, auto-router, position notices, SLA monitor, alerts,
 * surveys, figures and the turn step, wired to one store and bus. The composition root creates
 * it before the gateway (the step goes into the turn pipeline) and starts it after.
 */
import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../core/logger-port';
import type { Store } from '../core/store-port';
import type { ChannelDirectory } from '../turn/channel-directory';
import type { Gateway } from '../turn/gateway';
import type { MessageBus } from '../turn/message-bus';
import type { TurnStep } from '../turn/turn-context';
import { AlertService } from './alert-service';
import { AutoRouter } from './auto-router';
import { CannedAnswers } from './canned-answers';
import { CareService } from './care-service';
import { DashboardService } from './dashboard-service';
import { FigureRecorder } from './figure-recorder';
import { HandoffEvents } from './handoff-events';
import { HandoffLoop } from './handoff-loop';
import { HandoffService } from './handoff-service';
import { handoffStep } from './handoff-step';
import { QaReportService } from './qa-report';
import { QaSampler } from './qa-sampler';
import { QaService } from './qa-service';
import { QueueNotifier } from './queue-notifier';
import { ShiftSchedule } from './shift-schedule';
import { SlaMonitor } from './sla-monitor';
import { StaffingService } from './staffing-service';
import { SurveyService } from './survey-service';

export interface HandoffModuleDeps {
  store: Store;
  bus: MessageBus;
  channels: ChannelDirectory;
  /** Resolved lazily: the gateway needs the step this module makes. */
  gateway: () => Gateway;
  config: Config;
  logger: Logger;
}

export interface HandoffModule {
  events: HandoffEvents;
  service: HandoffService;
  alerts: AlertService;
  surveys: SurveyService;
  dashboard: DashboardService;
  canned: CannedAnswers;
  /** Quality reviews: scoring, the daily sample, reports. */
  qa: { service: QaService; sampler: QaSampler; reports: QaReportService };
  staffing: StaffingService;
  /** Counselor care: breaks after abusive or crisis chats, load per counselor, handing a chat to a supervisor. */
  care: CareService;
  loop: HandoffLoop;
  /** Goes into the turn pipeline after understanding, before the crisis guard. */
  step: TurnStep;
  presenceTtlMs: number;
  routing: 'auto' | 'manual';
  start(): void;
  stop(): Promise<void>;
}

export function createHandoff(deps: HandoffModuleDeps): HandoffModule {
  const { store, bus, config } = deps;
  const logger = deps.logger;
  const presenceTtlMs = config.PRESENCE_TTL_SECONDS * 1000;
  const events = new HandoffEvents();
  const figures = new FigureRecorder(store, logger);
  const alerts = new AlertService({ store, events, logger, presenceTtlMs });
  const surveys = new SurveyService({ store, channels: deps.channels, gateway: deps.gateway, surveyTtlMs: config.SURVEY_TTL_HOURS * 3600_000, logger });
  const service = new HandoffService({
    store,
    bus,
    events,
    gateway: deps.gateway,
    surveys,
    figures,
    settings: { maxChats: config.COUNSELOR_MAX_CHATS, presenceTtlMs },
    logger,
  });
  const shifts = new ShiftSchedule(config.SHIFT_HOURS, config.SHIFT_GRACE_MINUTES * 60_000);
  const router = new AutoRouter({ store, handoff: service, skillFallbackMs: config.SKILL_FALLBACK_SECONDS * 1000, presenceTtlMs, shifts, logger });
  const notifier = new QueueNotifier({ store, handoff: service, noticeIntervalMs: config.QUEUE_NOTICE_SECONDS * 1000, presenceTtlMs, shifts, logger });
  const sla = new SlaMonitor({ store, alerts, slaMs: config.SLA_SECONDS * 1000, presenceTtlMs, logger });
  const loop = new HandoffLoop({ handoff: service, router, notifier, sla, routing: config.ROUTING, tickMs: config.HANDOFF_TICK_MS, logger });
  const step = handoffStep({ store, bus, surveys, loop, alerts, figures });
  const dashboard = new DashboardService({ store, handoff: service, presenceTtlMs });
  const canned = CannedAnswers.fromDir(path.join(config.knowledgeDir, 'faq'));
  const checklist = config.qaChecklist;
  const qa = {
    service: new QaService({ store, checklist }),
    sampler: new QaSampler({ store, logger: logger.child({ component: 'qa-sample' }), rate: config.QA_SAMPLE_RATE, lowCsat: config.QA_LOW_CSAT }),
    reports: new QaReportService({ store, checklist }),
  };
  const care = new CareService({
    store,
    handoff: service,
    alerts,
    settings: { breakMinutes: config.CARE_BREAK_MINUTES, alertStreak: config.CARE_ALERT_STREAK },
    presenceTtlMs,
    logger,
  });
  const staffing = new StaffingService({
    store,
    shifts,
    target: { serviceLevel: config.STAFFING_SERVICE_LEVEL, targetSeconds: config.STAFFING_TARGET_SECONDS, concurrency: config.COUNSELOR_MAX_CHATS },
    historyWeeks: config.STAFFING_HISTORY_WEEKS,
  });

  const unsubscribe = [
    events.on('queue', () => loop.requestPass()),
    events.on('presence', () => loop.requestPass()),
    // The instance that ended a counselor's chat checks their run of abusive or crisis chats.
    bus.on('conversation', (c, { reason }) => {
      if (['closed', 'transferred', 'handback'].includes(reason)) care.afterChat(c.id).catch((err) => logger.warn({ err, conversationId: c.id }, 'counselor care check failed'));
    }),
  ];
  return {
    events,
    service,
    alerts,
    surveys,
    dashboard,
    canned,
    qa,
    staffing,
    care,
    loop,
    step,
    presenceTtlMs,
    routing: config.ROUTING,
    start: () => {
      loop.start();
      qa.sampler.start();
    },
    stop: async () => {
      for (const off of unsubscribe) off();
      await loop.stop();
      await qa.sampler.stop();
    },
  };
}
