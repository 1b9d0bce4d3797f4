/**
 * What a counselor needs to pick from the queue at a glance: each waiting chat's last message and
 * its SLA deadline (crisis chats get a sixth of the SLA, at least 10 s, as the SLA monitor uses).
 */
import type { Store } from '../core/store-port';
import type { HandoffModule } from '../handoff/handoff-module';
import type { ConsoleRoute } from './console-routes';

/** The alert deadline of a queued chat, as src/handoff/sla-monitor.ts computes it. */
export function slaDeadline(queuedAt: Date, priority: string, slaMs: number): Date {
  const ms = priority === 'crisis' ? Math.max(10_000, Math.round(slaMs / 6)) : slaMs;
  return new Date(queuedAt.getTime() + ms);
}

export function queuePreviewRoutes(deps: { store: Store; handoff: HandoffModule; slaMs: number }): ConsoleRoute[] {
  const { store } = deps;
  return [
    {
      method: 'get',
      path: '/queue/previews',
      roles: ['counselor', 'supervisor'],
      summary: 'For every waiting chat: the resident’s last message (masked if abusive) and the SLA deadline',
      async handler() {
        const queue = (await deps.handoff.service.queue()).slice(0, 200);
        const items = await Promise.all(
          queue.map(async (e) => {
            // What the resident last said; the bot's queue notices say nothing about the case.
            const recent = await store.messageSearch.find({ conversationId: e.conversation.id, limit: 10 });
            const shown = recent.find((m) => m.author === 'resident') ?? recent.find((m) => !m.flags?.internal && m.author !== 'system');
            return {
              conversationId: e.conversation.id,
              slaDeadline: slaDeadline(e.episode.queuedAt, e.conversation.priority, deps.slaMs).toISOString(),
              ...(shown && {
                last: {
                  author: shown.author,
                  text: shown.flags?.abusive ? undefined : (shown.content.text ?? '').slice(0, 120),
                  photo: Boolean(shown.content.images?.length),
                  at: shown.createdAt.toISOString(),
                },
              }),
            };
          }),
        );
        return { items };
      },
    },
  ];
}
