/** Contract of the interpreter store (invitations and their claims), run on every implementation. */
import { interpreterSessionId, type NewInterpreterSession } from '../../src/core/interpreter-port';
import type { Store } from '../../src/core/store-port';

export function runInterpreterContract(name: string, makeStore: () => Promise<Store>) {
  describe(`interpreter store: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const invitation = (conversationId: string, interpreterId: string, minutes = 0): NewInterpreterSession => ({
      conversationId,
      handoffSeq: 1,
      interpreterId,
      language: 'vi',
      invitedBy: 'u-kim',
      invitedAt: new Date(Date.UTC(2026, 2, 3, 1, minutes)),
    });

    it('stores an invitation once per interpreter and episode', async () => {
      const first = await store.interpreters.invite(invitation('c1', 'u-lan'));
      expect(first.created).toBe(true);
      expect(first.session).toEqual({ ...invitation('c1', 'u-lan'), id: interpreterSessionId('c1', 1, 'u-lan'), status: 'invited' });
      const again = await store.interpreters.invite({ ...invitation('c1', 'u-lan'), invitedBy: 'u-boss' });
      expect(again.created).toBe(false);
      expect(again.session.invitedBy).toBe('u-kim');
      const concurrent = await Promise.all([1, 2, 3, 4].map(() => store.interpreters.invite(invitation('c2', 'u-lan'))));
      expect(concurrent.filter((r) => r.created)).toHaveLength(1);
    });

    it('updates, and lists by conversation (oldest first) and by interpreter and status (newest first)', async () => {
      await store.interpreters.invite(invitation('c1', 'u-lan', 1));
      await store.interpreters.invite(invitation('c1', 'u-thu', 2));
      await store.interpreters.invite(invitation('c2', 'u-lan', 3));
      const id = interpreterSessionId('c1', 1, 'u-lan');
      const joinedAt = new Date('2026-03-03T01:05:00Z');
      const joined = await store.interpreters.update(id, { status: 'joined', joinedAt, joinedAfterSeq: 7 });
      expect(joined).toMatchObject({ status: 'joined', joinedAt, joinedAfterSeq: 7 });
      expect(await store.interpreters.get(id)).toEqual(joined);
      expect((await store.interpreters.listByConversation('c1')).map((s) => s.interpreterId)).toEqual(['u-lan', 'u-thu']);
      expect((await store.interpreters.listByInterpreter('u-lan', ['invited', 'joined'], 10)).map((s) => s.conversationId)).toEqual(['c2', 'c1']);
      expect((await store.interpreters.listByInterpreter('u-lan', ['joined'], 10)).map((s) => s.conversationId)).toEqual(['c1']);
      expect(await store.interpreters.listByInterpreter('u-lan', ['invited', 'joined'], 1)).toHaveLength(1);
      await expect(store.interpreters.update('interp:none:1:u', { status: 'left' })).rejects.toMatchObject({ code: 'not_found' });
    });

    it('gives a claim to exactly one of several concurrent callers, and deleting a conversation removes its invitations and claims', async () => {
      await store.interpreters.invite(invitation('c1', 'u-lan'));
      await store.interpreters.invite(invitation('c9', 'u-lan'));
      const at = new Date('2026-03-03T01:06:00Z');
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.interpreters.claim('s1:join', { conversationId: 'c1', by: `tab-${i}`, at })));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.interpreters.claim('s1:leave', { conversationId: 'c1', by: 'u-lan', at })).toBe(true);
      expect(await store.interpreters.claim('s9:join', { conversationId: 'c9', by: 'u-lan', at })).toBe(true);
      expect(await store.interpreters.deleteByConversation('c1')).toBe(1);
      expect(await store.interpreters.listByConversation('c1')).toEqual([]);
      // The claims went with it; another conversation's stayed.
      expect(await store.interpreters.claim('s1:join', { conversationId: 'c1', by: 'u-lan', at })).toBe(true);
      expect(await store.interpreters.claim('s9:join', { conversationId: 'c9', by: 'u-lan', at })).toBe(false);
      expect(await store.interpreters.listByConversation('c9')).toHaveLength(1);
    });

    it('keeps the interpreter flag of a message (to the resident, and internal to the counselor)', async () => {
      const resident = await store.residents.findOrCreateByIdentity({ channel: 'app', externalUserId: 'dev-interp' });
      const c = await store.conversations.create({ residentId: resident.id, channel: 'app', externalUserId: 'dev-interp', language: 'vi', state: 'assigned', priority: 'request', assigneeId: 'u-kim' });
      const base = { conversationId: c.id, residentId: resident.id, channel: 'app', direction: 'outbound' as const, author: 'counselor' as const, authorId: 'u-lan' };
      const toResident = await store.messages.append({ ...base, content: { kind: 'text', text: '[Phiên dịch viên Lan] Xin chào' }, flags: { interpreter: true } });
      const toCounselor = await store.messages.append({ ...base, content: { kind: 'text', text: '통역 메모' }, flags: { interpreter: true, internal: true } });
      expect((await store.messages.get(toResident.message.id))?.flags).toEqual({ interpreter: true });
      expect((await store.messages.get(toCounselor.message.id))?.flags).toEqual({ interpreter: true, internal: true });
    });
  });
}
