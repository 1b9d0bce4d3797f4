/**
 * Interpreters through the console API: an interpreter reads only the chats they are invited into
 * (and only from their join on, and only while the counselor's stay lasts); asking for an
 * interpreter with nobody on standby tells the counselor and the resident, who may leave a message
 * for a callback; and an invitation is joined once however many requests race for it.
 */
import { tr } from '../../src/i18n/translate';
import type { Service } from '../../src/main';
import { AppClient, startService, type AppMessage } from '../support/service';
import { ConsoleClient, createStaff, eventually } from './console-client';

const ADMIN = { login: 'admin', password: 'admin-password-1' };

jest.setTimeout(120_000);

interface SessionView {
  id: string;
  conversationId: string;
  status: string;
}

describe('interpreters through the console API', () => {
  let service: Service;
  let staff: Record<string, ConsoleClient>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000' });
    staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor', languages: ['ko'] },
      { login: 'park', role: 'counselor', languages: ['ko'] },
      { login: 'boss', role: 'supervisor', languages: ['ko'] },
      { login: 'lan', role: 'interpreter', displayName: 'Lan', languages: ['vi', 'ko'] },
      { login: 'thu', role: 'interpreter', displayName: 'Thu', languages: ['vi', 'ko'] },
      { login: 'wei', role: 'interpreter', displayName: 'Wei', languages: ['zh', 'ko'] },
    ]);
    for (const u of await service.store.users.list()) ids[u.login] = u.id;
  });
  afterAll(async () => {
    await service?.close();
  });

  const presence = async (login: string, status: 'available' | 'away') => expect((await staff[login]!.post('/presence', { status })).status).toBe(200);

  /** A Vietnamese resident's chat, accepted by kim. */
  async function vietnameseChat(device: string): Promise<AppClient> {
    const app = new AppClient(service.url);
    await app.start({ deviceId: device, locale: 'vi-VN' });
    await app.say('Tôi muốn nói chuyện với tư vấn viên');
    await eventually(async () => (await service.store.conversations.get(app.conversationId))?.state === 'queued', 10_000, 'queued');
    expect((await staff.kim!.post(`/conversations/${app.conversationId}/accept`)).status).toBe(200);
    return app;
  }

  function inbox(app: AppClient) {
    const seen: AppMessage[] = [];
    return {
      seen,
      next: (match: (m: AppMessage) => boolean, what: string) =>
        eventually(async () => {
          seen.push(...(await app.poll(1)));
          return seen.find(match);
        }, 10_000, what),
    };
  }

  it('lets an interpreter read only the chats they are invited into, from the join on, while the chat lasts', async () => {
    await presence('lan', 'available');
    await presence('thu', 'available');
    const a = await vietnameseChat('access-a');
    const b = await vietnameseChat('access-b');
    // Another counselor cannot invite into kim's chat.
    expect((await staff.park!.post(`/conversations/${a.conversationId}/interpreters`, { interpreterId: ids.lan })).status).toBe(403);
    const invited = await staff.kim!.post<{ outcome: string; session: SessionView }>(`/conversations/${a.conversationId}/interpreters`, { interpreterId: ids.lan });
    expect(invited.status).toBe(200);
    expect(invited.body.outcome).toBe('invited');
    const session = invited.body.session;
    expect(session).toMatchObject({ conversationId: a.conversationId, status: 'invited' });

    const lan = staff.lan!;
    const mine = await lan.get<{ items: { conversation: { id: string } }[] }>('/interpreting');
    expect(mine.body.items.map((i) => i.conversation.id)).toEqual([a.conversationId]);
    // The counselor's routes stay closed to interpreters, for the invited chat as for any other.
    for (const path of [`/conversations/${a.conversationId}`, `/conversations/${b.conversationId}`, '/queue', `/conversations/${a.conversationId}/interpreters`]) {
      expect((await lan.get(path)).status).toBe(403);
    }
    // A chat they were not invited into does not exist for them.
    const bSeq = (await service.store.conversations.get(b.conversationId))!.handoffSeq;
    const guessed = `interp:${b.conversationId}:${bSeq}:${ids.lan}`;
    expect((await lan.get(`/interpreting/${encodeURIComponent(guessed)}`)).status).toBe(404);
    expect((await lan.post(`/interpreting/${encodeURIComponent(guessed)}/join`)).status).toBe(404);
    // Nor does Lan's invitation for another interpreter.
    const path = `/interpreting/${encodeURIComponent(session.id)}`;
    expect((await staff.thu!.get(path)).status).toBe(404);
    expect((await staff.thu!.post(`${path}/join`)).status).toBe(404);
    expect((await staff.thu!.post(`${path}/messages`, { to: 'resident', text: 'xin chào' })).status).toBe(404);

    // Before joining: no transcript, no writing.
    const before = await lan.get<{ messages: unknown[] }>(path);
    expect(before.status).toBe(200);
    expect(before.body.messages).toEqual([]);
    expect((await lan.post(`${path}/messages`, { to: 'resident', text: 'xin chào' })).status).toBe(409);
    expect((await lan.post(`${path}/join`)).status).toBe(200);
    const resident = inbox(a);
    await resident.next((m) => /Phiên dịch viên Lan đã tham gia/.test(m.text ?? ''), 'join notice');
    expect((await a.say('Tôi cần gia hạn thẻ cư trú')).messageId).toBeTruthy();
    const after = await eventually(async () => {
      const view = await lan.get<{ messages: { text?: string; author: string }[] }>(path);
      return view.body.messages.some((m) => m.text === 'Tôi cần gia hạn thẻ cư trú') && view.body.messages;
    }, 10_000, 'the resident’s message after the join');
    // From the join on only: the first request for a counselor was before it.
    expect(after.map((m) => m.text)).not.toContain('Tôi muốn nói chuyện với tư vấn viên');

    // The chat closes: the invitation ends with it (audited), and the interpreter loses access.
    expect((await staff.kim!.post(`/conversations/${a.conversationId}/close`, { resolution: 'answered', confirm: true })).status).toBe(200);
    await eventually(async () => (await service.store.interpreters.get(session.id))?.status === 'left', 10_000, 'invitation ended');
    expect((await lan.get(path)).status).toBe(409);
    expect((await lan.post(`${path}/messages`, { to: 'resident', text: 'xin chào' })).status).toBe(409);
    expect((await lan.get<{ items: unknown[] }>('/interpreting')).body.items).toEqual([]);
    const audit = await service.store.audit.list({ subject: a.conversationId });
    expect(audit.filter((e) => e.action === 'interpreter.leave').map((e) => e.actor)).toEqual(['system']);
    expect((await staff.kim!.post(`/conversations/${b.conversationId}/close`, { resolution: 'answered', confirm: true })).status).toBe(200);
  });

  it('asks a counselor given a chat in a language they do not list to invite an interpreter, saying how many are on standby', async () => {
    await presence('lan', 'available');
    await presence('thu', 'away');
    const app = await vietnameseChat('suggestion');
    const notes = async () => {
      const detail = await staff.kim!.get<{ messages: { text?: string; internal: boolean; author: string }[] }>(`/conversations/${app.conversationId}`);
      return detail.body.messages.filter((m) => m.internal && /민원인이 vi\(으\)로 씁니다/.test(m.text ?? ''));
    };
    const [note] = await eventually(async () => {
      const found = await notes();
      return found.length > 0 && found;
    }, 10_000, 'the suggestion note');
    expect(note!.text).toBe(tr('staff.note.interpreterSuggested', 'ko', { language: 'vi', count: 1 }));
    expect((await staff.kim!.post(`/conversations/${app.conversationId}/close`, { resolution: 'answered', confirm: true })).status).toBe(200);
  });

  it('tells the counselor and the resident when nobody is on standby, and offers the resident a callback', async () => {
    await presence('lan', 'away');
    await presence('thu', 'away');
    await presence('wei', 'available'); // on standby, but for Chinese
    const app = await vietnameseChat('none-on-standby');
    const id = app.conversationId;
    const resident = inbox(app);
    await resident.next((m) => m.author === 'system' && /tham gia/.test(m.text ?? ''), 'counselor joined');

    // A named interpreter who does not work in the language is refused.
    expect((await staff.kim!.post(`/conversations/${id}/interpreters`, { interpreterId: ids.wei })).status).toBe(404);
    const asked = await staff.kim!.post<{ outcome: string; language: string }>(`/conversations/${id}/interpreters`, {});
    expect(asked.status).toBe(200);
    expect(asked.body).toEqual({ outcome: 'none_on_standby', language: 'vi' });
    expect(await service.store.interpreters.listByConversation(id)).toEqual([]);

    const honest = await resident.next((m) => Boolean(m.quickReplies?.length) && /phiên dịch viên/.test(m.text ?? ''), 'no-interpreter notice');
    expect(honest.text).toMatch(/^Xin lỗi, hiện chưa có phiên dịch viên/);
    const detail = await staff.kim!.get<{ messages: { text?: string; internal: boolean }[] }>(`/conversations/${id}`);
    expect(detail.body.messages.some((m) => m.internal && /대기 중인 vi 통역사가 없습니다/.test(m.text ?? ''))).toBe(true);

    // The resident takes the callback: the chat's episode is marked for a call back.
    const leave = honest.quickReplies![0]!;
    await app.say(leave.label, { payload: leave.payload });
    await resident.next((m) => m.text === tr('resident.handoff.leaveMessagePrompt', 'vi'), 'leave-a-message prompt');
    const c = (await service.store.conversations.get(id))!;
    expect((await service.store.episodes.get(`${id}:${c.handoffSeq}`))?.callback).toBe(true);
    expect(c.state).toBe('assigned');
    const audit = await service.store.audit.list({ subject: id });
    expect(audit.map((e) => e.action)).toContain('interpreter.none_on_standby');
    expect((await staff.kim!.post(`/conversations/${id}/close`, { resolution: 'callback', confirm: true })).status).toBe(200);
    await presence('wei', 'away');
  });

  it('lets an invitation be joined once and left once, however many requests race', async () => {
    await presence('lan', 'available');
    const app = await vietnameseChat('unique-join');
    const id = app.conversationId;
    const first = await staff.kim!.post<{ session: SessionView }>(`/conversations/${id}/interpreters`, {});
    expect(first.status).toBe(200);
    // Inviting again answers with the same invitation.
    const again = await staff.kim!.post<{ session: SessionView }>(`/conversations/${id}/interpreters`, { interpreterId: ids.lan });
    expect(again.body.session.id).toBe(first.body.session.id);
    const path = `/interpreting/${encodeURIComponent(first.body.session.id)}`;

    // Lan has the console open in two places and both join at once, three times each.
    const second = new ConsoleClient(service.url);
    expect((await second.login('lan', 'pw-lan-secret')).status).toBe(200);
    const joins = await Promise.all([staff.lan!, second, staff.lan!, second, staff.lan!, second].map((c) => c.post(`${path}/join`)));
    expect(joins.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);

    // One join notice: a message after it shows the resident's stream went past any second one.
    expect((await second.post(`${path}/messages`, { to: 'resident', text: 'Tôi là phiên dịch viên.' })).status).toBe(200);
    const resident = inbox(app);
    await resident.next((m) => m.text === '[Phiên dịch viên Lan] Tôi là phiên dịch viên.', 'the interpreter’s message');
    expect(resident.seen.filter((m) => /Phiên dịch viên Lan đã tham gia/.test(m.text ?? ''))).toHaveLength(1);

    // Leaving races too (the interpreter and the counselor at once): one wins, one notice.
    const leaves = await Promise.all([staff.lan!.post(`${path}/leave`), staff.kim!.post(`${path}/leave`), second.post(`${path}/leave`)]);
    expect(leaves.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect((await staff.kim!.post(`/conversations/${id}/messages`, { text: 'Cảm ơn.' })).status).toBe(200);
    await resident.next((m) => m.text === 'Cảm ơn.', 'the counselor’s reply');
    expect(resident.seen.filter((m) => /Phiên dịch viên Lan đã rời/.test(m.text ?? ''))).toHaveLength(1);
    const actions = (await service.store.audit.list({ subject: id })).map((e) => e.action);
    expect(actions.filter((a) => a === 'interpreter.invite')).toHaveLength(1);
    expect(actions.filter((a) => a === 'interpreter.join')).toHaveLength(1);
    expect(actions.filter((a) => a === 'interpreter.leave')).toHaveLength(1);
    // Once left, the same interpreter cannot be invited again into this stay of the chat.
    expect((await staff.kim!.post(`/conversations/${id}/interpreters`, { interpreterId: ids.lan })).status).toBe(409);
  });
});

