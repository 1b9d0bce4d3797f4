/**
 * The transit turn step: runs the transit dialogue on the message or a "transit:" button, adds live
 * arrivals to next-departure answers when GBIS is configured, appends the active transport notices,
 * and keeps the dialogue's slots on the conversation (under slots.transit). Messages that are not
 * transit questions go on to the next step (the FAQ).
 */
import { OUT_OF_SCOPE } from '../core/nlu-port';
import type { TurnStep } from '../turn/turn-context';
import type { LiveOutcome } from './gbis-live-arrivals';
import { transitDialogue, withLiveArrivals, type LiveRequest, type TimetableAccess, type TransitSlots } from './transit-dialogue';
import { TRANSIT_PAYLOAD_PREFIX } from './transit-payload';

export const TRANSIT_INTENT = 'transport_schedule';
const SLOT_KEY = 'transit';

export interface TransitStepDeps {
  access: () => TimetableAccess;
  /** The clock answers are computed for (injectable so tests can fix "today"). */
  now: () => Date;
  live?: { arrivals(request: LiveRequest): Promise<LiveOutcome> };
  /** Active notices about transport, as lines to append (e.g. a strike). */
  notices?: (intent: string, language: string) => Promise<string[]>;
  /** Classifier confidence from which the intent counts (as the intent step). */
  minIntentConfidence?: number;
  /** Confidence from which another intent takes a message away from a pending question. */
  otherIntentConfidence?: number;
}

function readSlots(value: unknown): TransitSlots | undefined {
  return value && typeof value === 'object' && typeof (value as TransitSlots).at === 'string' ? (value as TransitSlots) : undefined;
}

export function transitAnswerStep(deps: TransitStepDeps): TurnStep {
  const minIntent = deps.minIntentConfidence ?? 0.35;
  const otherIntent = deps.otherIntentConfidence ?? 0.6;
  return async (ctx, next) => {
    const payload = ctx.payload;
    if (payload && !payload.startsWith(TRANSIT_PAYLOAD_PREFIX)) return next();
    if (!payload && !ctx.text.trim()) return next();
    const nlu = ctx.nlu;
    const slots = readSlots(ctx.conversation.slots?.[SLOT_KEY]);
    const result = transitDialogue(
      {
        text: ctx.text,
        ...(payload && { payload }),
        language: ctx.language,
        ...(slots && { slots }),
        now: deps.now(),
        transitIntent: !!nlu && nlu.intent === TRANSIT_INTENT && nlu.confidence >= minIntent,
        otherIntent: !!nlu && nlu.intent !== TRANSIT_INTENT && nlu.intent !== OUT_OF_SCOPE && nlu.confidence >= otherIntent,
      },
      deps.access(),
    );
    if (!result.handled) {
      // A pending question the resident moved away from is dropped.
      if (slots?.awaiting) await ctx.update({ slots: withoutTransit(ctx.conversation.slots) });
      return next();
    }
    let answer = result;
    if (result.live && deps.live) answer = withLiveArrivals(result, await deps.live.arrivals(result.live), ctx.language);
    const notices = (await deps.notices?.(TRANSIT_INTENT, ctx.language)) ?? [];
    ctx.reply({
      text: [answer.text, ...(notices.length ? ['', ...notices] : [])].join('\n'),
      ...(answer.quickReplies.length && { quickReplies: answer.quickReplies }),
      ...(answer.links.length && { links: answer.links }),
    });
    const kept = withoutTransit(ctx.conversation.slots);
    await ctx.update({ misses: 0, lastIntent: TRANSIT_INTENT, slots: answer.slots ? { ...kept, [SLOT_KEY]: answer.slots } : kept });
  };
}

function withoutTransit(slots: Record<string, unknown> | undefined): Record<string, unknown> {
  const { [SLOT_KEY]: _dropped, ...rest } = slots ?? {};
  return rest;
}
