/** Prometheus metrics (prom-client) on /metrics. */
import { Router } from 'express';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventBus } from '../core/event-port';

export function metricsRouter(bus: EventBus): { router: Router; registry: Registry } {
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
  bus.subscribe('message', (m) => messages.inc({ channel: m.channel, direction: m.direction, author: m.author }));
  bus.subscribe('conversation', ({ conversation, reason }) => {
    if (reason === 'escalated') escalations.inc({ priority: conversation.priority });
  });
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  });
  return { router, registry };
}
