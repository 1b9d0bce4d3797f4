/**
 * Button payloads: what a pressed quick reply means, as one discriminated union, and the one codec
 * that turns it into the string platforms carry back (Telegram's callback_data, Messenger's and
 * X's quick-reply payloads, Kakao's clientExtra, the app API) and reads such strings again.
 *
 * The encodings are the ones buttons already sent to residents carry, so a button pressed on an old
 * message still works. With ids of the usual length every encoding fits Telegram's 64 bytes; a
 * longer one (an 80-character FAQ id) makes Telegram fall back to a reply keyboard, which sends
 * the label as text instead.
 */
import type { SurveyDimension } from './handoff-port';
import { SURVEY_DIMENSIONS } from './handoff-port';
import type { IntentName } from './intents';

/** Steps of a guided flow a button can answer. */
export const FLOW_ACTIONS = ['cancel', 'resume', 'skip', 'yes', 'no', 'mine'] as const;
export type FlowAction = (typeof FLOW_ACTIONS)[number];

/** The questions a transit answer's buttons can pick (first/last bus, next departure, headway). */
export const TRANSIT_QUESTIONS = ['first', 'last', 'next', 'headway'] as const;
export type TransitQuestion = (typeof TRANSIT_QUESTIONS)[number];
/** What a transit button picks; routes and stops by the feed's own ids, so a button survives a reload. */
export type TransitPick = { type: 'kind'; kind: TransitQuestion } | { type: 'route'; routeId: string } | { type: 'stop'; stopId: string };

export type ButtonPayload =
  /** Selects an intent without classification (e.g. "talk to a counselor"). */
  | { kind: 'intent'; intent: IntentName }
  /** "Ask again" after the bot did not understand. */
  | { kind: 'retry' }
  /** Answers a guided flow's step, or controls the flow. */
  | { kind: 'flow'; action: FlowAction }
  /** Picks one of the resident's tickets by reference. */
  | { kind: 'ticket'; reference: string }
  /** Opens a related FAQ entry. */
  | { kind: 'faq'; faqId: string }
  /** "This did not help" under an FAQ answer. */
  | { kind: 'faq-unhelpful'; faqId: string }
  /** One score of a satisfaction survey. */
  | { kind: 'survey-score'; surveyId: string; dimension: SurveyDimension; score: number }
  /** Skips the survey's optional comment. */
  | { kind: 'survey-skip-comment'; surveyId: string }
  /** "Did this help?" yes or no. */
  | { kind: 'helpful'; surveyId: string; helpful: boolean }
  /** A queued resident's choice when nobody can serve them now. */
  | { kind: 'queue-choice'; choice: 'keep-waiting' | 'leave-message' }
  /** Switches the conversation language. */
  | { kind: 'language'; language: string }
  /** Answer-only channels (KakaoTalk): shows what is waiting. */
  | { kind: 'check-replies' }
  /** A transit answer's question type, route or stop. */
  | { kind: 'transit'; pick: TransitPick }
  /** "Something else" under a question that names the needs the bot found in one message. */
  | { kind: 'something-else' };

export type ButtonKind = ButtonPayload['kind'];
/** The payload of one kind, e.g. `ButtonOf<'survey-score'>`. */
export type ButtonOf<K extends ButtonKind> = Extract<ButtonPayload, { kind: K }>;

const QUEUE_CHOICE = { 'keep-waiting': 'handoff:wait', 'leave-message': 'handoff:message' } as const;

/** The string a platform carries for this button. */
export function encodeButton(button: ButtonPayload): string {
  switch (button.kind) {
    case 'intent':
      return `intent:${button.intent}`;
    case 'retry':
      return 'retry';
    case 'flow':
      return `flow:${button.action}`;
    case 'ticket':
      return `flow:ref:${button.reference}`;
    case 'faq':
      return `faq:ask:${button.faqId}`;
    case 'faq-unhelpful':
      return `faq:unhelpful:${button.faqId}`;
    case 'survey-score':
      return `survey:${button.surveyId}:${button.dimension}:${button.score}`;
    case 'survey-skip-comment':
      return `survey:${button.surveyId}:comment:skip`;
    case 'helpful':
      return `survey:${button.surveyId}:helpful:${button.helpful ? 'yes' : 'no'}`;
    case 'queue-choice':
      return QUEUE_CHOICE[button.choice];
    case 'language':
      return `lang:${button.language}`;
    case 'check-replies':
      return 'kakao:check_replies';
    case 'transit':
      return encodeTransit(button.pick);
    case 'something-else':
      return 'clarify:other';
  }
}

