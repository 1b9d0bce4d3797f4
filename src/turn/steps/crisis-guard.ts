import { tr } from '../../i18n/translate';
import type { TurnStep } from '../turn-context';

/**
 * A crisis preempts everything (flows, the queue order, a silent bot while a counselor owns the
 * chat): safe-messaging text with the crisis lines at once and the top of the human queue.
 */
export function crisisGuardStep(): TurnStep {
  return async (ctx, next) => {
    if (!ctx.nlu?.crisis) return next();
    ctx.logger.warn({ conversationId: ctx.conversation.id }, 'crisis message: escalating at once');
    if (ctx.conversation.state === 'assigned') {
      // A counselor already owns the chat; raise the priority but let the human answer.
      await ctx.update({ priority: 'crisis' });
      return;
    }
    ctx.reply(tr('resident.turn.crisis', ctx.language));
    await ctx.escalate('crisis', 'crisis');
  };
}
