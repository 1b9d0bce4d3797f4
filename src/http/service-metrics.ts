/**
 * The service's own Prometheus series (the /metrics router is in metrics.ts): HTTP request and turn
 * latency histograms, NLU latency, sends by result, rejected webhooks, crisis and abuse flags, and
 * gauges read from the store when scraped (queue by priority, oldest wait, outbox).
 */
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { PRIORITY_ORDER, type Conversation } from '../core/conversation';
import type { OutboxSummary } from '../core/store-port';
import type { Telemetry } from '../core/telemetry-port';

/** Seconds: a chat turn is fast (lexical) to a few seconds (transformer on a busy box). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Turn and send reports of the core as Prometheus series. */
export function prometheusTelemetry(registry: Registry): Telemetry {
  const turns = new Histogram({
    name: 'dajeong_turn_duration_seconds',
    help: 'Bot turns by the step that ended them, and whether the turn failed',
    labelNames: ['ended_by', 'failed'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const nlu = new Histogram({
    name: 'dajeong_nlu_duration_seconds',
    help: 'Intent classification of a message, by model',
    labelNames: ['model'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const flags = new Counter({
    name: 'dajeong_flags_total',
    help: 'Messages judged crisis or abusive, by channel',
    labelNames: ['kind', 'channel'],
    registers: [registry],
  });
  const sends = new Counter({
    name: 'dajeong_sends_total',
    help: 'Platform sends by channel and result (sent, retry, failed, lease_lost)',
    labelNames: ['channel', 'result'],
    registers: [registry],
  });
  const sendTime = new Histogram({
    name: 'dajeong_send_duration_seconds',
    help: 'Platform send calls by channel',
    labelNames: ['channel'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  return {
    turn(report) {
      turns.observe({ ended_by: report.endedBy ?? 'none', failed: String(report.failed) }, report.ms / 1000);
      if (report.nluMs !== undefined) nlu.observe({ model: report.model }, report.nluMs / 1000);
      if (report.crisis) flags.inc({ kind: 'crisis', channel: report.channel });
      if (report.abusive) flags.inc({ kind: 'abuse', channel: report.channel });
    },
    send(channel, result, ms) {
      sends.inc({ channel, result });
      sendTime.observe({ channel }, ms / 1000);
    },
  };
}

/** Platform webhooks: a 4xx answer there is a refused (forged, malformed, oversized) delivery. */
const WEBHOOK_ROUTE = /^\/webhooks\/|^\/api\/messages$/;

/**
 * Times every request by its route template (not its path, which carries ids) and counts refused
 * webhook deliveries.
 */
export function httpMetrics(registry: Registry): RequestHandler {
  const requests = new Histogram({
    name: 'dajeong_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'dajeong_webhooks_rejected_total',
    help: 'Webhook deliveries answered with a 4xx (bad signature, malformed or oversized body...)',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  return (req, res, next) => {
    const end = requests.startTimer();
    res.on('finish', () => {
      // Unmatched paths (static files, 404s) share one label so scanners cannot grow the series.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'other';
      const status = String(res.statusCode);
      end({ method: req.method, route, status });
      if (res.statusCode >= 400 && res.statusCode < 500 && WEBHOOK_ROUTE.test(route)) rejected.inc({ route, status });
    });
    next();
  };
}

export interface StoreGaugeSources {
  /** Conversations waiting in the human queue (a bounded read). */
  queued(): Promise<Conversation[]>;
  outbox(): Promise<OutboxSummary>;
  /** Sends running on this instance now. */
  sending(): number;
}

/** One read shared by the gauges of one scrape: they are collected together, so a read in flight is reused. */
function perScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= read().finally(() => {
      pending = undefined;
    }));
}

/** Gauges read from the store each time Prometheus scrapes (every instance reports the same totals). */
export function storeGauges(registry: Registry, store: StoreGaugeSources): void {
  const sources: StoreGaugeSources = { queued: perScrape(store.queued), outbox: perScrape(store.outbox), sending: store.sending };
  new Gauge({
    name: 'dajeong_queue_length',
    help: 'Conversations waiting for a counselor, by priority',
    labelNames: ['priority'],
    registers: [registry],
    async collect() {
      const queued = await sources.queued();
      for (const priority of PRIORITY_ORDER) this.set({ priority }, queued.filter((c) => c.priority === priority).length);
    },
  });
  new Gauge({
    name: 'dajeong_queue_oldest_wait_seconds',
    help: 'How long the longest-waiting queued conversation has waited',
    registers: [registry],
    async collect() {
      const queued = await sources.queued();
      const oldest = Math.min(...queued.map((c) => (c.queuedAt ?? c.updatedAt).getTime()));
      this.set(Number.isFinite(oldest) ? Math.max(0, (Date.now() - oldest) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'dajeong_outbox_entries',
    help: 'Outbox entries by status (pending includes those waiting for a retry)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const summary = await sources.outbox();
      this.set({ status: 'pending' }, summary.pending);
      this.set({ status: 'failed' }, summary.failed);
      this.set({ status: 'sending' }, sources.sending());
    },
  });
  new Gauge({
    name: 'dajeong_outbox_oldest_pending_seconds',
    help: 'Age of the oldest outbox entry not yet sent',
    registers: [registry],
    async collect() {
      const { oldestPendingAt } = await sources.outbox();
      this.set(oldestPendingAt ? Math.max(0, (Date.now() - oldestPendingAt.getTime()) / 1000) : 0);
    },
  });
}
