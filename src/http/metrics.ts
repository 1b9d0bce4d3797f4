/** Prometheus metrics (prom-client) on /metrics, behind a bearer token when one is configured. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventBus } from '../core/event-port';

export interface MetricsAccess {
  /** Bearer token scrapers must send; unset: see `open`. */
  token?: string;
  /** Without a token: serve to anyone (development) or not at all (production). */
  open: boolean;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export function metricsRouter(bus: EventBus, access: MetricsAccess = { open: true }): { router: Router; registry: Registry } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const messages = new Counter({
    name: 'dajeong_messages_total',
    help: 'Messages stored, by channel, direction and author',
    labelNames: ['channel', 'direction', 'author'],
    registers: [registry],
  });
  const escalations = new Counter({
    name: 'dajeong_escalations_total',
    help: 'Conversations handed to the human queue, by priority',
    labelNames: ['priority'],
    registers: [registry],
  });
  // Counted by the instance that stored the message or made the change: other instances hear of
  // it too (Redis bus), and a sum over instances must count it once.
  bus.subscribe('message', (m, origin) => origin.local && messages.inc({ channel: m.channel, direction: m.direction, author: m.author }));
  bus.subscribe('conversation', ({ conversation, reason }, origin) => {
    if (origin.local && reason === 'escalated') escalations.inc({ priority: conversation.priority });
  });
  const router = Router();
  const expected = access.token ? digest(access.token) : undefined;
  router.get('/metrics', async (req, res) => {
    if (!expected && !access.open) {
      res.status(404).json({ error: { code: 'not_found', message: 'No route for GET /metrics (set METRICS_TOKEN to enable it)' } });
      return;
    }
    if (expected) {
      const presented = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!presented || !timingSafeEqual(digest(presented), expected)) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        res.status(401).json({ error: { code: 'unauthorized', message: 'Missing or wrong metrics token' } });
        return;
      }
    }
    res.setHeader('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  });
  return { router, registry };
}

/** A gauge read when scraped (e.g. open long-poll waits). */
export function readGauge(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}
