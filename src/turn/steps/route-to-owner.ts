import type { TurnStep } from '../../core/turn-context';

/** The bot stays silent while the queue or a counselor owns the conversation. */
export function routeToOwnerStep(): TurnStep {
  return async (ctx, next) => {
    if (ctx.conversation.state === 'queued' || ctx.conversation.state === 'assigned') return;
    await next();
  };
}