describe('the router and interpreters', () => {
  let service: Service;
  let staff: Record<string, ConsoleClient>;

  beforeAll(async () => {
    // Any free counselor may take a chat at once, whatever its language.
    service = await startService({ ROUTING: 'auto', SKILL_FALLBACK_SECONDS: '0', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000' });
    staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor', languages: ['ko'] },
      { login: 'lan', role: 'interpreter', displayName: 'Lan', languages: ['vi', 'ko'] },
    ]);
    for (const login of ['kim', 'lan']) expect((await staff[login]!.post('/presence', { status: 'available' })).status).toBe(200);
  });
  afterAll(async () => {
    await service?.close();
  });

  it('invites an interpreter on standby when it gives a chat to a counselor who does not speak its language', async () => {
    const app = new AppClient(service.url);
    await app.start({ deviceId: 'auto-invite', locale: 'vi-VN' });
    await app.say('Tôi muốn nói chuyện với tư vấn viên');
    const kimId = (await service.store.users.findByLogin('kim'))!.id;
    await eventually(async () => (await service.store.conversations.get(app.conversationId))?.assigneeId === kimId, 10_000, 'routed to kim');
    const invitation = await eventually(async () => {
      const { body } = await staff.lan!.get<{ items: { session: SessionView; conversation: { id: string } }[] }>('/interpreting');
      return body.items[0];
    }, 10_000, 'the invitation');
    expect(invitation.conversation.id).toBe(app.conversationId);
    const audit = await service.store.audit.list({ subject: app.conversationId });
    expect(audit.filter((e) => e.action === 'interpreter.invite').map((e) => e.actor)).toEqual(['router']);
    const detail = await staff.kim!.get<{ messages: { text?: string; internal: boolean }[] }>(`/conversations/${app.conversationId}`);
    expect(detail.body.messages.filter((m) => m.internal).map((m) => m.text)).toContain(tr('staff.note.interpreterInvited', 'ko', { name: 'Lan', language: 'vi' }));
    // Lan joins as with any invitation.
    expect((await staff.lan!.post(`/interpreting/${encodeURIComponent(invitation.session.id)}/join`)).status).toBe(200);
  });
});
