/**
 * The welcome (knowledge/welcome.json): the loader's validation, the first-turn welcome of
 * messaging channels over the in-memory channel, once per conversation also when two instances race
 * (memory store and FerretDB), and the app API's welcome at session start in the resident's language.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeButton } from '../../src/core/button-payload';
import type { Conversation } from '../../src/core/conversation';
import { textOf, type Message } from '../../src/core/message';
import type { TurnStep } from '../../src/core/turn-context';
import { InProcessEventBus } from '../../src/events/in-process-bus';
import { loadWelcome } from '../../src/knowledge/welcome-schema';
import { WelcomeService, welcomeDraft } from '../../src/knowledge/welcome-service';
import type { Service } from '../../src/main';
import { MemoryStore } from '../../src/store/memory-store';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { ChannelDirectory } from '../../src/turn/channel-directory';
import { Delivery } from '../../src/turn/delivery';
import { composeSteps } from '../../src/turn/pipeline';
import { FERRETDB_START_TIMEOUT_MS, startFerretDB, type FerretDB } from '../support/ferretdb';
import { AppClient, silentLogger, startService } from '../support/service';
import { startTurnHarness, type TurnHarness } from '../support/turn-harness';

const SHIPPED = path.join(__dirname, '..', '..', 'knowledge', 'welcome.json');
const shipped = loadWelcome(SHIPPED)!;

describe('welcome data loader', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'welcome-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, data: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(data));
    return file;
  };
  const topic = (id: string, label: Record<string, string> = { ko: '버스', en: 'Bus' }, intent = 'transport_schedule') => ({ id, intent, label });
  const valid = { message: { ko: '안녕하세요', en: 'Hello' }, topics: [topic('bus')], updatedAt: '2026-12-06' };

  it('loads the shipped file with its four starter topics', () => {
    expect(shipped.topics.map((t) => t.id)).toEqual(['bus_times', 'road_damage', 'waste_days', 'counselor']);
  });

  it('is undefined when the knowledge folder has no welcome', () => {
    expect(loadWelcome(path.join(dir, 'none.json'))).toBeUndefined();
  });

  it.each([
    ['no English message', { ...valid, message: { ko: '안녕하세요' } }, /message\.en: the English text is required/],
    ['an unknown intent', { ...valid, topics: [topic('bus', undefined, 'bus_please')] }, /topics\.0\.intent: must be one of the intents/],
    ['a label over 20 characters', { ...valid, topics: [topic('bus', { ko: '버스', en: 'When does my bus come, please?' })] }, /topics\.0\.label\.en: must be 1 to 20/],
    ['two topics with one id', { ...valid, topics: [topic('bus'), topic('bus')] }, /topics\.1\.id: duplicate topic id "bus"/],
    ['nine topics', { ...valid, topics: Array.from({ length: 9 }, (_, i) => topic(`t${i}`)) }, /topics: /],
    ['no topics', { ...valid, topics: [] }, /topics: /],
    ['an unknown field', { ...valid, colour: 'blue' }, /colour|unrecognized/i],
  ])('refuses a file with %s, naming the file and field', (_what, data, problem) => {
    const file = write('bad.json', data);
    expect(() => loadWelcome(file)).toThrow(problem);
    expect(() => loadWelcome(file)).toThrow(file);
  });

  it('counts a label in code points (a 20-letter Hangul label fits)', () => {
    const file = write('hangul.json', { ...valid, topics: [topic('long', { ko: '가'.repeat(20), en: 'Bus' })] });
    expect(loadWelcome(file)?.topics[0]?.label.ko).toHaveLength(20);
  });
});

describe('the welcome message', () => {
  it('offers each starter topic as a "choose intent" button in the language, English for languages it lacks', () => {
    for (const [language, labelsIn] of [['ko', 'ko'], ['vi', 'vi'], ['ja', 'en'], ['fr', 'en']] as const) {
      const draft = welcomeDraft(shipped, language);
      expect(draft.content.kind).toBe('text');
      if (draft.content.kind !== 'text') return;
      expect(draft.content.text).toBe(shipped.message[labelsIn]);
      expect(draft.content.quickReplies?.map((q) => q.label)).toEqual(shipped.topics.map((t) => t.label[labelsIn]));
      expect(draft.content.quickReplies?.map((q) => decodeButton(q.payload))).toEqual(shipped.topics.map((t) => ({ kind: 'intent', intent: t.intent })));
    }
  });
});

/** The welcome step in front of the stand-in answer, as the pipeline puts it before the bot's answers. */
function pipelineWith(welcome: () => WelcomeService): (ctx: Parameters<TurnStep>[0]) => Promise<void> {
  return composeSteps([
    async (ctx, next) => {
      ctx.nlu = { intent: ctx.text === 'hello' ? 'greeting' : 'out_of_scope', confidence: 1, top: [], model: 'test', crisis: false, abusive: false };
      await next();
    },
    (ctx, next) => welcome().step(ctx, next),
    async (ctx) => ctx.reply(`answer: ${ctx.text}`),
  ]);
}

