/**
 * Builds the human handoff: queue service, auto-router, position notices, SLA monitor, alerts,
 * surveys, figures, escalation and the turn steps, wired to one store and event bus. The composition
 * root creates it after delivery and before the turn runner (its steps and its escalation go into
 * the runner), and starts it after.
 */
import type { Config } from '../config';
import type { ChannelLookup } from '../core/channel-port';
import type { Conversation } from '../core/conversation';
import type { EventBus } from '../core/event-port';
import type { Logger } from '../core/logger-port';
import type { Outbound } from '../core/outbound-port';
import type { Store } from '../core/store-port';
import { AlertService } from './alert-service';
import { AutoRouter } from './auto-router';
import { CareService } from './care-service';
import { DashboardService } from './dashboard-service';
import { FigureRecorder } from './figure-recorder';
import { EscalationService } from './escalation';
import { HandoffLoop } from './handoff-loop';
import { HandoffService } from './handoff-service';
import { InterpreterService } from './interpreter-service';
import { handoffSteps, type HandoffSteps } from './handoff-step';
import { QaReportService } from './qa-report';
import { QaSampler } from './qa-sampler';
import { QaService } from './qa-service';
import { QueueAcknowledger } from './queue-acknowledger';
import { QueueNotifier } from './queue-notifier';
import { ShiftSchedule } from './shift-schedule';
import { SlaMonitor } from './sla-monitor';
import { StaffingService } from './staffing-service';
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
  /** Quality reviews: scoring, the daily sample, reports. */
  qa: { service: QaService; sampler: QaSampler; reports: QaReportService };
  staffing: StaffingService;
  /** Counselor care: breaks after abusive or crisis chats, load per counselor, handing a chat to a supervisor. */
  care: CareService;
  /** Interpreters in chats: the standby pool, invitations, join, messages and leave. */
  interpreters: InterpreterService;
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
  const shifts = new ShiftSchedule(config.SHIFT_HOURS, config.SHIFT_GRACE_MINUTES * 60_000);
  const router = new AutoRouter({ store, handoff: service, skillFallbackMs: config.SKILL_FALLBACK_SECONDS * 1000, presenceTtlMs, shifts, logger });
  const notifier = new QueueNotifier({ store, handoff: service, noticeIntervalMs: config.QUEUE_NOTICE_SECONDS * 1000, presenceTtlMs, shifts, logger });
  const sla = new SlaMonitor({ store, alerts, slaMs: config.SLA_SECONDS * 1000, presenceTtlMs, logger });
  const loop = new HandoffLoop({ handoff: service, router, notifier, sla, routing: config.ROUTING, tickMs: config.HANDOFF_TICK_MS, logger });
  const acknowledger = new QueueAcknowledger({ store, handoff: service, notifier, intervalMs: config.QUEUE_ACK_SECONDS * 1000 });
  const steps = handoffSteps({ store, bus, surveys, loop, alerts, figures, acknowledger });
  const dashboard = new DashboardService({ store, handoff: service, presenceTtlMs });
  const escalation = new EscalationService({ store, bus, channels: deps.channels, logger });
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

  const interpreters = new InterpreterService({ store, bus, outbound: deps.outbound, shifts, presenceTtlMs, logger });
  /**
   * Interpreters' invitations end with the counselor's stay. A chat in a language its counselor does
   * not list gets an interpreter invited when the router gave it (nobody who speaks it was free),
   * and a note asking for one when the counselor took it.
   */
  const interpreting = (c: Conversation, reason: string, by: string | undefined) => {
    const fail = (err: unknown) => logger.warn({ err, conversationId: c.id }, 'interpreter follow-up failed');
    if (['closed', 'transferred', 'handback', 'requeued'].includes(reason)) interpreters.endAll(c.id).catch(fail);
    if (reason === 'assigned') interpreters.suggestFor(c, { invite: by === 'router' }).catch(fail);
  };

  const unsubscribe = [
    bus.subscribe('queue', () => loop.requestPass()),
    bus.subscribe('presence', () => loop.requestPass()),
    // The instance that ended a counselor's chat checks their run of abusive or crisis chats.
    // (Only that one: with the Redis bus every instance hears of the change.)
    bus.subscribe('conversation', ({ conversation: c, reason, by }, origin) => {
      if (!origin.local) return;
      if (['closed', 'transferred', 'handback'].includes(reason)) care.afterChat(c.id).catch((err) => logger.warn({ err, conversationId: c.id }, 'counselor care check failed'));
      interpreting(c, reason, by);
    }),
  ];
  return {
    service,
    escalation,
    alerts,
    surveys,
    dashboard,
    qa,
    staffing,
    care,
    interpreters,
    loop,
    steps,
    presenceTtlMs,
    routing: config.ROUTING,
    start: () => {
      loop.start();
      qa.sampler.start();
    },
    stop: async () => {
      for (const off of unsubscribe) off();
      await loop.stop();
      await escalation.settle();
      await qa.sampler.stop();
    },
  };
}
