/**
 * The crisis decision as a pure function of the signals and the conversation's context.
 *
 * Recall first: an explicit lexicon hit is a crisis in any context, and so is any crisis signal in
 * a conversation that already is one. The two weaker signals — the intent model's crisis
 * probability above its (recall-tuned, low) threshold, and a farewell- or thanks-like lexicon
 * pattern — get a second look:
 *
 *  - the model's verdict is "strong" when its probability is at least MODEL_BAR and the nearest
 *    training example is a crisis one (positive margin). It is "supported" when the probability is
 *    at least MODEL_BAR and the message is not clearly closer to an everyday training example
 *    (margin above -NEIGHBOUR_SLACK, or a near-certain probability), or whatever the probability
 *    when the nearest crisis example is clearly the closest (margin at least NEIGHBOUR_SLACK).
 *    The head's probability alone runs high on short everyday messages unlike any training
 *    example; its recall-tuned threshold stays the gate for looking at all;
 *  - a message holding everyday call-center phrasing (hyperbole, waiting, thanks, giving up on a
 *    service, a complaint, a dead phone or plant, death paperwork) is judged on what is left once
 *    those spans are cut out: "기다리다 지쳐 죽겠네요 언제 연결돼요?" leaves nothing of concern,
 *    "너무 오래 기다렸어요 이제 다 의미 없어요" leaves a crisis (the rest must read as one clearly:
 *    RESIDUAL_BAR);
 *  - an explicit hit the resident takes back — a joke owned as one ("농담이고요", not "농담 아니고"),
 *    a crisis told as past and resolved and not come back — is a crisis only when the model reads
 *    one clearly too (strong at RESIDUAL_BAR) or the conversation already is one;
 *  - where the conversation explains everyday talk — the bot asked for a survey comment or score,
 *    or a flow's next answer, the resident waits in the queue, or the bot has just answered a
 *    request (follow-up complaints and questions) — the model must be strong, and a
 *    farewell-like pattern ("그동안 고마웠어요") counts only when the model is strong too.
 *
 * The numbers were chosen on the dev sets (docs/crisis-decision.md), with every crisis line there
 * kept: recall first.
 */
import type { CrisisContext, CrisisVerdict } from '../core/crisis-port';
import type { CrisisLexiconTier } from './lexicon-crisis-detector';

/** The model's crisis signal. */
export interface ModelCrisisSignal {
  /** The classifier's verdict (probability at or above its threshold, short-text rule applied). */
  crisis: boolean;
  /** Calibrated probability of crisis_support (the lexical fallback: its crisis confidence). */
  probability: number;
  /** Nearest crisis training example minus nearest other example (cosine); undefined without one. */
  margin?: number;
}

/** What is left of the message once its everyday spans are cut out, and how that reads. */
export interface ResidualSignal {
  /** Everyday kinds found (e.g. 'waiting', 'hyperbole'). */
  kinds: string[];
  /** Share of the message's letters left (0-1). */
  share: number;
  lexicon?: CrisisLexiconTier;
  /** The model on the residual (not crisis when too little is left to classify). */
  model: ModelCrisisSignal;
}

export interface CrisisSignals {
  lexicon?: CrisisLexiconTier;
  model: ModelCrisisSignal;
  /** Present when the message holds everyday phrasing and a weak signal needed a second look. */
  everyday?: ResidualSignal;
  /**
   * Disclaimer kinds found next to an explicit lexicon hit (a joke owned as one, a crisis told as
   * past and resolved); an explicit hit without them is a crisis whatever else the message holds.
   */
  disclaimed?: string[];
}

/** Least model probability of a strong or supported verdict. */
export const MODEL_BAR = 0.5;
/**
 * A message this much closer (cosine) to an everyday example than to any crisis one is everyday
 * unless the model is NEAR_CERTAIN; this much closer to a crisis example supports any verdict.
 */
export const NEIGHBOUR_SLACK = 0.1;
export const NEAR_CERTAIN = 0.97;
/** Less than this share of the message left after cutting its everyday spans: it was everyday talk. */
export const MIN_RESIDUAL_SHARE = 0.5;
/**
 * Least model probability for the rest of a message that held everyday phrasing: the phrasing
 * is evidence of everyday talk, and a text with a phrase cut out reads oddly, so what is left must
 * read as a crisis clearly.
 */
