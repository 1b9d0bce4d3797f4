/** How turn steps compose: left to right, each deciding whether the turn goes on. */
import type { TurnContext, TurnStep } from '../core/turn-context';

/** Composes steps left to right; a step that does not call next() ends the turn. */
export function composeSteps(steps: TurnStep[]): (ctx: TurnContext) => Promise<void> {
  return (ctx) => {
    const run = async (i: number): Promise<void> => {
      const step = steps[i];
      if (!step) return;
      let called = false;
      await step(ctx, async () => {
        if (called) throw new Error(`turn step ${i} called next() twice`);
        called = true;
        await run(i + 1);
      });
    };
    return run(0);
  };
}
