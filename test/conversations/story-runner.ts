/**
 * Runs conversation stories (story-format.ts) against a running service through the resident app
 * API, the way a resident's app or the web chat would, and checks each turn's expectations against
 * the replies and the stored conversation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Store } from '../../src/core/store-port';
import { partsOf, type Message, type QuickReply } from '../../src/core/message';
import { AppClient } from '../support/service';
import { createStaff, type ConsoleClient } from '../console/console-client';
import { storyFileSchema, type CounselorAction, type Story, type StoryExpectation, type StoryFile, type StoryStep } from './story-format';

export const STORIES_DIR = path.join(__dirname, 'stories');
/** Stories the product does not pass yet, each with its `bug` (not run by the suite). */
export const PENDING_DIR = path.join(__dirname, 'pending');
/** The console admin the story service starts with; it creates the stories' counselor. */
export const STORY_ADMIN = { login: 'story-admin', password: 'story-admin-password-1' };

/** What the runner needs of a service: its URL and read access to its store. */
export interface StoryHost {
  url: string;
  store: Store;
}

export interface StepOutcome {
  step: number;
  said: string;
  replies: string[];
  failures: string[];
}

export interface StoryOutcome {
  story: string;
  passed: boolean;
  steps: StepOutcome[];
}

const LOCALES: Record<string, string> = { ko: 'ko-KR', en: 'en-US', zh: 'zh-CN', vi: 'vi-VN' };
/** A 1x1 PNG, for photo steps. */
const TINY_PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const TICKET = /GG-\d{8}-\d{4}/;

