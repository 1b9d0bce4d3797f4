/**
 * Gathers the crisis signals of a message (lexicon tier, the model's crisis probability and
 * nearest-example margin, the everyday phrasing in it and how the rest of it reads) and hands
 * them, with the conversation's context, to the pure decision in crisis-decision.ts. The extra
 * work — one more classification of the message without its everyday spans, and the context
 * read — is done only for the few messages whose only crisis signal is a weak one.
 *
 * In transformer mode, once the learned crisis head is trained (crisis-head.ts), the decision is
 * the head's instead (decideCrisisWithHead): the explicit lexicon rule, the head over the message's
 * embedding, lexical features and nearest training lines, and a conversation already in crisis.
 */
import type { CrisisContext, CrisisJudge, CrisisJudgeInput, CrisisVerdict } from '../core/crisis-port';
import { CRISIS_INTENT, withoutShortTextCrisis, type Classification, type IntentClassifier } from '../core/nlu-port';
import { decideCrisis, decideCrisisWithHead, type ModelCrisisSignal, type ResidualSignal } from './crisis-decision';
import type { CrisisHead } from './crisis-head';
import { EverydayPhrases, letterCount } from './everyday-phrases';
import type { LexiconCrisisDetector } from './lexicon-crisis-detector';
import type { VietnameseMarkRestorer } from './vietnamese-marks';

/** Everyday kinds that name things rather than say them; cut before the lexicons are read. */
const MENTIONS = ['mention'] as const;
/**
 * Everyday kinds that take back what an explicit phrase says: a joke owned as one ("죽고 싶다 ㅋㅋ
 * 농담이고요", not "농담 아니고") and a crisis told as past and resolved ("예전에 … 지금은 잘 살아요",
 * unless it came back). They turn an explicit lexicon hit into a question for the model.
 */
const DISCLAIMERS = ['joke_disclaimer', 'resolved_past'] as const;

/**
 * The model's crisis signal: the transformer reports its probability and nearest-example margin;
 * the lexical fallback only a ranked confidence.
 */
export function modelCrisisSignal(c: Classification): ModelCrisisSignal {
  const extra = c as Classification & { crisisProbability?: number; crisisMargin?: number };
  const ranked = c.top.find((t) => t.intent === CRISIS_INTENT)?.confidence ?? 0;
  const probability = extra.crisisProbability ?? ranked;
  return {
    crisis: c.intent === CRISIS_INTENT,
    probability: c.intent === CRISIS_INTENT ? Math.max(c.confidence, probability) : probability,
    ...(extra.crisisMargin !== undefined && { margin: extra.crisisMargin }),
  };
}

/** The crisis lexicon's reading of a message: its tier after cutting mentions, and any disclaimers. */
export function readLexicon(text: string, lexicon: LexiconCrisisDetector, everyday: EverydayPhrases) {
  const mentions = everyday.cut(text, MENTIONS);
  const tier = lexicon.match(mentions.kinds.length ? mentions.residual : text);
  const disclaimed = tier === 'explicit' ? everyday.cut(text, DISCLAIMERS).kinds : [];
  return { tier, disclaimed };
}

/**
 * Rule 1: an explicit lexicon hit (mentions cut out first) that the message does not take back is
 * a crisis in every context. Also the crisis head's training job reads it (its threshold counts
 * the lines this rule catches as caught).
 */
export function explicitCrisisRule(text: string, lexicon: LexiconCrisisDetector, everyday: EverydayPhrases): boolean {
  const { tier, disclaimed } = readLexicon(text, lexicon, everyday);
  return tier === 'explicit' && disclaimed.length === 0;
}

/** Names of the lexical features the crisis head reads after the embedding, in order. */
export const HEAD_SCALARS = ['explicit', 'contextual', 'disclaimed', 'everydayShare'] as const;

/**
 * The lexical features of a message for the crisis head: explicit and farewell-like lexicon hits
 * (mentions cut), a disclaimer next to an explicit hit, and the share of its letters that are
 * everyday call-center phrasing.
 */