const ID = /^[A-Za-z0-9_-]{1,100}$/;
const INTENT = /^[a-z_]{1,64}$/;
const LANGUAGE = /^[a-z]{2,3}$/;

/** The button a payload string stands for; undefined for anything else (never throws). */
export function decodeButton(payload: string | undefined): ButtonPayload | undefined {
  if (!payload) return undefined;
  if (payload === 'retry') return { kind: 'retry' };
  if (payload === 'kakao:check_replies') return { kind: 'check-replies' };
  if (payload === 'clarify:other') return { kind: 'something-else' };
  if (payload === QUEUE_CHOICE['keep-waiting']) return { kind: 'queue-choice', choice: 'keep-waiting' };
  if (payload === QUEUE_CHOICE['leave-message']) return { kind: 'queue-choice', choice: 'leave-message' };
  const [head, ...rest] = payload.split(':');
  const tail = rest.join(':');
  switch (head) {
    case 'intent':
      return INTENT.test(tail) ? { kind: 'intent', intent: tail } : undefined;
    case 'flow':
      if (rest[0] === 'ref' && rest.length === 2 && rest[1]) return { kind: 'ticket', reference: rest[1] };
      return (FLOW_ACTIONS as readonly string[]).includes(tail) ? { kind: 'flow', action: tail as FlowAction } : undefined;
    case 'faq':
      if (rest.length !== 2 || !ID.test(rest[1] ?? '')) return undefined;
      if (rest[0] === 'ask') return { kind: 'faq', faqId: rest[1]! };
      if (rest[0] === 'unhelpful') return { kind: 'faq-unhelpful', faqId: rest[1]! };
      return undefined;
    case 'survey':
      return decodeSurvey(rest);
    case 'lang':
      return LANGUAGE.test(tail) ? { kind: 'language', language: tail } : undefined;
    case 'transit': {
      const pick = decodeTransit(tail);
      return pick && { kind: 'transit', pick };
    }
    default:
      return undefined;
  }
}

function encodeTransit(pick: TransitPick): string {
  switch (pick.type) {
    case 'kind':
      return `transit:k:${pick.kind}`;
    case 'route':
      return `transit:r:${encodeURIComponent(pick.routeId)}`;
    case 'stop':
      return `transit:s:${encodeURIComponent(pick.stopId)}`;
  }
}

/** "k:<question>", "r:<route id>" or "s:<stop id>" (ids URI-encoded). */
function decodeTransit(body: string): TransitPick | undefined {
  const tag = body.slice(0, 2);
  let value: string;
  try {
    value = decodeURIComponent(body.slice(2));
  } catch {
    return undefined;
  }
  if (!value) return undefined;
  if (tag === 'k:') return (TRANSIT_QUESTIONS as readonly string[]).includes(value) ? { type: 'kind', kind: value as TransitQuestion } : undefined;
  if (tag === 'r:') return { type: 'route', routeId: value };
  if (tag === 's:') return { type: 'stop', stopId: value };
  return undefined;
}

function decodeSurvey([surveyId, what, value, ...extra]: string[]): ButtonPayload | undefined {
  if (!surveyId || !ID.test(surveyId) || extra.length) return undefined;
  if (what === 'comment' && value === 'skip') return { kind: 'survey-skip-comment', surveyId };
  if (what === 'helpful' && (value === 'yes' || value === 'no')) return { kind: 'helpful', surveyId, helpful: value === 'yes' };
  const score = Number(value);
  const dimension = SURVEY_DIMENSIONS.find((d) => d === what);
  if (dimension && /^[1-5]$/.test(value ?? '')) return { kind: 'survey-score', surveyId, dimension, score };
  return undefined;
}

/** The button of `kind` a payload string stands for, or undefined (handy in guards). */
export function buttonOf<K extends ButtonKind>(payload: string | ButtonPayload | undefined, kind: K): ButtonOf<K> | undefined {
  const button = typeof payload === 'string' ? decodeButton(payload) : payload;
  return button?.kind === kind ? (button as ButtonOf<K>) : undefined;
}
