/**
 * What a queued resident writes is acknowledged with the position and the wait outlook, at most
 * once every QUEUE_ACK_SECONDS per conversation (issue 14 "Flows and the queue"): on one instance,
 * after the interval again, across two instances sharing FerretDB (one acknowledgement for two
 * messages handled at the same moment on different instances), and a crisis while queued always
 * gets the crisis lines at once.
 */
import type { Service } from '../../src/main';
import { FERRETDB_START_TIMEOUT_MS, startFerretDB, type FerretDB } from '../support/ferretdb';
import { AppClient, startService, type AppMessage } from '../support/service';
import { eventually } from '../console/console-client';

const CRISIS_LINE = /109/;

/** A resident on the app API who waits for each turn to finish before reading what came back. */
class Resident {
  readonly received: AppMessage[] = [];
  constructor(readonly app: AppClient) {}

  static async start(service: Service, locale: string): Promise<Resident> {
    const app = new AppClient(service.url);
    await app.start({ deviceId: `ack-${Math.random()}`, locale });
    return new Resident(app);
  }

  /** Sends a message (to `via`, another instance, when given) and returns what its turn sent back. */
  async say(service: Service, text: string, via: Service = service): Promise<AppMessage[]> {
    const client = via === service ? this.app : Object.assign(new AppClient(via.url), { token: this.app.token });
    const { messageId } = await client.say(text);
    await eventually(async () => (await service.store.messages.get(messageId))?.handledAt, 60_000, `turn of "${text}"`);
    const replies = (await this.app.poll(0)).filter((m) => m.author !== 'resident');
    this.received.push(...replies);
    return replies;
  }
}

const ACK_KO = /메시지를 받았어요.*\d+번째/s;
const ACK_EN = /I have your message.*number \d+ in the queue/s;

describe('acknowledging a queued resident (one instance, memory store)', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', HANDOFF_TICK_MS: '200' });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('acknowledges the first message with the position, says nothing new inside 30 s, and keeps every message', async () => {
    const resident = await Resident.start(service, 'ko-KR');
    await resident.say(service, '상담사 연결해 주세요');
    expect(await service.store.conversations.get(resident.app.conversationId)).toMatchObject({ state: 'queued' });

    const ack = await resident.say(service, '아직 연결 안 됐나요?');
    expect(ack.map((m) => m.text).join('\n')).toMatch(ACK_KO);
    // Nobody can serve the resident now: the keep-waiting / leave-a-message choice comes with it.
    expect(ack.flatMap((m) => m.quickReplies ?? []).map((q) => q.label)).toEqual(['계속 기다릴게요', '메시지 남기기']);

    expect(await resident.say(service, '주소는 수원시 팔달구예요')).toEqual([]);
    const stored = await service.store.messages.listByConversation(resident.app.conversationId);
    expect(stored.filter((m) => m.direction === 'inbound').map((m) => (m.content.kind === 'text' ? m.content.text : ''))).toContain('주소는 수원시 팔달구예요');
  });

  it('answers in the resident’s language (en)', async () => {
    const resident = await Resident.start(service, 'en-US');
    await resident.say(service, 'I want to talk to a counselor');
    const ack = await resident.say(service, 'Can I talk to a real person in English please?');
    expect(ack.map((m) => m.text).join('\n')).toMatch(ACK_EN);
    expect((await service.store.conversations.get(resident.app.conversationId))?.language).toBe('en');
  });

  it('sends the crisis lines at once to a crisis message right after an acknowledgement', async () => {
    const resident = await Resident.start(service, 'ko-KR');
    await resident.say(service, '상담사 연결해 주세요');
    expect((await resident.say(service, '언제쯤 연결돼요?')).map((m) => m.text).join('\n')).toMatch(ACK_KO);
    const crisis = await resident.say(service, '사실 오늘 밤에 죽으려고 약을 모아 뒀어요');
    expect(crisis.map((m) => m.text).join('\n')).toMatch(CRISIS_LINE);
    expect(crisis.map((m) => m.text).join('\n')).not.toMatch(/메시지를 받았어요/);
    expect(await service.store.conversations.get(resident.app.conversationId)).toMatchObject({ state: 'queued', priority: 'crisis' });
  });
});

describe('acknowledging again after the interval', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', QUEUE_ACK_SECONDS: '1' });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('acknowledges a message written after the interval has passed', async () => {
    const resident = await Resident.start(service, 'en-US');
    await resident.say(service, 'I want to talk to a counselor');
    const first = await resident.say(service, 'Hello? Is anyone there?');
    expect(first.map((m) => m.text).join('\n')).toMatch(ACK_EN);
    await new Promise((r) => setTimeout(r, 1100));
    const second = await resident.say(service, 'Still waiting here');
    expect(second.map((m) => m.text).join('\n')).toMatch(ACK_EN);
  });
});

describe('acknowledging across two instances sharing FerretDB', () => {
  let db: FerretDB;
  let a: Service;
  let b: Service;
  beforeAll(async () => {
    db = await startFerretDB();
    const env = { MONGODB_URI: db.uri, ROUTING: 'manual', HANDOFF_TICK_MS: '200' };
    a = await startService(env);
    b = await startService(env);
  }, FERRETDB_START_TIMEOUT_MS);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.stop();
  });

  it('sends one acknowledgement for two messages handled at the same moment on different instances', async () => {
    for (const round of [1, 2, 3]) {
      const resident = await Resident.start(a, 'en-US');
      await resident.say(a, 'I want to talk to a counselor');
      await Promise.all([resident.say(a, `message ${round} to the first instance`), resident.say(a, `message ${round} to the second instance`, b)]);
      // The two concurrent reads may both return one reply: count stored replies by id.
      const replies = [...resident.received, ...(await resident.app.poll(0))];
      const acks = new Set(replies.filter((m) => ACK_EN.test(m.text ?? '')).map((m) => m.id));
      expect([round, acks.size]).toEqual([round, 1]);
    }
  });
});
