/**
 * Crisis in context, as residents see it: the whole service on the app API with the real encoder
 * and a MongoDB store (embedded FerretDB). Impatience in the queue and a thank-you as the survey
 * comment are everyday talk; a crisis is a crisis wherever it is said; neutral messages posted
 * back to back by several residents are none of them a crisis (issue 14).
 */
import type { Service } from '../../src/main';
import { createStaff, eventually, type ConsoleClient } from '../console/console-client';
import { FERRETDB_START_TIMEOUT_MS, startFerretDB, type FerretDB } from '../support/ferretdb';
import { AppClient, startService, type AppMessage } from '../support/service';
import { ensureModel, MODEL_DIR } from './model-fixture';

jest.setTimeout(600_000);

const ADMIN = { login: 'admin', password: 'admin-password-1' };
const CRISIS_LINE = /109/;

/** A resident on the app API who keeps everything received. */
class Resident {
  readonly received: AppMessage[] = [];
  constructor(readonly app: AppClient) {}

  static async start(service: Service, deviceId: string, locale = 'ko-KR'): Promise<Resident> {
    const app = new AppClient(service.url);
    await app.start({ deviceId, locale });
    return new Resident(app);
  }

  /** Sends a message and waits until its bot turn has finished. */
  async say(service: Service, text: string, extra: Record<string, unknown> = {}): Promise<void> {
    const { messageId } = await this.app.say(text, extra);
    await eventually(async () => (await service.store.messages.get(messageId))?.handledAt, 60_000, `turn of "${text}"`);
    this.received.push(...(await this.app.poll(0)).filter((m) => m.author !== 'resident'));
  }

  async waitFor(match: (m: AppMessage) => boolean, what: string): Promise<AppMessage> {
    return eventually(async () => {
      const found = this.received.find(match);
      if (found) return found;
      this.received.push(...(await this.app.poll(1)).filter((m) => m.author !== 'resident'));
      return this.received.find(match);
    }, 20_000, what);
  }

  crisisTextSeen(): boolean {
    return this.received.some((m) => CRISIS_LINE.test(m.text ?? ''));
  }
}

describe('crisis decided in context (transformer, MongoDB)', () => {
  let db: FerretDB;
  let service: Service;
  let kim: ConsoleClient;

  beforeAll(async () => {
    ensureModel();
    db = await startFerretDB();
    service = await startService({
      NLU_MODE: 'auto',
      MODEL_DIR,
      MONGODB_URI: db.uri,
      ROUTING: 'manual',
      ADMIN_LOGIN: ADMIN.login,
      ADMIN_PASSWORD: ADMIN.password,
      LOGIN_RATE_LIMIT: '1000',
      QUEUE_NOTICE_SECONDS: '0',
      HANDOFF_TICK_MS: '200',
    });
    await service.nlu.start({ modelDir: MODEL_DIR });
    expect(service.nlu.status().mode).toBe('transformer');
    ({ kim } = (await createStaff(service.url, ADMIN, [{ login: 'kim', role: 'counselor', languages: ['ko', 'en'] }])) as {
      kim: ConsoleClient;
    });
  }, FERRETDB_START_TIMEOUT_MS);
  afterAll(async () => {
    await service?.close();
    await db?.stop();
  });

  const conversation = (r: Resident) => service.store.conversations.get(r.app.conversationId);

  it('reads impatience in the queue as everyday talk, and a crisis in the queue as a crisis', async () => {
    const resident = await Resident.start(service, 'queue-ko');
    await resident.say(service, '상담사 연결해 주세요');
    expect(await conversation(resident)).toMatchObject({ state: 'queued', priority: 'request' });
    for (const text of ['너무 오래 기다렸어요', '아직 멀었나요? 급해요', '기다리다 지쳐 죽겠네요', 'I am so tired of waiting']) {
      await resident.say(service, text);
      expect([text, (await conversation(resident))?.priority]).toEqual([text, 'request']);
    }
    expect(resident.crisisTextSeen()).toBe(false);

    await resident.say(service, '기다리다 지쳤어요 그냥 다 끝내고 싶어요 살기 싫어요');
    expect(await conversation(resident)).toMatchObject({ state: 'queued', priority: 'crisis' });
    expect(resident.crisisTextSeen()).toBe(true);
  });

  it('stores a thank-you after the survey ratings as the comment instead of starting the crisis protocol', async () => {
    const resident = await Resident.start(service, 'survey-ko');
    await resident.say(service, '상담원이랑 얘기하고 싶어요');
    const id = resident.app.conversationId;
    expect((await kim.post(`/conversations/${id}/accept`)).status).toBe(200);
    await kim.post(`/conversations/${id}/messages`, { text: '안녕하세요, 무엇을 도와드릴까요?' });
    await resident.waitFor((m) => m.author === 'counselor', 'counselor reply');
    expect((await kim.post(`/conversations/${id}/close`, { resolution: 'answered', confirm: true })).status).toBe(200);
    for (const dimension of ['kindness', 'professionalism', 'promptness']) {
      const question = await resident.waitFor(
        (m) => Boolean(m.quickReplies?.some((q) => q.payload.includes(`:${dimension}:`))),
        `${dimension} question`,
      );
      const five = question.quickReplies!.find((q) => q.payload.endsWith(':5'))!;
      await resident.say(service, five.label, { payload: five.payload });
    }
    await resident.waitFor((m) => Boolean(m.quickReplies?.some((q) => q.payload.endsWith(':comment:skip'))), 'comment prompt');
    await resident.say(service, '상담사님 그동안 여러 번 도와주셔서 정말 고마웠어요 잘 지내세요');
    await resident.waitFor((m) => /소중한 의견 감사합니다/.test(m.text ?? ''), 'comment thanks');
    expect(resident.crisisTextSeen()).toBe(false);
    const externalUserId = (await conversation(resident))!.externalUserId;
    expect(await service.store.conversations.findOpen('app', externalUserId)).toBeUndefined();
  });

  it('escalates none of several residents posting neutral messages back to back', async () => {
    const residents = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => Resident.start(service, `durability-${i}`)));
    // Everyone at once (the encoder batches them), then one resident several times quickly.
    await Promise.all(residents.map((r, i) => r.say(service, `내구성 확인 메시지 ${i + 1}`)));
    const quick = residents[0]!;
    const sent = await Promise.all([7, 8, 9, 10, 11].map((n) => quick.app.say(`내구성 확인 메시지 ${n}`)));
    for (const { messageId } of sent)
      await eventually(async () => (await service.store.messages.get(messageId))?.handledAt, 60_000, 'turn handled');
    for (const r of residents) {
      r.received.push(...(await r.app.poll(0)).filter((m) => m.author !== 'resident'));
      expect(r.crisisTextSeen()).toBe(false);
      expect((await conversation(r))?.priority).not.toBe('crisis');
    }
  });
});