/** Reads and validates every story file (or the ones named). Throws naming the file and field. */
export function loadStoryFiles(dir = STORIES_DIR, only?: string[]): { file: string; spec: StoryFile }[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .filter((f) => !only?.length || only.some((o) => f.includes(o)))
    .sort();
  return files.map((file) => {
    const parsed = storyFileSchema.safeParse(parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${file}: ${issue.path.join('.')}: ${issue.message}`);
    }
    return { file, spec: parsed.data };
  });
}

/** Plays one story with a fresh resident; never throws for a failed expectation (it is recorded). */
export async function runStory(host: StoryHost, story: Story): Promise<StoryOutcome> {
  const app = await startSession(host, story.lang);
  let conversationId = app.conversationId;
  const steps: StepOutcome[] = [];
  // The opening (welcome) counts as step 0; its buttons are offered to the first step.
  const opening: StepOutcome = { step: 0, said: 'opening', replies: [], failures: [] };
  const welcome = await outboundUntil(host.store, conversationId, -1, story.welcome ?? {}, story.welcome ? 10_000 : 0);
  opening.replies = welcome.map(replyText);
  let offered: QuickReply[] = welcome.map((m) => partsOf(m.content)).filter((c) => c.quickReplies?.length).at(-1)?.quickReplies ?? [];
  if (story.welcome) {
    await check(host.store, story.welcome, { conversationId }, welcome, opening);
    steps.push(opening);
    if (opening.failures.length) return { story: story.story, passed: false, steps };
  }
  for (const [i, step] of story.steps.entries()) {
    const outcome: StepOutcome = { step: i + 1, said: describe(step), replies: [], failures: [] };
    steps.push(outcome);
    if (step.counselor) {
      const replies = await actAsCounselor(host, conversationId, step.counselor, step.expect, outcome);
      if (!replies) break;
      outcome.replies = replies.map(replyText);
      const withButtons = replies.filter((m) => partsOf(m.content).quickReplies?.length).at(-1);
      if (withButtons) offered = partsOf(withButtons.content).quickReplies ?? [];
      await check(host.store, step.expect, { conversationId }, replies, outcome);
      if (outcome.failures.length) break;
      continue;
    }
    const body = requestBody(step, offered, outcome);
    if (!body) break;
    const res = await app.send(body);
    if (res.status !== 202) {
      outcome.failures.push(`the app API refused the message: ${res.status} ${await res.text()}`);
      break;
    }
    const { messageId } = (await res.json()) as { messageId: string };
    const inbound = await handled(host.store, messageId);
    if (!inbound) {
      outcome.failures.push('the turn did not finish within 30 s');
      break;
    }
    const replies = (await host.store.messages.listByConversation(inbound.conversationId, { afterSeq: inbound.seq, limit: 200 })).filter(
      (m) => m.direction === 'outbound' && !m.flags?.internal,
    );
    outcome.replies = replies.map(replyText);
    const withButtons = replies.filter((m) => partsOf(m.content).quickReplies?.length).at(-1);
    if (withButtons) offered = partsOf(withButtons.content).quickReplies ?? [];
    conversationId = inbound.conversationId;
    await check(host.store, step.expect, { conversationId, intent: inbound.intent }, replies, outcome);
    if (outcome.failures.length) break;
  }
  const played = steps.filter((s) => s.step > 0);
  return { story: story.story, passed: steps.every((s) => s.failures.length === 0) && played.length === story.steps.length, steps };
}

/**
 * A new resident session. The app API allows 30 new sessions a minute from one address, which a
 * quick run of a long story file exceeds: like a well-behaved app, back off and try again.
 */
async function startSession(host: StoryHost, lang: string): Promise<AppClient> {
  const app = new AppClient(host.url);
  for (let attempt = 1; ; attempt++) {
    try {
      await app.start({ deviceId: `story-${Math.random().toString(36).slice(2)}`, locale: LOCALES[lang] ?? lang });
      return app;
    } catch (err) {
      if (attempt >= 30 || !/^session: 429/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 3000));
    }
  }
}

/** One counselor per service, signed in the first time a story needs one. */
const counselors = new WeakMap<StoryHost, Promise<ConsoleClient>>();

function counselorOf(host: StoryHost): Promise<ConsoleClient> {
  let client = counselors.get(host);
  if (!client) {
    client = createStaff(host.url, STORY_ADMIN, [{ login: 'story-counselor', role: 'counselor', languages: ['ko', 'en', 'zh', 'vi'] }]).then(
      (staff) => staff['story-counselor']!,
    );
    counselors.set(host, client);
  }
  return client;
}

/** Does the counselor's action; returns what the resident received after it (undefined: refused). */
async function actAsCounselor(
  host: StoryHost,
  conversationId: string,
  action: CounselorAction,
  expect: StoryExpectation,
  outcome: StepOutcome,
): Promise<Message[] | undefined> {
  const counselor = await counselorOf(host);
  const before = (await host.store.messages.listByConversation(conversationId, { limit: 1000 })).reduce((max, m) => Math.max(max, m.seq), -1);
  const res =
    action === 'accept'
      ? await counselor.post(`/conversations/${conversationId}/accept`)
      : 'say' in action
        ? await counselor.post(`/conversations/${conversationId}/messages`, { text: action.say })
        : await counselor.post(`/conversations/${conversationId}/close`, { resolution: action.close });
  if (res.status !== 200) {
    outcome.failures.push(`the console refused the counselor's action: ${res.status} ${JSON.stringify(res.body)}`);
    return undefined;
  }
  return outboundUntil(host.store, conversationId, before, expect, 10_000);
}

/**
 * What the resident received after `afterSeq`, polled until the expectation's replies, buttons and
 * count are met or the time is up (messages sent outside a turn arrive on their own time).
 */
async function outboundUntil(
  store: Store,
  conversationId: string,
  afterSeq: number,
  expect: Pick<StoryExpectation, 'reply' | 'buttons' | 'replies'>,
  timeoutMs: number,
): Promise<Message[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const replies = (await store.messages.listByConversation(conversationId, { afterSeq, limit: 200 })).filter(
      (m) => m.direction === 'outbound' && !m.flags?.internal,
    );
    const texts = replies.map((m) => partsOf(m.content).text ?? '');
    const labels = new Set(replies.flatMap((m) => partsOf(m.content).quickReplies?.map((q) => q.label) ?? []));
    const met =
      asList(expect.reply).every((p) => texts.some((t) => new RegExp(p, 'iu').test(t))) &&
      (expect.buttons ?? []).every((b) => labels.has(b)) &&
      replies.length >= (expect.replies ?? 1);
    if (met || Date.now() > deadline) return replies;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function describe(step: StoryStep): string {
  if (step.user) return `user: ${step.user}`;
  if (step.press) return `press: ${step.press}`;
  if (step.type) return `type: ${step.type}`;
  if (step.location) return `location: ${JSON.stringify(step.location)}`;
  if (step.counselor) return `counselor: ${JSON.stringify(step.counselor)}`;
  return 'image';
}

function requestBody(step: StoryStep, offered: QuickReply[], outcome: StepOutcome): Record<string, unknown> | undefined {
  const clientMessageId = `story-${Math.random().toString(36).slice(2)}`;
  if (step.user) return { clientMessageId, text: step.user };
  if (step.type) return { clientMessageId, text: step.type };
  if (step.location) return { clientMessageId, location: step.location };
  if (step.image) return { clientMessageId, images: [{ url: TINY_PNG, mimeType: 'image/png' }] };
  const button = offered.find((q) => q.label === step.press);
  if (!button) {
    outcome.failures.push(`no button "${step.press}" is offered (offered: ${offered.map((q) => q.label).join(' | ') || 'none'})`);
    return undefined;
  }
  return { clientMessageId, text: button.label, payload: button.payload };
}

/** Waits until the bot's turn for the message has finished (replies stored, message marked handled). */
async function handled(store: Store, messageId: string, timeoutMs = 30_000): Promise<Message | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = await store.messages.get(messageId);
    if (m?.handledAt) return m;
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 20));
  }
}

