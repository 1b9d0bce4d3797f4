/**
 * KakaoTalk skill server end to end: skill requests shaped like Kakao i Open Builder's, answers
 * checked against Kakao's format rules, and a fake callback endpoint (single use, one minute).
 */
import type { Service } from '../../src/main';
import {
  FakeKakaoServer,
  kakaoSkillRequest,
  skillResponseProblems,
} from '../../channels/kakao/fake-kakao-server';
import { KAKAO_CHECK_PAYLOAD } from '../../channels/kakao/kakao-render';
import type { NewMessage } from '../../src/core/store-port';
import { MemoryStore } from '../../src/store/memory-store';
import { startService } from '../support/service';
import { conversationOf, longKoreanText, messagesOf, postRaw, waitUntil } from './channel-test-kit';

const SECRET = 'kakao-skill-secret-0123456789abcdef';

interface SkillAnswer {
  version: string;
  useCallback?: boolean;
  data?: { text: string };
  template?: {
    outputs: Record<string, { text?: string; items?: { title: string; link: { web: string } }[] }>[];
    quickReplies?: { label: string; action: string; messageText: string; extra?: { payload: string } }[];
  };
}

/** Texts of the simpleText outputs of an answer. */
const texts = (a: SkillAnswer) =>
  (a.template?.outputs ?? []).map((o) => o.simpleText?.text).filter((t): t is string => !!t);