export const RESIDUAL_BAR = 0.9;

/** True when the bot is waiting for an answer or the resident for a counselor. */
export function contextExpectsEverydayTalk(context: CrisisContext): boolean {
  return context.awaiting !== undefined || context.state === 'queued';
}

/** True when the bot has just served a request (an answer, a flow): follow-ups are about it. */
function justServed(context: CrisisContext): boolean {
  return context.lastIntent !== undefined && context.lastIntent !== 'crisis_support' && context.lastIntent !== 'out_of_scope';
}

/** True when a thank-you or goodbye is what the conversation would expect next. */
function contextExplainsFarewell(context: CrisisContext): boolean {
  return contextExpectsEverydayTalk(context) || context.state === 'assigned' || justServed(context);
}

/**
 * True when everyday talk is what the conversation expects: the bot awaits an answer, the resident
 * waits for a counselor, or the bot has just served a request — after an answer, "수거 또 안 해갔어요",
 * "那咋办", "臭死了" are complaints and questions about it, the most common follow-ups there are.
 */
function contextExpectsFollowUp(context: CrisisContext): boolean {
  return contextExpectsEverydayTalk(context) || justServed(context);
}

// A classifier without nearest-example margins (the lexical fallback) keeps its own verdict:
// degraded mode is no place to lose recall.
function strong(model: ModelCrisisSignal, bar = MODEL_BAR): boolean {
  if (model.margin === undefined) return model.crisis;
  return model.crisis && model.probability >= bar && model.margin > 0;
}

function supported(model: ModelCrisisSignal, bar = MODEL_BAR): boolean {
  if (model.margin === undefined) return model.crisis;
  const { probability: p, margin } = model;
  return model.crisis && ((p >= bar && (margin > -NEIGHBOUR_SLACK || p >= NEAR_CERTAIN)) || margin >= NEIGHBOUR_SLACK);
}

/** Decides crisis from the signals and the context (see the module comment for the rules). */
export function decideCrisis(signals: CrisisSignals, context: CrisisContext): CrisisVerdict {
  const { lexicon, model, everyday, disclaimed } = signals;
  if (lexicon === 'explicit' && disclaimed?.length) {
    // The resident took the words back; only a conversation that is already a crisis, or a model
    // that reads a crisis clearly anyway, keeps it one.
    const kinds = disclaimed.join('+');
    if (isCrisisConversation(context)) return { crisis: true, reason: 'crisis-conversation' };
    return strong(model, RESIDUAL_BAR) ? { crisis: true, reason: `lexicon-disclaimed-model:${kinds}` } : { crisis: false, reason: `disclaimed:${kinds}` };
  }
  if (lexicon === 'explicit') return { crisis: true, reason: 'lexicon' };
  if (!lexicon && !model.crisis) return { crisis: false, reason: 'no-signal' };
  if (isCrisisConversation(context))
    return { crisis: true, reason: 'crisis-conversation' };
  const expected = contextExpectsFollowUp(context);
  if (lexicon === 'contextual') {
    if (contextExplainsFarewell(context) && !strong(model)) return { crisis: false, reason: 'context-farewell' };
    return { crisis: true, reason: 'lexicon-contextual' };
  }
  // Only the model sees a crisis.
  if (everyday) {
    const kinds = everyday.kinds.join('+');
    if (everyday.lexicon) return { crisis: true, reason: `residual-lexicon:${kinds}` };
    if (everyday.share < MIN_RESIDUAL_SHARE) return { crisis: false, reason: `everyday:${kinds}` };
    const rest = expected ? strong(everyday.model, RESIDUAL_BAR) : supported(everyday.model, RESIDUAL_BAR);
    return rest ? { crisis: true, reason: `residual-model:${kinds}` } : { crisis: false, reason: `everyday:${kinds}` };
  }
  if (expected) return strong(model) ? { crisis: true, reason: 'model-strong' } : { crisis: false, reason: 'context-model' };
  return supported(model) ? { crisis: true, reason: 'model' } : { crisis: false, reason: 'model-unsupported' };
}

/** A conversation that already is a crisis (rule 3): crisis priority, or crisis_support its last intent. */
function isCrisisConversation(context: CrisisContext): boolean {
  return context.priority === 'crisis' || context.lastIntent === 'crisis_support';
}

