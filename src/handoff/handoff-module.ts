/**
 * Builds the human handoff: queue service, auto-router, position notices, SLA monitor, alerts,
 * surveys, figures, escalation and the turn steps, wired to one store and event bus. The composition
 * root creates it after delivery and before the turn runner (its steps and its escalation go into
 * the runner), and starts it after.
 */
import type { Config } from '../config';
import type { ChannelLookup } from '../core/channel-port';
import type { EventBus } from '../core/event-port';
import type { Logger } from '../core/logger-port';
import type { Outbound } from '../core/outbound-port';
import type { Store } from '../core/store-port';
import { AlertService } from './alert-service';
import { AutoRouter } from './auto-router';
import { DashboardService } from './dashboard-service';
import { FigureRecorder } from './figure-recorder';
import { EscalationService } from './escalation';
import { HandoffLoop } from './handoff-loop';
import { HandoffService } from './handoff-service';
import { handoffSteps, type HandoffSteps } from './handoff-step';
import { QueueNotifier } from './queue-notifier';
import { SlaMonitor } from './sla-monitor';
import { SurveyService } from './survey-service';

export interface HandoffModuleDeps {
  store: Store;
  bus: EventBus;
  channels: ChannelLookup;
  outbound: Outbound;
  config: Config;
  logger: Logger;
}

export interface HandoffModule {
  service: HandoffService;
  /** The Escalation port for bot turns. */
  escalation: EscalationService;
  alerts: AlertService;
  surveys: SurveyService;
  dashboard: DashboardService;
  loop: HandoffLoop;
  /** Go into the turn pipeline after understanding, before the crisis guard (turn/pipeline.ts). */
  steps: HandoffSteps;
  presenceTtlMs: number;
  routing: 'auto' | 'manual';
  start(): void;
  stop(): Promise<void>;
}

export function createHandoff(deps: HandoffModuleDeps): HandoffModule {
  const { store, bus, config } = deps;
  const logger = deps.logger;
  const presenceTtlMs = config.PRESENCE_TTL_SECONDS * 1000;
  const figures = new FigureRecorder(store, logger);
  const alerts = new AlertService({ store, bus, logger, presenceTtlMs });
  const surveys = new SurveyService({ store, channels: deps.channels, outbound: deps.outbound, surveyTtlMs: config.SURVEY_TTL_HOURS * 3600_000, logger });
  const service = new HandoffService({
    store,
    bus,
    outbound: deps.outbound,
    surveys,
    figures,
    settings: { maxChats: config.COUNSELOR_MAX_CHATS, presenceTtlMs },
    logger,
  });
  const router = new AutoRouter({ store, handoff: service, skillFallbackMs: config.SKILL_FALLBACK_SECONDS * 1000, presenceTtlMs, logger });
  const notifier = new QueueNotifier({ store, handoff: service, noticeIntervalMs: config.QUEUE_NOTICE_SECONDS * 1000, presenceTtlMs, logger });
  const sla = new SlaMonitor({ store, alerts, slaMs: config.SLA_SECONDS * 1000, presenceTtlMs, logger });
  const loop = new HandoffLoop({ handoff: service, router, notifier, sla, routing: config.ROUTING, tickMs: config.HANDOFF_TICK_MS, logger });
  const steps = handoffSteps({ store, bus, surveys, loop, alerts, figures });
  const dashboard = new DashboardService({ store, handoff: service, presenceTtlMs });
  const escalation = new EscalationService({ store, bus, channels: deps.channels, logger });

  const unsubscribe = [bus.subscribe('queue', () => loop.requestPass()), bus.subscribe('presence', () => loop.requestPass())];
  return {
    service,
    escalation,
    alerts,
    surveys,
    dashboard,
    loop,
    steps,
    presenceTtlMs,
    routing: config.ROUTING,
    start: () => loop.start(),
    stop: async () => {
      for (const off of unsubscribe) off();
      await loop.stop();
      await escalation.settle();
    },
  };
}