describe('KakaoTalk channel', () => {
  let fake: FakeKakaoServer;
  let service: Service;
  let store: MemoryStore;
  /** While set, storing a bot reply takes this long: the bot's answer is slow. */
  let botDelayMs = 0;
  let userSeq = 1;
  const newUser = () => `b3f1c0de${String(userSeq++).padStart(4, '0')}a1b2c3d4e5f6`;

  beforeAll(async () => {
    fake = new FakeKakaoServer();
    await fake.start();
    store = new MemoryStore();
    const append = store.messages.append.bind(store.messages);
    store.messages.append = async (input: NewMessage) => {
      if (botDelayMs && input.direction === 'outbound' && input.author === 'bot')
        await new Promise((r) => setTimeout(r, botDelayMs));
      return append(input);
    };
    service = await startService(
      {
        KAKAO_SKILL_SECRET: SECRET,
        KAKAO_REPLY_WAIT_MS: '400',
        KAKAO_CALLBACK_WAIT_MS: '20000',
        // The fake callback endpoint stands in for bot-api.kakao.com.
        KAKAO_CALLBACK_HOSTS: new URL(fake.http.url).host,
      },
      store,
    );
  });
  afterEach(() => {
    botDelayMs = 0;
  });
  afterAll(async () => {
    await service?.close();
    await fake?.stop();
  });

  async function skill(body: unknown, secret = SECRET): Promise<{ status: number; answer: SkillAnswer }> {
    const res = await postRaw(`${service.url}/webhooks/kakao/${secret}`, JSON.stringify(body));
    if (res.status === 200) expect(skillResponseProblems(res.json)).toEqual([]);
    return { status: res.status, answer: res.json as SkillAnswer };
  }
  const say = (
    userId: string,
    utterance: string,
    extra: { callbackUrl?: string; clientExtra?: Record<string, unknown>; lang?: string } = {},
  ) => skill(kakaoSkillRequest({ userId, utterance, ...extra }));

  it('answers in the same HTTP response with a valid skill response', async () => {
    const user = newUser();
    const { status, answer } = await say(user, '안녕하세요');
    expect(status).toBe(200);
    expect(answer.version).toBe('2.0');
    expect(texts(answer)[0]!.length).toBeGreaterThan(0);
    const conversation = await conversationOf(service, 'kakao', user);
    const inbound = (await messagesOf(service, conversation.id)).filter((m) => m.direction === 'inbound');
    expect(inbound.map((m) => m.content.text)).toEqual(['안녕하세요']);
  });

  it('refuses a wrong secret path and a malformed request', async () => {
    const user = newUser();
    const wrong = await skill(
      kakaoSkillRequest({ userId: user, utterance: '안녕하세요' }),
      'not-the-secret-value-000',
    );
    expect(wrong.status).toBe(404);
    const bad = await postRaw(
      `${service.url}/webhooks/kakao/${SECRET}`,
      JSON.stringify({ userRequest: { utterance: 'x' } }),
    );
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('validation');
    expect(await service.store.conversations.findOpen('kakao', user)).toBeUndefined();
  });

  it('goes through the callback URL when the answer is slow', async () => {
    const user = newUser();
    const callbackUrl = fake.newCallbackUrl();
    botDelayMs = 1500;
    const { answer } = await say(user, '쓰레기 언제 버려요?', { callbackUrl });
    expect(answer).toMatchObject({ version: '2.0', useCallback: true });
    expect(answer.data?.text).toBeTruthy();
    const posted = (await fake.waitForCallback(callbackUrl)) as SkillAnswer;
    expect(skillResponseProblems(posted)).toEqual([]);
    const conversation = await conversationOf(service, 'kakao', user);
    const botReplies = (await messagesOf(service, conversation.id)).filter((m) => m.author === 'bot');
    expect(texts(posted)[0]).toBe(botReplies[0]!.content.text);
    // Shown once: the next answer does not repeat it.
    botDelayMs = 0;
    const next = await say(user, '감사합니다');
    expect(texts(next.answer)).not.toContain(botReplies[0]!.content.text);
  });

  it('answers inline even with a callback URL when the answer is quick', async () => {
    const user = newUser();
    const callbackUrl = fake.newCallbackUrl();
    const { answer } = await say(user, '안녕하세요', { callbackUrl });
    expect(answer.useCallback).toBeUndefined();
    expect(texts(answer).length).toBeGreaterThan(0);
    expect(fake.accepted(callbackUrl)).toEqual([]);
  });

  it('retries a callback answered with 429 or 5xx until it is accepted', async () => {
    const user = newUser();
    const callbackUrl = fake.newCallbackUrl();
    fake.failNext(callbackUrl, 429);
    fake.failNext(callbackUrl, 502);
    botDelayMs = 1000;
    await say(user, '여권 발급 어디서 해요?', { callbackUrl });
    await fake.waitForCallback(callbackUrl);
    const path = new URL(callbackUrl).pathname;
    expect(fake.http.requests.filter((r) => r.path === path).map((r) => r.reply?.status)).toEqual([429, 502, 200]);
  });

  it('processes a retried request once', async () => {
    const user = newUser();
    const withCallback = kakaoSkillRequest({
      userId: user,
      utterance: '수도 요금 문의',
      callbackUrl: fake.newCallbackUrl(),
    });
    await skill(withCallback);
    const again = await skill(withCallback);
    expect(again.status).toBe(200);
    const plain = kakaoSkillRequest({ userId: user, utterance: '감사합니다' });
    await skill(plain);
    await skill(plain);
    const conversation = await conversationOf(service, 'kakao', user);
    const inbound = (await messagesOf(service, conversation.id)).filter((m) => m.direction === 'inbound');
    expect(inbound.map((m) => m.content.text)).toEqual(['수도 요금 문의', '감사합니다']);
  });

  it('without a callback URL says the answer is coming, and shows it on "check replies"', async () => {
    const user = newUser();
    botDelayMs = 1200;
    const first = await say(user, '쓰레기 언제 버려요?');
    const check = first.answer.template!.quickReplies!.find((q) => q.extra?.payload === KAKAO_CHECK_PAYLOAD);
    expect(check).toBeDefined();
    expect(check!.label.length).toBeLessThanOrEqual(14);
    const conversation = await conversationOf(service, 'kakao', user);
    const reply = await waitUntil(
      async () => (await messagesOf(service, conversation.id)).find((m) => m.author === 'bot'),
      'the slow bot reply',
    );
    const pressed = await say(user, check!.messageText, { clientExtra: { payload: KAKAO_CHECK_PAYLOAD } });
    expect(texts(pressed.answer)).toContain(reply.content.text);
    // The press is a UI action, not a resident message.
    expect(
      (await messagesOf(service, conversation.id)).filter((m) => m.direction === 'inbound'),
    ).toHaveLength(1);
  });

  it('sends quick replies with short labels, the full text as messageText and the payload in extra', async () => {
    const user = newUser();
    await say(user, 'qwpoeiru zxcmvn');
    const { answer } = await say(user, 'asdkfj qpwoei');
    const counselor = answer.template!.quickReplies!.find(
      (q) => q.extra?.payload === 'intent:counselor_request',
    );
    expect(counselor).toBeDefined();
    await say(user, counselor!.messageText, { clientExtra: counselor!.extra });
    const conversation = await conversationOf(service, 'kakao', user);
    expect(await service.store.conversations.get(conversation.id)).toMatchObject({
      state: 'queued',
      priority: 'bot_failure',
    });
  });

  it('delivers a counselor reply with the answer to the resident’s next message', async () => {
    const user = newUser();
    const queued = await say(user, '상담사 연결해 주세요');
    expect(texts(queued.answer).join(' ')).toContain('상담사');
    const conversation = await waitUntil(async () => {
      const c = await service.store.conversations.findOpen('kakao', user);
      return c?.state === 'queued' && c;
    }, 'the chat to be queued');
    await service.gateway.send(conversation, [
      {
        author: 'counselor',
        authorId: 'c1',
        content: { text: '상담사 이다정입니다. 어떤 일로 연락 주셨나요?' },
      },
    ]);
    const next = await say(user, '네 안녕하세요');
    expect(texts(next.answer)).toContain('상담사 이다정입니다. 어떤 일로 연락 주셨나요?');
    // ... and only once.
    const again = await say(user, '버스 노선 문의요');
    expect(texts(again.answer)).not.toContain('상담사 이다정입니다. 어떤 일로 연락 주셨나요?');
  });

  it('still delivers a counselor’s last reply after the conversation was closed', async () => {
    const user = newUser();
    await say(user, '안녕하세요');
    const conversation = await conversationOf(service, 'kakao', user);
    await service.gateway.send(conversation, [
      { author: 'counselor', authorId: 'c1', content: { text: '처리 완료되었습니다. 좋은 하루 보내세요.' } },
    ]);
    await service.store.conversations.update(conversation.id, { state: 'closed', closedAt: new Date() });
    const next = await say(user, '감사합니다');
    expect(texts(next.answer)).toContain('처리 완료되었습니다. 좋은 하루 보내세요.');
  });

  it('splits long text into up to three 1000-character outputs, truncates beyond, and pages the rest', async () => {
    const user = newUser();
    await say(user, '안녕하세요');
    const conversation = await conversationOf(service, 'kakao', user);
    const medium = longKoreanText(2500);
    const huge = longKoreanText(4200);
    await service.gateway.send(conversation, [
      { author: 'counselor', authorId: 'c1', content: { text: medium } },
      {
        author: 'counselor',
        authorId: 'c1',
        content: { text: huge, links: [{ title: '경기도청', url: 'https://www.gg.go.kr' }] },
      },
    ]);
    const check = (a: SkillAnswer) =>
      a.template!.quickReplies!.find((q) => q.extra?.payload === KAKAO_CHECK_PAYLOAD)!;
    const first = await say(user, '확인', { clientExtra: { payload: KAKAO_CHECK_PAYLOAD } });
    const firstTexts = texts(first.answer);
    expect(firstTexts).toHaveLength(3);
    for (const t of firstTexts) expect(t.length).toBeLessThanOrEqual(1000);
    expect(firstTexts.join(' ').replace(/\s+/g, ' ')).toBe(medium.replace(/\s+/g, ' '));
    const second = await say(user, check(first.answer).messageText, {
      clientExtra: { payload: KAKAO_CHECK_PAYLOAD },
    });
    const outputs = second.answer.template!.outputs;
    expect(outputs).toHaveLength(3);
    const secondTexts = texts(second.answer);
    expect(secondTexts[secondTexts.length - 1]!.endsWith('…')).toBe(true);
    expect(
      huge.replace(/\s+/g, ' ').startsWith(secondTexts.join(' ').replace(/\s*…$/, '').replace(/\s+/g, ' ')),
    ).toBe(true);
  });
});

describe('KakaoTalk IP allow-list', () => {
  it('refuses callers outside KAKAO_ALLOWED_IPS and accepts listed ones', async () => {
    const closed = await startService({ KAKAO_SKILL_SECRET: SECRET, KAKAO_ALLOWED_IPS: '203.0.113.0/24' });
    const open = await startService({
      KAKAO_SKILL_SECRET: SECRET,
      KAKAO_ALLOWED_IPS: '203.0.113.0/24, 127.0.0.1',
    });
    try {
      const body = JSON.stringify(kakaoSkillRequest({ userId: 'ip-test-user', utterance: '안녕하세요' }));
      expect((await postRaw(`${closed.url}/webhooks/kakao/${SECRET}`, body)).status).toBe(403);
      expect((await postRaw(`${open.url}/webhooks/kakao/${SECRET}`, body)).status).toBe(200);
    } finally {
      await closed.close();
      await open.close();
    }
  });

  it('refuses to start with an unreadable allow-list entry', async () => {
    await expect(
      startService({ KAKAO_SKILL_SECRET: SECRET, KAKAO_ALLOWED_IPS: 'kakao.com' }),
    ).rejects.toThrow(/KAKAO_ALLOWED_IPS/);
  });
});
