/**
 * Acceptance: the road-damage report walked end to end through the app API — a cancelled attempt,
 * a crisis that preempts the flow (the flow waits while a counselor handles it and hands back), a
 * photo, a confirmation and a ticket reference; complaint_status finds it; a staff status change
 * made through the admin API reaches the resident on a long-poll.
 */
import type { Service } from '../../src/main';
import { createStaff, type ConsoleClient } from '../console/console-client';
import { startService } from '../support/service';
import { admin, ADMIN_TOKEN, payloadsOf, Resident, textOf } from '../knowledge/kb-test-kit';

const STAFF_ADMIN = { login: 'admin', password: 'admin-password-1' };
const PHOTO =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const REFERENCE = /GG-\d{8}-\d{4}/;

describe('road damage report flow (app API)', () => {
  let service: Service;
  let kim: ConsoleClient;

  beforeAll(async () => {
    service = await startService({
      ADMIN_TOKEN,
      ROUTING: 'manual',
      ADMIN_LOGIN: STAFF_ADMIN.login,
      ADMIN_PASSWORD: STAFF_ADMIN.password,
      LOGIN_RATE_LIMIT: '1000',
      QUEUE_NOTICE_SECONDS: '0',
    });
    const staff = await createStaff(service.url, STAFF_ADMIN, [
      { login: 'kim', role: 'counselor', languages: ['ko', 'en'] },
    ]);
    kim = staff.kim!;
  });
  afterAll(async () => {
    await service.close();
  });

  it('cancels, survives a crisis, takes a photo, files a ticket, looks it up, and pushes a staff status change', async () => {
    const resident = await new Resident(service).start();
    const conversation = () => service.store.conversations.get(resident.conversationId);

    // 1. A first attempt, cancelled: nothing is filed.
    let replies = await resident.say('도로에 포트홀이 생겼어요');
    expect(textOf(replies)).toMatch(/도로 파손 신고/);
    expect(textOf(replies)).toMatch(/위치/);
    expect(payloadsOf(replies)).toContain('flow:cancel');
    replies = await resident.say('취소');
    expect(textOf(replies)).toMatch(/취소했어요/);
    expect((await conversation())?.flow).toBeUndefined();
    expect(await service.store.tickets.list({ residentId: resident.app.residentId })).toHaveLength(0);

    // 2. Again, with a shared map location.
    replies = await resident.say('도로에 구멍이 났어요 신고하려고요');
    expect(textOf(replies)).toMatch(/위치/);
    replies = await resident.send({
      location: { latitude: 37.2636, longitude: 127.0286, address: '수원시 팔달구 효원로 1' },
    });
    expect(textOf(replies)).toMatch(/어떤 상태인지/);

    // 3. A crisis preempts the flow: crisis lines at once, top of the queue, the flow kept on hold.
    replies = await resident.say('너무 힘들어서 죽고 싶어요');
    expect(textOf(replies)).toMatch(/109/);
    expect(textOf(replies)).toMatch(/1577-0199/);
    expect(textOf(replies)).not.toMatch(/어떤 상태인지/);
    let c = await conversation();
    expect(c).toMatchObject({
      state: 'queued',
      priority: 'crisis',
      flow: { name: 'road_damage_report', step: 'description' },
    });

    // A counselor takes the chat and later hands it back to the bot.
    expect((await kim.post(`/conversations/${resident.conversationId}/accept`)).status).toBe(200);
    expect((await kim.post(`/conversations/${resident.conversationId}/handback`)).status).toBe(200);
    c = await conversation();
    expect(c?.state).toBe('bot');

    // 4. The resident picks the report up where it stopped.
    replies = await resident.say('계속');
    expect(textOf(replies)).toMatch(/이어서 진행할게요/);
    expect(textOf(replies)).toMatch(/어떤 상태인지/);
    replies = await resident.say('2차로에 지름 50cm 정도 포트홀이 있어요. 밤에는 잘 안 보여요');
    expect(textOf(replies)).toMatch(/사진/);
    expect(payloadsOf(replies)).toContain('flow:skip');

    // 5. Not a photo: asked again politely; then the photo.
    replies = await resident.say('잠깐만요');
    expect(textOf(replies)).toMatch(/사진을 받지 못했어요/);
    replies = await resident.send({ images: [{ url: PHOTO, mimeType: 'image/png' }] });
    const summary = textOf(replies);
    expect(summary).toMatch(/수원시 팔달구 효원로 1/);
    expect(summary).toMatch(/2차로에 지름 50cm/);
    expect(summary).toMatch(/사진: 1장/);
    expect(payloadsOf(replies)).toEqual(expect.arrayContaining(['flow:yes', 'flow:no']));

    // 6. Confirmed: a ticket with a reference, and how to follow it.
    replies = await resident.press('flow:yes');
    const reference = REFERENCE.exec(textOf(replies))?.[0];
    expect(reference).toBeDefined();
    expect(textOf(replies)).toMatch(/민원 조회/);
    const ticket = await service.store.tickets.getByReference(reference!);
    expect(ticket).toMatchObject({
      category: 'road_damage_report',
      status: 'received',
      residentId: resident.app.residentId,
      channel: 'app',
      description: '2차로에 지름 50cm 정도 포트홀이 있어요. 밤에는 잘 안 보여요',
      location: { latitude: 37.2636, longitude: 127.0286, address: '수원시 팔달구 효원로 1' },
      photos: [{ url: PHOTO, mimeType: 'image/png' }],
    });
    expect((await conversation())?.flow).toBeUndefined();

    // 7. complaint_status by reference.
    replies = await resident.say(`민원 조회 ${reference}`);
    expect(textOf(replies)).toContain(reference);
    expect(textOf(replies)).toMatch(/상태: 접수/);

    // 8. Staff change the status through the admin API; the resident hears it on a long-poll.
    const change = await admin<{ ticket: { status: string }; notified: boolean }>(
      service,
      'POST',
      `/tickets/${reference}/status`,
      {
        status: 'in_progress',
        note: '보수팀이 내일 오전에 방문합니다',
      },
    );
    expect(change.status).toBe(200);
    expect(change.body).toMatchObject({ ticket: { status: 'in_progress' }, notified: true });
    const pushed = await resident.waitFor(
      (m) => (m.text ?? '').includes(reference!) && /처리 중/.test(m.text ?? ''),
      'status change message',
    );
    expect(pushed.text).toMatch(/보수팀이 내일 오전에 방문합니다/);

    // 9. And complaint_status now shows the new status, among the resident's own reports.
    replies = await resident.press('flow:mine');
    expect(textOf(replies)).toContain(reference);
    expect(textOf(replies)).toMatch(/상태: 처리 중/);
  });

  it('answers another question mid-flow and resumes where it stopped', async () => {
    const resident = await new Resident(service).start();
    await resident.say('도로에 포트홀이 생겼어요');
    let replies = await resident.say('음식물 쓰레기는 어떻게 버려요?');
    expect(textOf(replies)).toMatch(/음식물/);
    expect(textOf(replies)).toMatch(/멈춰 두었어요/);
    expect(payloadsOf(replies)).toEqual(expect.arrayContaining(['flow:resume', 'flow:cancel']));
    replies = await resident.press('flow:resume');
    expect(textOf(replies)).toMatch(/위치를 알려 주세요/);
    replies = await resident.say('영통역 3번 출구 앞');
    expect(textOf(replies)).toMatch(/어떤 상태인지/);
  });

  it('re-asks an answer that does not fit at most twice, then offers a counselor', async () => {
    const resident = await new Resident(service).start();
    await resident.say('도로에 포트홀이 생겼어요');
    await resident.send({ location: { latitude: 37.5, longitude: 127.0 } });
    const first = await resident.say('ㄱ');
    expect(textOf(first)).toMatch(/설명이 너무 짧아요/);
    const second = await resident.say('ㄴ');
    expect(textOf(second)).toMatch(/설명이 너무 짧아요/);
    const third = await resident.say('ㄷ');
    expect(textOf(third)).not.toMatch(/설명이 너무 짧아요/);
    expect(textOf(third)).toMatch(/상담사/);
    expect(payloadsOf(third)).toContain('intent:counselor_request');
    // The report is still open: a good answer now moves it on.
    const fourth = await resident.say('인도 보도블록이 깨져서 튀어나와 있어요');
    expect(textOf(fourth)).toMatch(/사진/);
  });

  it('looks up only the resident’s own tickets', async () => {
    const owner = await new Resident(service).start();
    await owner.say('가로등이 고장났어요 신고할게요');
    await owner.say('용인시 수지구 풍덕천로 100 앞');
    await owner.say('가로등 두 개가 사흘째 꺼져 있어요');
    await owner.press('flow:skip');
    const done = await owner.press('flow:yes');
    const reference = REFERENCE.exec(textOf(done))?.[0];
    expect(reference).toBeDefined();
    expect((await service.store.tickets.getByReference(reference!))?.category).toBe('facility_fault_report');

    const stranger = await new Resident(service).start();
    const replies = await stranger.say(`민원 조회 ${reference}`);
    expect(textOf(replies)).toMatch(/찾지 못했어요/);
    expect(textOf(replies)).not.toMatch(/가로등 두 개/);
  });
});
