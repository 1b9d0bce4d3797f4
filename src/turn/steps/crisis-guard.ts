import type { Translate } from '../../core/text-port';
import type { TurnStep } from '../../core/turn-context';

/**
 * A crisis (the pipeline runs this step only then) preempts everything: flows, the queue order, a
 * silent bot while a counselor owns the chat. Safe-messaging text with the crisis lines at once and
 * the top of the human queue; the turn ends here.
 */
export function crisisGuardStep(tr: Translate): TurnStep {
  return async (ctx) => {
    ctx.logger.warn({ conversationId: ctx.conversation.id }, 'crisis message: escalating at once');
    if (ctx.conversation.state === 'assigned') {
      // A counselor already owns the chat; raise the priority but let the human answer.
      await ctx.raisePriority('crisis');
      return;
    }
    ctx.reply(tr('resident.turn.crisis', ctx.language));
    await ctx.escalate('crisis', 'crisis');
  };
}