describe('first-turn welcome on a messaging channel (in-memory channel)', () => {
  const harnesses: TurnHarness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.close()));
  });

  async function harness(store?: MemoryStore): Promise<TurnHarness> {
    // The service sends through the harness's delivery, which exists only once the harness does.
    const ref: { welcome?: WelcomeService } = {};
    const h = await startTurnHarness({ pipeline: pipelineWith(() => ref.welcome!), ...(store && { store }) });
    ref.welcome = new WelcomeService({ welcome: () => shipped, outbound: h.delivery, minIntentConfidence: 0.35 });
    harnesses.push(h);
    return h;
  }

  it('sends the welcome before the answer to the first message, and never again', async () => {
    const h = await harness();
    await h.channel.say('mina', '버스 언제 와요');
    const first = await h.channel.waitForSent('mina', 2);
    expect(first.map((m) => textOf(m.content))).toEqual([shipped.message.ko, 'answer: 버스 언제 와요']);
    await h.channel.say('mina', '고마워요');
    const all = await h.channel.waitForSent('mina', 3);
    expect(all.slice(2).map((m) => textOf(m.content))).toEqual(['answer: 고마워요']);
  });

  it('answers a first hello with the welcome alone', async () => {
    const h = await harness();
    await h.channel.say('jun', 'hello');
    await h.channel.say('jun', 'where is city hall');
    // Sent in order: had the hello been answered too, its answer would come second.
    const sent = await h.channel.waitForSent('jun', 2);
    expect(sent.map((m) => textOf(m.content))).toEqual([shipped.message.ko, 'answer: where is city hall']);
  });

  it('sends one welcome when two instances take the first two messages of a new conversation at once', async () => {
    const store = new MemoryStore();
    const [a, b] = [await harness(store), await harness(store)];
    const conversation = await a.inbound.openConversation({ channel: 'memory', externalUserId: 'duo' });
    // Each "instance" runs the turn of one message; both see a conversation nothing was sent in yet.
    const [one, two] = await Promise.all([a.channel.say('duo', '첫 번째', 'duo-1'), b.channel.say('duo', '두 번째', 'duo-2')]);
    await Promise.all([a.runner.waitForReplies(one.messageId, 5000), b.runner.waitForReplies(two.messageId, 5000)]);
    await expectTurnsHandled(store, conversation.id, 2);
    const bot = (await store.messages.listByConversation(conversation.id)).filter((m) => m.author === 'bot');
    expect(bot.filter((m) => textOf(m.content) === shipped.message.ko)).toHaveLength(1);
    expect(bot.map((m) => textOf(m.content)).filter((t) => t.startsWith('answer:')).sort()).toEqual(['answer: 두 번째', 'answer: 첫 번째']);
  });
});