export function headScalars(
  text: string,
  lexicon: LexiconCrisisDetector,
  everyday: EverydayPhrases,
  reading: ReturnType<typeof readLexicon> = readLexicon(text, lexicon, everyday),
): number[] {
  const { tier, disclaimed } = reading;
  const letters = letterCount(text);
  const share = letters ? 1 - letterCount(everyday.cut(text).residual) / letters : 0;
  return [tier === 'explicit' ? 1 : 0, tier === 'contextual' ? 1 : 0, disclaimed.length ? 1 : 0, Math.max(0, share)];
}

export class ContextualCrisisJudge implements CrisisJudge {
  /**
   * @param head the learned crisis head when trained (transformer mode); while it is there and the
   *   message has a query embedding of its size, it replaces the hand-written context rules
   */
  constructor(
    private readonly lexicon: LexiconCrisisDetector,
    private readonly everyday: EverydayPhrases,
    private readonly classifier: () => IntentClassifier,
    private readonly head: () => CrisisHead | undefined = () => undefined,
    /** Restores the marks of Vietnamese typed without them for the head (it was trained on marked text). */
    private readonly restorer: () => VietnameseMarkRestorer | undefined = () => undefined,
  ) {}

  async judge(given: CrisisJudgeInput): Promise<CrisisVerdict> {
    const head = this.head();
    const input = (head && (await this.withMarksRestored(given))) || given;
    const reading = readLexicon(input.text, this.lexicon, this.everyday);
    const { tier: lexicon, disclaimed } = reading;
    const model = modelCrisisSignal(input.classification);
    const vector = (input.vector ?? input.classification.vector)?.values;
    const scalars = head?.lexical ? headScalars(input.text, this.lexicon, this.everyday, reading) : undefined;
    if (head && vector && vector.length === head.dimension) {
      const probability = head.probability(vector, scalars);
      return decideCrisisWithHead({ lexicon, disclaimed, head: { probability, threshold: head.threshold }, modelCrisis: model.crisis }, input.context);
    }
    if ((lexicon === 'explicit' && disclaimed.length === 0) || (!lexicon && !model.crisis)) return decideCrisis({ lexicon, model }, {});
    const context = await input.context().catch((): CrisisContext => ({}));
    if (disclaimed.length) return decideCrisis({ lexicon, model, disclaimed }, context);
    const everyday = lexicon ? undefined : await this.residual(input.text, input.language, model);
    return decideCrisis({ lexicon, model, ...(everyday && { everyday }) }, context);
  }

  /**
   * Vietnamese typed without marks, as if typed with them (the head was trained on marked text):
   * the restored text and its embedding, one more encoder pass; undefined for any other message.
   */
  private async withMarksRestored(input: CrisisJudgeInput): Promise<CrisisJudgeInput | undefined> {
    const restored = this.restorer()?.restore(input.text);
    if (!restored) return undefined;
    const vector = (await this.classifier().classify(restored, input.language)).vector;
    return vector && { ...input, text: restored, vector, classification: { ...input.classification, vector } };
  }

  /** How the message reads without its everyday spans; undefined when it has none. */
  private async residual(text: string, language: string | undefined, whole: ModelCrisisSignal): Promise<ResidualSignal | undefined> {
    const cut = this.everyday.cut(text);
    if (cut.kinds.length === 0) return undefined;
    const letters = letterCount(cut.residual);
    const share = letters / Math.max(1, letterCount(text));
    if (letters < 3) return { kinds: cut.kinds, share, model: { crisis: false, probability: 0 } };
    // Without nearest-example margins (the lexical fallback) the rest would be read by the same
    // weak classifier: degraded mode keeps the whole message's verdict unless it was mostly everyday.
    if (whole.margin === undefined) return { kinds: cut.kinds, share, model: whole };
    const classification = withoutShortTextCrisis(await this.classifier().classify(cut.residual, language), cut.residual);
    const lexicon = this.lexicon.match(cut.residual);
    return { kinds: cut.kinds, share, ...(lexicon && { lexicon }), model: modelCrisisSignal(classification) };
  }
}
