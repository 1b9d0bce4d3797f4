/** Prometheus metrics (prom-client) on /metrics, behind a bearer token when one is configured. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { MessageBus } from '../turn/message-bus';

export interface MetricsAccess {
  /** Bearer token scrapers must send; unset: see `open`. */
  token?: string;
  /** Without a token: serve to anyone (development) or not at all (production). */
  open: boolean;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export function metricsRouter(bus: MessageBus, access: MetricsAccess = { open: true }): { router: Router; registry: Registry } {
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
  bus.on('message', (m) => messages.inc({ channel: m.channel, direction: m.direction, author: m.author }));
  bus.on('conversation', (c, { reason }) => {
    if (reason === 'escalated') escalations.inc({ priority: c.priority });
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
