/**
 * Messenger end to end: signed webhook POSTs shaped like Meta's, and a fake Graph Send API that
 * enforces tokens, appsecret_proof, limits and the 24-hour / 7-day HUMAN_AGENT windows.
 */
import { textOf } from '../../src/core/message';
import type { Service } from '../../src/main';
import { FakeMessengerServer, messengerWebhooks } from '../../channels/messenger/fake-messenger-server';
import { startService } from '../support/service';
import {
  allSent,
  conversationOf,
  FAST_OUTBOX,
  longKoreanText,
  messagesOf,
  outboxOf,
  postRaw,
  waitUntil,
} from './channel-test-kit';

const PAGE_TOKEN = 'EAAGm0PX4ZCpsBAKtestpagetoken123';
const APP_SECRET = 'messenger-app-secret-0123456789';
const VERIFY_TOKEN = 'dajeong-verify-token';
const HOUR = 3_600_000;

describe('Messenger channel', () => {
  let fake: FakeMessengerServer;
  let service: Service;
  let psidSeq = 7_000_100;
  const newPsid = () => String(psidSeq++);

  beforeAll(async () => {
    fake = new FakeMessengerServer(PAGE_TOKEN, APP_SECRET);
    const base = await fake.start();
    service = await startService({
      MESSENGER_PAGE_TOKEN: PAGE_TOKEN,
      MESSENGER_APP_SECRET: APP_SECRET,
      MESSENGER_VERIFY_TOKEN: VERIFY_TOKEN,
      MESSENGER_API_BASE: base,
      ...FAST_OUTBOX,
    });
  });
  afterAll(async () => {
    await service?.close();
    await fake?.stop();
  });

  const post = (payload: unknown, signature?: string | null) => {
    const signed = fake.sign(payload);
    const header: Record<string, string> =
      signature === null ? {} : { 'x-hub-signature-256': signature ?? signed.signature };
    return postRaw(`${service.url}/webhooks/messenger`, signed.body, header);
  };

  /** Sends one resident message and waits for the bot's first reply. */
  async function residentSays(psid: string, text: string) {
    const before = fake.sent(psid).length;
    expect((await post(messengerWebhooks.text(psid, text))).status).toBe(200);
    fake.lastUserMessageAt.set(psid, new Date());
    return (await fake.waitForSent(psid, before + 1))[before]!;
  }

  it('answers the subscription check with the challenge, and refuses a wrong verify token', async () => {
    const ok = await fetch(
      `${service.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const bad = await fetch(
      `${service.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444`,
    );
    expect(bad.status).toBe(403);
  });

  it('answers a text message with a RESPONSE through the Send API', async () => {
    const psid = newPsid();
    const res = await post(messengerWebhooks.text(psid, '안녕하세요'));
    expect(res.status).toBe(200);
    expect(res.text).toBe('EVENT_RECEIVED');
    const [call] = await fake.waitForSent(psid);
    expect(call).toMatchObject({ recipient: { id: psid }, messaging_type: 'RESPONSE' });
    expect(call!.message.text!.length).toBeGreaterThan(0);
  });

  it('refuses bad, missing or mismatched signatures and stores nothing', async () => {
    const psid = newPsid();
    expect((await post(messengerWebhooks.text(psid, '안녕하세요'), 'sha256=deadbeef')).status).toBe(401);
    expect((await post(messengerWebhooks.text(psid, '안녕하세요'), null)).status).toBe(401);
    const other = fake.sign(messengerWebhooks.text(psid, '다른 본문'));
    expect((await post(messengerWebhooks.text(psid, '안녕하세요'), other.signature)).status).toBe(401);
    expect(await service.store.conversations.findOpen('messenger', psid)).toBeUndefined();
  });

  it('processes a redelivered event once and ignores echoes and delivery receipts', async () => {
    const psid = newPsid();
    const payload = messengerWebhooks.text(psid, '쓰레기 언제 버려요?', 'm_redelivered_1');
    expect((await post(payload)).status).toBe(200);
    expect((await post(payload)).status).toBe(200);
    expect((await post(messengerWebhooks.echo(psid, '봇이 보낸 메시지'))).status).toBe(200);
    expect((await post(messengerWebhooks.delivery(psid))).status).toBe(200);
    await residentSays(psid, '감사합니다');
    await fake.waitForSent(psid, 2);
    const conversation = await conversationOf(service, 'messenger', psid);
    const inbound = (await messagesOf(service, conversation.id)).filter((m) => m.direction === 'inbound');
    expect(inbound).toHaveLength(2);
    expect(inbound[0]!.channelMessageId).toBe('m_redelivered_1');
    const entries = await allSent(service, conversation.id);
    expect(fake.sent(psid)).toHaveLength(entries.length);
  });

  it('sends quick replies and reads quick-reply payloads, postbacks and images back', async () => {
    const psid = newPsid();
    // A new chat: the welcome's starter topics are quick replies too; then the answer (asking to rephrase).
    const welcome = await residentSays(psid, 'qwpoeiru zxcmvn');
    expect(welcome.message.quick_replies!.map((q) => q.payload)).toEqual([
      'intent:transport_schedule',
      'intent:road_damage_report',
      'intent:waste_collection',
      'intent:counselor_request',
    ]);
    await fake.waitForSent(psid, 2);
    const offer = await residentSays(psid, 'asdkfj qpwoei');
    const quick = offer.message.quick_replies!;
    expect(quick.map((q) => q.payload)).toContain('intent:counselor_request');
    for (const q of quick) expect(q.title.length).toBeLessThanOrEqual(20);
    await post(messengerWebhooks.image(psid, 'https://scontent.xx.fbcdn.net/v/t1.15752-9/pothole.jpg'));
    await post(messengerWebhooks.quickReply(psid, '상담사 연결', 'intent:counselor_request'));
    const conversation = await conversationOf(service, 'messenger', psid);
    await waitUntil(
      async () => (await service.store.conversations.get(conversation.id))?.state === 'queued',
      'the quick reply to queue the chat',
    );
    const inbound = (await messagesOf(service, conversation.id)).filter((m) => m.direction === 'inbound');
    expect(inbound[2]!.content.kind === 'image' && inbound[2]!.content.images).toEqual([
      { url: 'https://scontent.xx.fbcdn.net/v/t1.15752-9/pothole.jpg' },
    ]);
    expect(inbound[3]!.content).toEqual({ kind: 'button', text: '상담사 연결', payload: 'intent:counselor_request' });
    const p2 = newPsid();
    await post(messengerWebhooks.postback(p2, '시작하기', 'GET_STARTED'));
    const c2 = await conversationOf(service, 'messenger', p2);
    const [first] = await waitUntil(async () => {
      const inbound = (await messagesOf(service, c2.id)).filter((m) => m.direction === 'inbound');
      return inbound.length > 0 && inbound;
    }, 'the postback');
    expect(first!.content).toEqual({ kind: 'button', text: '시작하기', payload: 'GET_STARTED' });
  });

  it('retries a 5xx and a 429 from the Send API and delivers', async () => {
    const psid = newPsid();
    fake.failNext(2, psid);
    await residentSays(psid, '안녕하세요');
    const statuses = () =>
      fake.http.requests
        .filter((r) => (r.body as { recipient?: { id?: string } })?.recipient?.id === psid)
        .map((r) => r.reply?.status);
    expect(statuses()).toEqual([500, 500, 200]);
    fake.rateLimitNext(1, psid);
    await residentSays(psid, '감사합니다');
    const attempts = fake.http.requests
      .filter((r) => (r.body as { recipient?: { id?: string } })?.recipient?.id === psid)
      .slice(3);
    expect(attempts.map((r) => r.reply?.status)).toEqual([429, 200]);
    expect(attempts[1]!.at.getTime() - attempts[0]!.at.getTime()).toBeGreaterThanOrEqual(950);
  });

  it('splits an oversize reply into messages of at most 2000 characters and renders links as a button template', async () => {
    const psid = newPsid();
    await residentSays(psid, '안녕하세요');
    const conversation = await conversationOf(service, 'messenger', psid);
    const before = (await allSent(service, conversation.id)).length;
    const long = longKoreanText(4500);
    await service.outbound.send(conversation, [
      { author: 'counselor', authorId: 'c1', content: { kind: 'text', text: long } },
      {
        author: 'counselor',
        authorId: 'c1',
        content: {
          kind: 'text',
          text: '신청은 아래에서 하세요.',
          links: [{ title: '정부24 신청', url: 'https://www.gov.kr' }],
        },
      },
    ]);
    const sent = (await fake.waitForSent(psid, before + 4)).slice(before);
    const texts = sent.slice(0, 3).map((c) => c.message.text!);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(2000);
    expect(texts.join(' ').replace(/\s+/g, ' ')).toBe(long.replace(/\s+/g, ' '));
    expect(sent[3]!.message).toEqual({
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text: '신청은 아래에서 하세요.',
          buttons: [{ type: 'web_url', url: 'https://www.gov.kr', title: '정부24 신청' }],
        },
      },
    });
  });

  it('sends a counselor reply after 24 hours with MESSAGE_TAG HUMAN_AGENT', async () => {
    const psid = newPsid();
    await residentSays(psid, '상담사 연결해 주세요');
    const conversation = await conversationOf(service, 'messenger', psid);
    const wroteAt = new Date(Date.now() - 30 * HOUR);
    await service.store.conversations.update(conversation.id, { lastInboundAt: wroteAt });
    fake.lastUserMessageAt.set(psid, wroteAt);
    const text = '늦게 답변드려 죄송합니다. 문의하신 건은 처리되었습니다.';
    await service.outbound.send(conversation, [{ author: 'counselor', authorId: 'c1', content: { kind: 'text', text } }]);
    await fake.http.waitFor(
      (r) => r.reply?.status === 200 && (r.body as { message?: { text?: string } }).message?.text === text,
    );
    expect(fake.sent(psid).find((c) => c.message.text === text)).toMatchObject({
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: '늦게 답변드려 죄송합니다. 문의하신 건은 처리되었습니다.' },
    });
  });

  it('keeps a reply beyond the window as failed and tells counselors in the conversation', async () => {
    const psid = newPsid();
    await residentSays(psid, '안녕하세요');
    const conversation = await conversationOf(service, 'messenger', psid);
    const wroteAt = new Date(Date.now() - 8 * 24 * HOUR);
    await service.store.conversations.update(conversation.id, { lastInboundAt: wroteAt });
    fake.lastUserMessageAt.set(psid, wroteAt);
    const [reply] = await service.outbound.send(conversation, [
      { author: 'counselor', authorId: 'c1', content: { kind: 'text', text: '답변이 늦었습니다.' } },
    ]);
    const entry = await waitUntil(
      async () =>
        (await outboxOf(service, conversation.id)).find(
          (e) => e.messageId === reply!.id && e.status === 'failed',
        ),
      'the reply to be kept as failed',
    );
    expect(entry.lastError).toMatch(/reply window closed/);
    expect(entry.attempts).toBe(1);
    const note = (await messagesOf(service, conversation.id)).find(
      (m) => m.flags?.internal && m.author === 'system',
    );
    expect((note && textOf(note.content))).toContain('reply_window_closed');
    expect(fake.sent(psid).some((c) => c.message.text === '답변이 늦었습니다.')).toBe(false);
    expect(await service.store.messages.get(reply!.id)).toBeDefined();
  });

  it('treats Meta’s own “outside of allowed window” answer the same way', async () => {
    const psid = newPsid();
    await residentSays(psid, '안녕하세요');
    const conversation = await conversationOf(service, 'messenger', psid);
    // Our record says 23 h, Meta counts 26 h (its clock or records differ): Meta's answer wins.
    await service.store.conversations.update(conversation.id, {
      lastInboundAt: new Date(Date.now() - 23 * HOUR),
    });
    fake.lastUserMessageAt.set(psid, new Date(Date.now() - 26 * HOUR));
    const [reply] = await service.outbound.send(conversation, [
      { author: 'counselor', authorId: 'c1', content: { kind: 'text', text: '추가 안내입니다.' } },
    ]);
    const entry = await waitUntil(
      async () =>
        (await outboxOf(service, conversation.id)).find(
          (e) => e.messageId === reply!.id && e.status === 'failed',
        ),
      'the reply to fail',
    );
    expect(entry.lastError).toMatch(/reply window closed/);
    expect((await messagesOf(service, conversation.id)).some((m) => m.flags?.internal)).toBe(true);
  });
});

describe('Messenger configuration', () => {
  it('refuses to start with only some credentials', async () => {
    await expect(startService({ MESSENGER_PAGE_TOKEN: PAGE_TOKEN })).rejects.toThrow(
      /MESSENGER_APP_SECRET, MESSENGER_VERIFY_TOKEN/,
    );
  });
});