function replyText(m: Message): string {
  const labels = partsOf(m.content).quickReplies?.map((q) => `[${q.label}]`).join(' ');
  return [partsOf(m.content).text, labels].filter(Boolean).join(' ');
}

const asList = (x: string | string[] | undefined) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** The turn checked: its conversation and, for a resident's message, the intent stored on it. */
interface Checked {
  conversationId: string;
  intent?: string;
}

async function check(store: Store, expect: StoryExpectation, inbound: Checked, replies: Message[], outcome: StepOutcome): Promise<void> {
  const fail = (what: string): void => void outcome.failures.push(what);
  const conversation = await store.conversations.get(inbound.conversationId);
  if (!conversation) return fail('the conversation vanished');
  const texts = replies.map((m) => partsOf(m.content).text ?? '');
  if (expect.intent !== undefined) {
    const understood = inbound.intent ?? conversation.lastIntent;
    if (understood !== expect.intent) fail(`intent: expected ${expect.intent}, got ${understood ?? 'none'}`);
  }
  if (expect.state && conversation.state !== expect.state) fail(`state: expected ${expect.state}, got ${conversation.state}`);
  if (expect.priority && conversation.priority !== expect.priority) fail(`priority: expected ${expect.priority}, got ${conversation.priority}`);
  if (expect.language && conversation.language !== expect.language) fail(`language: expected ${expect.language}, got ${conversation.language}`);
  if (expect.flow !== undefined) {
    const flow = conversation.flow?.name ?? 'none';
    if (flow !== expect.flow) fail(`flow: expected ${expect.flow}, got ${flow}`);
  }
  if (expect.step !== undefined && conversation.flow?.step !== expect.step) fail(`step: expected ${expect.step}, got ${conversation.flow?.step ?? 'none'}`);
  for (const pattern of asList(expect.reply)) {
    if (!texts.some((t) => new RegExp(pattern, 'iu').test(t))) fail(`no reply matches /${pattern}/`);
  }
  for (const pattern of asList(expect.notReply)) {
    if (texts.some((t) => new RegExp(pattern, 'iu').test(t))) fail(`a reply matches /${pattern}/, which it must not`);
  }
  if (expect.buttons) {
    const labels = new Set(replies.flatMap((m) => partsOf(m.content).quickReplies?.map((q) => q.label) ?? []));
    for (const b of expect.buttons) if (!labels.has(b)) fail(`button "${b}" not offered`);
  }
  if (expect.replies !== undefined && replies.length < expect.replies) fail(`replies: expected at least ${expect.replies}, got ${replies.length}`);
  if (expect.ticket && !texts.some((t) => TICKET.test(t))) fail('no ticket reference in the replies');
  if (expect.crisis !== undefined) {
    const alerts = await store.alerts.list({ limit: 1000 });
    const crisis = conversation.priority === 'crisis' || alerts.some((a) => a.kind === 'crisis' && a.conversationId === conversation.id);
    if (crisis !== expect.crisis) fail(expect.crisis ? 'expected a crisis escalation' : `treated as crisis (priority ${conversation.priority})`);
  }
}

/** One line per failed step, for test messages and the eval report. */
export function explain(outcome: StoryOutcome): string {
  return outcome.steps
    .filter((s) => s.failures.length)
    .map((s) => `step ${s.step} (${s.said}): ${s.failures.join('; ')}\n    replies: ${s.replies.join(' / ') || '(none)'}`)
    .join('\n');
}