/** The learned crisis head's reading of a message (docs/crisis-decision.md, "Round 7"). */
export interface HeadSignals {
  lexicon?: CrisisLexiconTier;
  /** Disclaimer kinds found next to an explicit hit. */
  disclaimed: string[];
  head: { probability: number; threshold: number };
  /** The intent classification's own crisis verdict: never decides, only names a cleared one everyday talk. */
  modelCrisis: boolean;
}

/**
 * In a conversation that already is a crisis, a head probability this share of its threshold is
 * signal enough (rule 3): there, a doubtful message is read as the crisis going on.
 */
export const CRISIS_CONVERSATION_HEAD_SHARE = 0.5;

/** Least head probability that keeps a farewell-like message a crisis where the context explains goodbyes. */
export const FAREWELL_HEAD_BAR = 0.95;
/**
 * Least head probability that keeps a message without any lexicon hit a crisis where the context
 * expects follow-up talk (queue, a question asked, an answer just given, a counselor talking with
 * the resident — who reads every message and can raise the priority): the old rule 6's "strong".
 * Round 8: 11 of the 52 lines said to a counselor in everyday-dev-7 raised the alarm without it.
 */
export const FOLLOW_UP_HEAD_BAR = 0.9;
/**
 * Last intents that served no request: after a greeting or a goodbye there is no answer for a
 * complaint to follow up on ("你好" then "活着太痛苦了…" is a crisis told at once).
 */
const NOT_A_REQUEST = new Set(['greeting', 'thanks_goodbye']);

/**
 * The transformer mode's decision with the learned crisis head (round 7): an explicit lexicon hit
 * not taken back (rule 1), or the head at or above its threshold — except a farewell-like lexicon
 * hit where the context explains goodbyes and the head is not sure (rule 4), or a message without
 * any lexicon hit where the context expects follow-up talk and the head is below FOLLOW_UP_HEAD_BAR
 * (rule 6) — or, in a conversation that
 * already is a crisis — any lexicon hit or a head probability at half its threshold (rule 3). The
 * head was trained on crisis lines, look-alikes and everyday follow-ups of every dev round and
 * replaced the hand-written context rules 4 to 6, which leave-one-set-out cross-validation showed
 * clear real crises on unseen wording. The context is read only when a lexicon or head signal
 * below the bar could make it a crisis.
 */
export async function decideCrisisWithHead(signals: HeadSignals, context: () => Promise<CrisisContext>): Promise<CrisisVerdict> {
  const { lexicon, disclaimed, head, modelCrisis } = signals;
  if (lexicon === 'explicit' && disclaimed.length === 0) return { crisis: true, reason: 'lexicon' };
  if (head.probability >= head.threshold) {
    // Rules 4 and 6 kept, narrowed to the head: thanks and goodbyes are what a survey comment, a
    // flow, the queue, a counselor or an answer just given explain, and follow-up complaints what
    // the queue, a question asked or an answer just given explain; there the head must be sure.
    const bar = lexicon === 'contextual' ? FAREWELL_HEAD_BAR : lexicon ? 0 : FOLLOW_UP_HEAD_BAR;
    if (head.probability >= bar) return { crisis: true, reason: 'crisis-head' };
    const c = await context().catch((): CrisisContext => ({}));
    if (isCrisisConversation(c)) return { crisis: true, reason: 'crisis-conversation' };
    if (lexicon === 'contextual' && contextExplainsFarewell(c)) return { crisis: false, reason: 'context-farewell' };
    if (!lexicon && (contextExpectsFollowUp(c) || c.state === 'assigned') && !NOT_A_REQUEST.has(c.lastIntent ?? '')) return { crisis: false, reason: 'context-model' };
    return { crisis: true, reason: 'crisis-head' };
  }
  if (lexicon || head.probability >= head.threshold * CRISIS_CONVERSATION_HEAD_SHARE) {
    const c = await context().catch((): CrisisContext => ({}));
    if (isCrisisConversation(c)) return { crisis: true, reason: 'crisis-conversation' };
  }
  if (disclaimed.length) return { crisis: false, reason: `disclaimed:${disclaimed.join('+')}` };
  // A message the intent model alone read as crisis, cleared by the head: everyday talk (the FAQ's
  // crisis-lines entry does not answer it either).
  return modelCrisis || lexicon ? { crisis: false, reason: 'everyday:crisis-head' } : { crisis: false, reason: 'no-signal' };
}