async function expectTurnsHandled(store: MemoryStore, conversationId: string, n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const inbound = (await store.messages.listByConversation(conversationId)).filter((m) => m.direction === 'inbound');
    if (inbound.length === n && inbound.every((m) => m.handledAt)) return;
    if (Date.now() > deadline) throw new Error('turns not handled in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('welcome once per conversation on MongoDB (FerretDB), two instances racing', () => {
  let db: FerretDB;
  const stores: MongoStore[] = [];
  beforeAll(async () => {
    db = await startFerretDB({ dbName: 'welcome' });
  }, FERRETDB_START_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await db?.stop();
  });

  it('stores and hands to the outbox exactly one welcome however many greet at once', async () => {
    const logger = silentLogger();
    // Two instances: each its own connection, delivery and outbox, one database.
    const instances = await Promise.all(
      [1, 2].map(async () => {
        const store = await MongoStore.connect(db.uri);
        stores.push(store);
        const delivery = new Delivery({ store, bus: new InProcessEventBus(logger), channels: new ChannelDirectory(), worker: { kick: () => undefined } });
        return { store, welcome: new WelcomeService({ welcome: () => shipped, outbound: delivery, minIntentConfidence: 0.35 }) };
      }),
    );
    const store = instances[0]!.store;
    const resident = await store.residents.findOrCreateByIdentity({ channel: 'telegram', externalUserId: 'race-1' });
    const conversation: Conversation = await store.conversations.create({
      residentId: resident.id,
      channel: 'telegram',
      externalUserId: 'race-1',
      language: 'vi',
      state: 'bot',
      priority: 'normal',
    });
    await Promise.all(instances.flatMap(({ welcome }) => [welcome.greet(conversation), welcome.greet(conversation), welcome.greet(conversation)]));
    const messages: Message[] = await store.messages.listByConversation(conversation.id);
    expect(messages.map((m) => textOf(m.content))).toEqual([shipped.message.vi]);
    const queued = await store.outbox.listByStatus('pending', 100);
    expect(queued.filter((e) => e.conversationId === conversation.id)).toHaveLength(1);
  });
});

describe('welcome at the start of an app or web chat session', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => {
    await service.close();
  });

  it.each([
    ['ko-KR', 'ko'],
    ['en-US', 'en'],
    ['zh-CN', 'zh'],
    ['vi-VN', 'vi'],
    ['ja-JP', 'en'],
  ])('opens a %s session with the welcome and its topics in %s, stored once and read again after a reload', async (locale, lang) => {
    const app = new AppClient(service.url);
    await app.start({ deviceId: 'welcome-test', locale, client: 'webchat' });
    expect(app.opening.map((m) => [m.author, m.text])).toEqual([['bot', shipped.message[lang as 'ko']]]);
    expect(app.opening[0]!.quickReplies).toEqual(
      shipped.topics.map((t) => ({ label: t.label[lang as 'ko'], payload: `intent:${t.intent}` })),
    );
    // A reload of the web chat reads the conversation from its start again: the same single welcome.
    app.cursor = undefined;
    expect((await app.poll(0)).map((m) => m.id)).toEqual([app.opening[0]!.id]);
    // The first message is answered without a second welcome.
    await app.say(lang === 'ko' ? '여권 발급은 어디서 해요?' : 'Where do I get a passport?');
    const reply = await app.nextReply();
    expect(reply.text).not.toBe(app.opening[0]!.text);
    const stored = await service.store.messages.listByConversation(app.conversationId);
    expect(stored.filter((m) => textOf(m.content) === shipped.message[lang as 'ko'])).toHaveLength(1);
  });

  it('counts a typed topic label as the press: the label is not classified', async () => {
    const app = new AppClient(service.url);
    await app.start({ deviceId: 'welcome-test', locale: 'en-US' });
    await app.say('report road damage!');
    await app.nextReply();
    const conversation = await service.store.conversations.get(app.conversationId);
    expect(conversation?.flow).toMatchObject({ name: 'road_damage_report', step: 'location' });
    const [, typed] = await service.store.messages.listByConversation(app.conversationId);
    expect(typed?.content).toEqual({ kind: 'text', text: 'report road damage!' });
  });
});
