import type { Service } from '../../src/main';
import { eventually } from '../console/console-client';
import { AppClient, startService } from '../support/service';

describe('escalation policy', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => {
    await service.close();
  });

  it('queues the conversation when the resident asks for a counselor, and says what happens next', async () => {
    const app = new AppClient(service.url);
    await app.start();
    await app.say('상담사 연결해 주세요');
    const reply = await app.nextReply();
    expect(reply.text).toContain('상담사');
    const c = await service.store.conversations.get(app.conversationId);
    expect(c).toMatchObject({ state: 'queued', priority: 'request', handoffSeq: 1 });
  });

  it('queues a crisis at the highest priority with the crisis lines, in the resident’s language', async () => {
    const ko = new AppClient(service.url);
    await ko.start();
    await ko.say('요즘 너무 힘들어서 그냥 사라지고 싶어요');
    const koReply = await ko.nextReply();
    expect(koReply.text).toContain('109');
    expect(koReply.text).toContain('1577-0199');
    expect(await service.store.conversations.get(ko.conversationId)).toMatchObject({ state: 'queued', priority: 'crisis' });

    const en = new AppClient(service.url);
    await en.start({ deviceId: 'd2', locale: 'en-US' });
    await en.say("I don't want to live anymore");
    const enReply = await en.nextReply();
    expect(enReply.text).toMatch(/counselor/);
    expect(enReply.text).toContain('109');
    expect(await service.store.conversations.get(en.conversationId)).toMatchObject({ state: 'queued', priority: 'crisis' });
  });

  it('raises a queued request to crisis priority and keeps the bot silent otherwise while queued', async () => {
    const app = new AppClient(service.url);
    await app.start();
    await app.say('상담원이랑 얘기하고 싶어요');
    await app.nextReply();
    const { messageId } = await app.say('쓰레기 언제 버려요?');
    // Wait for the turn to finish (the message is marked handled after its replies are stored).
    await eventually(async () => (await service.store.messages.get(messageId))?.handledAt, 10_000, 'turn handled');
    expect((await app.poll(0)).filter((m) => m.author !== 'resident')).toEqual([]);
    await app.say('다 끝내버리고 싶어요 정말');
    const reply = await app.nextReply();
    expect(reply.text).toContain('109');
    expect(await service.store.conversations.get(app.conversationId)).toMatchObject({ state: 'queued', priority: 'crisis' });
  });

  it('asks to rephrase when unsure and offers a counselor after two misses', async () => {
    const app = new AppClient(service.url);
    await app.start();
    await app.say('qwpoeiru zxcmvn');
    const first = await app.nextReply();
    expect(first.quickReplies).toBeUndefined();
    await app.say('asdkfj qpwoei');
    const second = await app.nextReply();
    expect(second.quickReplies?.map((q) => q.payload)).toContain('intent:counselor_request');
    const button = second.quickReplies!.find((q) => q.payload === 'intent:counselor_request')!;
    await app.say(button.label, { payload: button.payload });
    await app.nextReply();
    expect(await service.store.conversations.get(app.conversationId)).toMatchObject({ state: 'queued', priority: 'bot_failure' });
  });

  it('greets and answers in English for an English-speaking resident', async () => {
    const app = new AppClient(service.url);
    await app.start({ deviceId: 'd3', locale: 'en' });
    await app.say('Hello there!');
    const reply = await app.nextReply();
    expect(reply.text).toMatch(/[A-Za-z]/);
    expect(reply.text).not.toMatch(/[가-힣]/);
  });
});
