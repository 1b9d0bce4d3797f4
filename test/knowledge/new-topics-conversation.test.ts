/**
 * Conversations on the topics the data gained (issues 14 and 18), through the app API: questions
 * about the 120 center itself are answered (not handed to a counselor), a deaf resident is told
 * about text chat and the 107 relay service, a resident's own parking fine does not start an
 * illegal-parking report, and a broken streetlight starts the facility-fault flow, in ko/en/zh/vi.
 */
import type { Service } from '../../src/main';
import { startService } from '../support/service';
import { Resident, textOf } from './kb-test-kit';

// Building the FAQ index takes a while on a busy machine; the turns themselves are quick.
const START_TIMEOUT_MS = 180_000;

describe('new topics in conversation (app API)', () => {
  let service: Service;

  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual' });
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await service.close();
  });

  const conversation = (resident: Resident) => service.store.conversations.get(resident.conversationId);

  it('answers the center’s hours in Korean without queueing, then queues the chat when asked for a person', async () => {
    const resident = await new Resident(service).start('ko-KR');
    const replies = await resident.say('경기도 콜센터는 새벽에도 상담해 주나요?');
    expect(textOf(replies)).toMatch(/24시간/);
    expect((await conversation(resident))?.state).toBe('bot');

    const connect = await resident.say('그럼 상담사랑 직접 이야기하고 싶어요');
    expect(textOf(connect)).toMatch(/상담사/);
    expect((await conversation(resident))?.state).toBe('queued');
  });

  it('answers the center’s hours in Chinese', async () => {
    const resident = await new Resident(service).start('zh-CN');
    const replies = await resident.say('京畿道120呼叫中心晚上几点关门？');
    expect(textOf(replies)).toMatch(/24小时/);
    expect((await conversation(resident))?.state).toBe('bot');
  });

  it('tells a deaf resident about text chat and the 107 relay service', async () => {
    const resident = await new Resident(service).start('en-US');
    const replies = await resident.say('I am deaf and cannot make phone calls. Is there sign language help?');
    expect(textOf(replies)).toMatch(/107/);
    expect(textOf(replies)).toMatch(/chat/i);
  });

  it('answers a Korean question about sign-language counselling with the relay service', async () => {
    const resident = await new Resident(service).start('ko-KR');
    const replies = await resident.say('귀가 안 들려서 수어로 상담받고 싶은데 방법이 있나요?');
    expect(textOf(replies)).toMatch(/손말이음센터/);
    expect(textOf(replies)).toMatch(/107/);
  });

  it('explains how to object to one’s own parking fine instead of starting an illegal-parking report', async () => {
    const resident = await new Resident(service).start('ko-KR');
    const replies = await resident.say('주차위반 과태료가 억울해서 이의를 제기하고 싶어요');
    expect((await conversation(resident))?.flow).toBeUndefined();
    expect(textOf(replies)).toMatch(/60일/);
  });

  it('tells a Vietnamese resident where to pay a parking fine', async () => {
    const resident = await new Resident(service).start('vi-VN');
    const replies = await resident.say('Tôi bị phạt đỗ xe, nộp tiền phạt ở đâu?');
    expect((await conversation(resident))?.flow).toBeUndefined();
    expect(textOf(replies)).toMatch(/wetax\.go\.kr/);
  });

  // A guard more than a bug test: the data before this change already routed these wordings right.
  it('starts the facility-fault flow for a broken streetlight', async () => {
    const resident = await new Resident(service).start('en-US');
    await resident.say('The street lamp outside my house is broken');
    expect((await conversation(resident))?.flow?.name).toBe('facility_fault_report');
  });
});
