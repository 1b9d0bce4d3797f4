/**
 * Conversation stories: what a resident says or presses, turn by turn, and what must be true after
 * each turn. One YAML file per category under test/conversations/stories/ (Rasa's test stories are
 * the model). Example:
 *
 *   category: transport
 *   stories:
 *     - story: first bus of a route, in Korean
 *       lang: ko
 *       steps:
 *         - user: 7-2번 버스 첫차가 몇 시예요?
 *           expect: { intent: transport_schedule, reply: "첫차", language: ko, state: bot }
 *         - press: 도움이 됐어요
 *           expect: { crisis: false }
 *
 * `reply` / `notReply` are regular expressions (case-insensitive) matched against the text of the
 * replies the turn produced; `buttons` lists labels that must be offered; `press` sends the payload
 * of the offered button with that label, as a channel would; `type` sends a label as plain text
 * (channels without buttons). The welcome's buttons count as offered before the first turn.
 *
 * A `counselor` step acts in the console as a counselor who speaks ko/en/zh/vi: `accept` takes the
 * queued chat, `{ say: text }` writes to the resident, `{ close: resolution }` closes the chat (the
 * satisfaction survey follows). Its expectations are checked on what the resident receives after
 * the action (waiting up to 10 s for `reply`, `buttons` and `replies` to be met); its `state`,
 * `priority`... on the conversation. The counselor signs in the first time a story of the service
 * needs one, and a signed-in counselor changes the queue notices, so such stories belong in their
 * own file.
 *
 * Stories the product does not yet pass live in test/conversations/pending/ (not run by the
 * suite), each with a `bug` saying what is wrong; `npm run eval:conversations -- --pending` plays them.
 */
import { z } from 'zod';

const expectation = z
  .object({
    /** Intent the turn understood (stored on the inbound message, else the conversation's last intent). */
    intent: z.string().optional(),
    /** Conversation state after the turn. */
    state: z.enum(['bot', 'queued', 'assigned', 'closed']).optional(),
    priority: z.enum(['crisis', 'bot_failure', 'request', 'normal']).optional(),
    /** Conversation language after the turn. */
    language: z.string().optional(),
    /** Active flow name and step after the turn; `flow: none` means no flow is active. */
    flow: z.string().optional(),
    step: z.string().optional(),
    /** Some reply of the turn matches each of these (string = regex, case-insensitive). */
    reply: z.union([z.string(), z.array(z.string())]).optional(),
    /** No reply of the turn matches any of these. */
    notReply: z.union([z.string(), z.array(z.string())]).optional(),
    /** Button labels the turn's replies offer (all must be present). */
    buttons: z.array(z.string()).optional(),
    /** false: the turn must not be treated as crisis (no crisis priority, no crisis alert text). */
    crisis: z.boolean().optional(),
    /** Minimum number of replies (0 allowed: e.g. while a counselor owns the chat). */
    replies: z.number().int().min(0).optional(),
    /** A ticket reference GG-YYYYMMDD-NNNN appears in a reply. */
    ticket: z.boolean().optional(),
  })
  .strict();

/** What a counselor does in the console (see the file comment). */
const counselorAction = z.union([
  z.literal('accept'),
  z.object({ say: z.string().min(1) }).strict(),
  z.object({ close: z.string().min(1) }).strict(),
]);

const step = z
  .object({
    user: z.string().min(1).optional(),
    press: z.string().min(1).optional(),
    type: z.string().min(1).optional(),
    location: z.object({ latitude: z.number(), longitude: z.number(), address: z.string().optional() }).optional(),
    image: z.boolean().optional(),
    counselor: counselorAction.optional(),
    expect: expectation.default({}),
  })
  .strict()
  .refine((s) => [s.user, s.press, s.type, s.location, s.image, s.counselor].filter((x) => x !== undefined).length === 1, {
    message: 'each step has exactly one of user, press, type, location, image, counselor',
  });

export const storySchema = z
  .object({
    story: z.string().min(1),
    lang: z.enum(['ko', 'en', 'zh', 'vi']).or(z.string().regex(/^[a-z]{2,3}$/)),
    /** Extra labels for the eval table (e.g. crisis, look-alike, button). */
    tags: z.array(z.string()).default([]),
    /** What the opening of the chat (before the first turn) must show: the welcome and its topics. */
    welcome: expectation.pick({ reply: true, notReply: true, buttons: true, language: true, replies: true }).strict().optional(),
    /** Pending stories only (test/conversations/pending/): what the product gets wrong. */
    bug: z.string().min(1).optional(),
    steps: z.array(step).min(1),
  })
  .strict();

export const storyFileSchema = z
  .object({
    category: z.string().min(1),
    /** Service settings this file needs (e.g. TRANSIT_GTFS). */
    env: z.record(z.string(), z.string()).default({}),
    /** The service clock of time-dependent answers (transit), e.g. "2026-11-30T10:00:00+09:00" (a weekday). */
    now: z.string().datetime({ offset: true }).optional(),
    stories: z.array(storySchema).min(1),
  })
  .strict();

export type Story = z.infer<typeof storySchema>;
export type StoryStep = z.infer<typeof step>;
export type CounselorAction = z.infer<typeof counselorAction>;
export type StoryExpectation = z.infer<typeof expectation>;
export type StoryFile = z.infer<typeof storyFileSchema>;
