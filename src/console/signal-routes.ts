/** Typing and read signals from the console to the resident (and to supervisors watching). */
import { z } from 'zod';
import type { EventBus } from '../core/event-port';
import type { Store } from '../core/store-port';
import { parseOr400 } from '../http/http-errors';
import type { ConsoleRoute } from './console-routes';
import { readableConversation } from './conversation-access';

export const typingBody = z.object({ typing: z.boolean() });
export const readBody = z.object({ upToSeq: z.number().int().min(0) });

export function signalRoutes(deps: { store: Store; events: EventBus }): ConsoleRoute[] {
  const { store, events } = deps;
  return [
    {
      method: 'post',
      path: '/conversations/:id/typing',
      roles: ['counselor', 'supervisor'],
      summary: 'Tell the resident the counselor is writing (typing=true) or stopped',
      body: typingBody,
      async handler({ req, auth }) {
        const { typing } = parseOr400(typingBody, req.body);
        const c = await readableConversation(store, auth.user, String(req.params.id));
        // Only the counselor handling the chat types to the resident; others' drafts are notes.
        if (c.state === 'assigned' && c.assigneeId === auth.user.id) events.publish('typing', { conversationId: c.id, who: 'counselor', userId: auth.user.id, typing });
        return { ok: true };
      },
    },
    {
      method: 'post',
      path: '/conversations/:id/read',
      roles: ['counselor', 'supervisor'],
      summary: 'Mark the resident’s messages up to a seq as read by the counselor handling the chat',
      body: readBody,
      async handler({ req, auth }) {
        const { upToSeq } = parseOr400(readBody, req.body);
        const c = await readableConversation(store, auth.user, String(req.params.id));
        // A supervisor looking in does not count as the resident's counselor having read it.
        if (c.assigneeId === auth.user.id) events.publish('read', { conversationId: c.id, who: 'counselor', userId: auth.user.id, upToSeq });
        return { ok: true };
      },
    },
  ];
}
