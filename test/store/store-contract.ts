/**
 * The storage port's behaviour, as one suite every Store implementation must pass.
 * Call runStoreContract from a test file with a factory that returns a fresh, empty store.
 */
import { textContent, textOf, type MessageContent } from '../../src/core/message';
import type { Store } from '../../src/core/store-port';

export function runStoreContract(name: string, makeStore: () => Promise<Store>, cleanup?: () => Promise<void>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });
    if (cleanup) afterAll(cleanup);

    const newConversation = async (externalUserId = 'u1', channel = 'app') => {
      const resident = await store.residents.findOrCreateByIdentity({ channel, externalUserId });
      return store.conversations.create({
        residentId: resident.id,
        channel,
        externalUserId,
        language: 'ko',
        state: 'bot',
        priority: 'normal',
      });
    };

    it('reports itself healthy', async () => {
      expect(await store.healthy()).toBe(true);
    });

    describe('residents', () => {
      it('returns the same resident for the same channel identity', async () => {
        const a = await store.residents.findOrCreateByIdentity({ channel: 'telegram', externalUserId: '42' });
        const b = await store.residents.findOrCreateByIdentity({ channel: 'telegram', externalUserId: '42' });
        const c = await store.residents.findOrCreateByIdentity({ channel: 'kakao', externalUserId: '42' });
        expect(b.id).toBe(a.id);
        expect(c.id).not.toBe(a.id);
      });

      it('links identities across channels and refuses to steal another resident’s identity', async () => {
        const a = await store.residents.findOrCreateByIdentity({ channel: 'telegram', externalUserId: '1' });
        const b = await store.residents.findOrCreateByIdentity({ channel: 'kakao', externalUserId: 'k1' });
        const linked = await store.residents.linkIdentity(a.id, { channel: 'app', externalUserId: 'dev-1' });
        expect(linked.identities).toHaveLength(2);
        const again = await store.residents.findOrCreateByIdentity({ channel: 'app', externalUserId: 'dev-1' });
        expect(again.id).toBe(a.id);
        await expect(store.residents.linkIdentity(a.id, { channel: 'kakao', externalUserId: 'k1' })).rejects.toMatchObject({
          code: 'conflict',
        });
        expect((await store.residents.get(b.id))?.identities).toHaveLength(1);
      });

      it('deletes a resident and frees the identity', async () => {
        const a = await store.residents.findOrCreateByIdentity({ channel: 'x', externalUserId: '9' });
        await store.residents.delete(a.id);
        expect(await store.residents.get(a.id)).toBeUndefined();
        const b = await store.residents.findOrCreateByIdentity({ channel: 'x', externalUserId: '9' });
        expect(b.id).not.toBe(a.id);
      });
    });

    describe('conversations', () => {
      it('creates with defaults and finds the open one per channel identity', async () => {
        const c = await newConversation('u1');
        expect(c).toMatchObject({ state: 'bot', handoffSeq: 0, misses: 0, slots: {} });
        expect((await store.conversations.findOpen('app', 'u1'))?.id).toBe(c.id);
        expect(await store.conversations.findOpen('app', 'other')).toBeUndefined();
        await store.conversations.update(c.id, { state: 'closed', closedAt: new Date() });
        expect(await store.conversations.findOpen('app', 'u1')).toBeUndefined();
      });

      it('finds the newest conversation of a channel identity, closed or open', async () => {
        expect(await store.conversations.findLatest('app', 'u1')).toBeUndefined();
        const first = await newConversation('u1');
        await store.conversations.update(first.id, { state: 'closed', closedAt: new Date(), language: 'vi' });
        expect(await store.conversations.findLatest('app', 'u1')).toMatchObject({ id: first.id, language: 'vi', state: 'closed' });
        await new Promise((r) => setTimeout(r, 5));
        const second = await newConversation('u1');
        expect((await store.conversations.findLatest('app', 'u1'))?.id).toBe(second.id);
        expect(await store.conversations.findLatest('app', 'other')).toBeUndefined();
      });

      it('allows only one open conversation per channel identity, even when created concurrently', async () => {
        const resident = await store.residents.findOrCreateByIdentity({ channel: 'app', externalUserId: 'race' });
        const input = {
          residentId: resident.id,
          channel: 'app',
          externalUserId: 'race',
          language: 'ko',
          state: 'bot' as const,
          priority: 'normal' as const,
        };
        const results = await Promise.allSettled([1, 2, 3, 4].map(() => store.conversations.create(input)));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'conflict' });
        const open = await store.conversations.findOpen('app', 'race');
        await store.conversations.update(open!.id, { state: 'closed', closedAt: new Date() });
        const next = await store.conversations.create(input);
        expect(next.id).not.toBe(open!.id);
      });

      it('updates fields, keeps others, and removes fields set to undefined', async () => {
        const c = await newConversation();
        const u = await store.conversations.update(c.id, {
          state: 'assigned',
          assigneeId: 'counselor-1',
          slots: { location: { address: '수원시 팔달구' } },
          flow: { name: 'road_damage_report', step: 'location', retries: 0, startedAt: new Date().toISOString() },
        });
        expect(u).toMatchObject({ state: 'assigned', assigneeId: 'counselor-1', language: 'ko' });
        expect(u.slots).toEqual({ location: { address: '수원시 팔달구' } });
        const v = await store.conversations.update(c.id, { assigneeId: undefined, flow: undefined });
        expect(v.assigneeId).toBeUndefined();
        expect(v.flow).toBeUndefined();
        expect((await store.conversations.get(c.id))?.assigneeId).toBeUndefined();
      });

      it('keeps the hearing-impaired flag across later updates', async () => {
        const c = await newConversation();
        await store.conversations.update(c.id, { hearingImpaired: true, lastIntent: 'sign_language' });
        await store.conversations.update(c.id, { misses: 1, lastIntent: 'greeting' });
        expect((await store.conversations.get(c.id))?.hearingImpaired).toBe(true);
      });

      it('rejects updates of a missing conversation with not_found', async () => {
        await expect(store.conversations.update('missing', { state: 'closed' })).rejects.toMatchObject({ code: 'not_found' });
      });

      it('lists by state and assignee', async () => {
        const a = await newConversation('a');
        const b = await newConversation('b');
        await store.conversations.update(a.id, { state: 'queued' });
        await store.conversations.update(b.id, { state: 'assigned', assigneeId: 'c1' });
        expect((await store.conversations.list({ states: ['queued'] })).map((c) => c.id)).toEqual([a.id]);
        expect((await store.conversations.list({ assigneeId: 'c1' })).map((c) => c.id)).toEqual([b.id]);
      });

      it('lets exactly one concurrent claim win per handoff episode', async () => {
        const c = await newConversation();
        const results = await Promise.all(
          Array.from({ length: 5 }, (_, i) => store.conversations.claim(c.id, 1, `counselor-${i}`)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.conversations.claim(c.id, 2, 'counselor-0')).toBe(true);
      });

      it('lists closed conversations older than a cutoff', async () => {
        const a = await newConversation('a');
        const b = await newConversation('b');
        await store.conversations.update(a.id, { state: 'closed', closedAt: new Date(Date.now() - 86_400_000) });
        await store.conversations.update(b.id, { state: 'closed', closedAt: new Date() });
        const old = await store.conversations.listClosedBefore(new Date(Date.now() - 3_600_000), 10);
        expect(old.map((c) => c.id)).toEqual([a.id]);
      });
    });

    describe('messages', () => {
      it('numbers messages per conversation and lists after a cursor', async () => {
        const c = await newConversation();
        for (const text of ['one', 'two', 'three']) {
          await store.messages.append({
            conversationId: c.id,
            residentId: c.residentId,
            channel: 'app',
            direction: 'inbound',
            author: 'resident',
            content: { kind: 'text', text },
          });
        }
        const all = await store.messages.listByConversation(c.id);
        expect(all.map((m) => [m.seq, textOf(m.content)])).toEqual([
          [1, 'one'],
          [2, 'two'],
          [3, 'three'],
        ]);
        const after = await store.messages.listByConversation(c.id, { afterSeq: 1 });
        expect(after.map((m) => textOf(m.content))).toEqual(['two', 'three']);
        expect(textOf((await store.messages.get(all[0]!.id))!.content)).toBe('one');
      });

      it('stores a channel message id once (retried deliveries)', async () => {
        const c = await newConversation();
        const input = {
          conversationId: c.id,
          residentId: c.residentId,
          channel: 'telegram',
          channelMessageId: 'tg-100',
          direction: 'inbound' as const,
          author: 'resident' as const,
          content: { kind: 'text' as const, text: '안녕하세요' },
        };
        const results = await Promise.all([store.messages.append(input), store.messages.append(input), store.messages.append(input)]);
        expect(results.filter((r) => r.inserted)).toHaveLength(1);
        expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
        expect(await store.messages.listByConversation(c.id)).toHaveLength(1);
      });

      it('gives concurrent appends distinct, gap-free seq numbers', async () => {
        const c = await newConversation();
        await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            store.messages.append({
              conversationId: c.id,
              residentId: c.residentId,
              channel: 'app',
              direction: 'outbound',
              author: 'bot',
              content: { kind: 'text', text: `m${i}` },
            }),
          ),
        );
        const seqs = (await store.messages.listByConversation(c.id)).map((m) => m.seq);
        expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      });

      it('reads content stored before contents had a kind as the current shape', async () => {
        const c = await newConversation();
        const stored = [
          { text: '예전 질문' },
          { text: '상담사 연결', payload: 'intent:counselor_request' },
          { text: '여기', location: { latitude: 37.26, longitude: 127.03 } },
          { text: '사진', images: [{ url: 'https://example.org/a.jpg' }] },
        ];
        const ids = [];
        for (const content of stored) {
          // An older caller (or an older record) hands the loose shape to the store.
          const { message } = await store.messages.append({
            conversationId: c.id,
            residentId: c.residentId,
            channel: 'app',
            direction: 'inbound',
            author: 'resident',
            content: content as unknown as MessageContent,
          });
          ids.push(message.id);
        }
        const expected: MessageContent[] = [
          { kind: 'text', text: '예전 질문' },
          { kind: 'button', text: '상담사 연결', payload: 'intent:counselor_request' },
          { kind: 'location', text: '여기', location: { latitude: 37.26, longitude: 127.03 } },
          { kind: 'image', caption: '사진', images: [{ url: 'https://example.org/a.jpg' }] },
        ];
        for (const [i, id] of ids.entries()) expect((await store.messages.get(id))?.content).toEqual(expected[i]);
        expect((await store.messages.listByConversation(c.id)).map((m) => m.content)).toEqual(expected);
      });

      it('keeps rich content of every kind and flags intact', async () => {
        const c = await newConversation();
        const contents: MessageContent[] = [
          {
            kind: 'text',
            text: '위치를 보내 주세요',
            quickReplies: [{ label: '취소', payload: 'cancel' }],
            links: [{ title: '경기도청', url: 'https://www.gg.go.kr' }],
          },
          { kind: 'image', images: [{ url: 'https://example.org/a.jpg', mimeType: 'image/jpeg', caption: '사진' }], caption: '도로 파손' },
          { kind: 'location', location: { latitude: 37.26, longitude: 127.03, address: '수원' }, text: '여기예요' },
          { kind: 'button', payload: 'intent:counselor_request', text: '상담사 연결' },
        ];
        for (const content of contents) {
          const { message } = await store.messages.append({
            conversationId: c.id,
            residentId: c.residentId,
            channel: 'app',
            direction: 'outbound',
            author: 'bot',
            content,
            flags: { crisis: true },
            intent: 'road_damage_report',
            confidence: 0.9,
            language: 'ko',
          });
          const got = await store.messages.get(message.id);
          expect(got?.content).toEqual(content);
          expect(got?.flags).toEqual({ crisis: true });
          expect(Number.isFinite(got!.createdAt.getTime())).toBe(true);
        }
      });

      it('tracks unhandled inbound messages for crash recovery', async () => {
        const c = await newConversation();
        const base = { conversationId: c.id, residentId: c.residentId, channel: 'app', author: 'resident' as const };
        const a = await store.messages.append({ ...base, direction: 'inbound', content: { kind: 'text', text: 'a' } });
        const b = await store.messages.append({ ...base, direction: 'inbound', content: { kind: 'text', text: 'b' } });
        await store.messages.append({ ...base, direction: 'outbound', author: 'resident', content: { kind: 'text', text: 'c' } });
        await store.messages.markHandled(a.message.id, new Date());
        const pending = await store.messages.listUnhandledInbound(new Date(Date.now() - 60_000), 10);
        expect(pending.map((m) => m.id)).toEqual([b.message.id]);
      });

      it('lets one of several claimers re-run an unhandled turn per round', async () => {
        const c = await newConversation();
        const { message } = await store.messages.append({ conversationId: c.id, residentId: c.residentId, channel: 'app', author: 'resident', direction: 'inbound', content: textContent('a') });
        const claims = await Promise.all(['i1', 'i2', 'i3'].map((owner) => store.messages.claimRetry(message, 41, owner)));
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await store.messages.claimRetry(message, 42, 'i2')).toBe(true);
        expect(await store.messages.claimRetry(message, 42, 'i3')).toBe(false);
      });

      it('remembers a platform message id after its message is deleted, until the keys are forgotten', async () => {
        const c = await newConversation();
        const base = { conversationId: c.id, residentId: c.residentId, channel: 'telegram', author: 'resident' as const, direction: 'inbound' as const };
        expect(await store.messages.deliveryState('telegram', 'chat-9:1')).toBe('new');
        await store.messages.append({ ...base, content: textContent('a'), channelMessageId: 'chat-9:1' });
        expect(await store.messages.deliveryState('telegram', 'chat-9:1')).toBe('stored');
        expect(await store.messages.deliveryState('messenger', 'chat-9:1')).toBe('new');
        await store.messages.deleteByConversation(c.id);
        expect(await store.messages.deliveryState('telegram', 'chat-9:1')).toBe('deleted');
        expect(await store.messages.forgetDeliveries(new Date(Date.now() - 60_000))).toBe(0);
        expect(await store.messages.forgetDeliveries(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
        expect(await store.messages.deliveryState('telegram', 'chat-9:1')).toBe('new');
      });

      it('lists by resident and deletes by conversation', async () => {
        const c = await newConversation();
        const base = { conversationId: c.id, residentId: c.residentId, channel: 'app', author: 'resident' as const };
        await store.messages.append({ ...base, direction: 'inbound', content: { kind: 'text', text: 'a' }, channelMessageId: 'x1' });
        await store.messages.append({ ...base, direction: 'inbound', content: { kind: 'text', text: 'b' } });
        expect(await store.messages.listByResident(c.residentId)).toHaveLength(2);
        expect(await store.messages.deleteByConversation(c.id)).toBe(2);
        expect(await store.messages.listByResident(c.residentId)).toHaveLength(0);
        const again = await store.messages.append({ ...base, direction: 'inbound', content: { kind: 'text', text: 'a' }, channelMessageId: 'x1' });
        expect(again.inserted).toBe(true);
      });
    });

    describe('app sessions', () => {
      it('finds by token hash, repoints and deletes by resident', async () => {
        const c = await newConversation();
        await store.appSessions.create({ tokenHash: 'h1', residentId: c.residentId, conversationId: c.id, deviceId: 'd', createdAt: new Date() });
        expect((await store.appSessions.findByTokenHash('h1'))?.conversationId).toBe(c.id);
        expect(await store.appSessions.findByTokenHash('nope')).toBeUndefined();
        expect((await store.appSessions.listByResident(c.residentId)).map((s) => s.deviceId)).toEqual(['d']);
        await store.appSessions.repoint(c.residentId, 'conv-2');
        expect((await store.appSessions.findByTokenHash('h1'))?.conversationId).toBe('conv-2');
        expect(await store.appSessions.deleteByResident(c.residentId)).toBe(1);
        expect(await store.appSessions.findByTokenHash('h1')).toBeUndefined();
      });

      it('records use, lists sessions idle before a cutoff (oldest first, used or not) and deletes one', async () => {
        const day = (n: number) => new Date(Date.UTC(2026, 0, n));
        const make = (tokenHash: string, createdAt: Date) =>
          store.appSessions.create({ tokenHash, residentId: 'r', conversationId: 'c', deviceId: 'd', createdAt });
        await make('unused-old', day(1));
        await make('used-recently', day(1));
        await make('used-long-ago', day(2));
        await make('new', day(20));
        await store.appSessions.touch('used-recently', day(19));
        await store.appSessions.touch('used-long-ago', day(3));
        expect((await store.appSessions.findByTokenHash('used-recently'))?.lastSeenAt).toEqual(day(19));
        expect((await store.appSessions.listIdleBefore(day(10), 10)).map((x) => x.tokenHash)).toEqual(['unused-old', 'used-long-ago']);
        expect((await store.appSessions.listIdleBefore(day(10), 1)).map((x) => x.tokenHash)).toEqual(['unused-old']);
        await store.appSessions.delete('unused-old');
        expect(await store.appSessions.findByTokenHash('unused-old')).toBeUndefined();
        expect((await store.appSessions.listIdleBefore(day(10), 10)).map((x) => x.tokenHash)).toEqual(['used-long-ago']);
      });
    });

    describe('outbox', () => {
      const entry = { messageId: 'm1', conversationId: 'c1', channel: 'telegram', externalUserId: '42' };
      const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

      it('leases due entries once, retries later, and completes', async () => {
        const e = await store.outbox.enqueue({ ...entry, seq: 1 });
        expect(e).toMatchObject({ status: 'pending', attempts: 0, seq: 1 });
        const now = at(new Date(), 1000);
        const first = await store.outbox.leaseDue(now, 10, 'w1');
        expect(first.map((x) => x.id)).toEqual([e.id]);
        expect(first[0]!.attempts).toBe(1);
        expect(await store.outbox.leaseDue(now, 10, 'w2')).toEqual([]);
        expect(await store.outbox.markFailed(first[0]!, 'HTTP 502', at(now, 5000))).toBe(true);
        expect(await store.outbox.leaseDue(now, 10, 'w1')).toEqual([]);
        const second = await store.outbox.leaseDue(at(now, 6000), 10, 'w2');
        expect(second.map((x) => [x.id, x.attempts])).toEqual([[e.id, 2]]);
        expect(await store.outbox.markSent(second[0]!, at(now, 6500))).toBe(true);
        expect((await store.outbox.listByStatus('sent', 10)).map((x) => x.id)).toEqual([e.id]);
        expect(await store.outbox.leaseDue(at(now, 600_000), 10, 'w1')).toEqual([]);
      });

      it('hands out one entry per conversation at a time, oldest message first', async () => {
        // Enqueued out of order: the message seq decides.
        const c1 = new Map<number, string>();
        for (const seq of [3, 1, 2]) c1.set(seq, (await store.outbox.enqueue({ ...entry, messageId: `m${seq}`, seq })).id);
        const other = await store.outbox.enqueue({ ...entry, conversationId: 'c2', messageId: 'x1', seq: 7 });
        const now = at(new Date(), 1000);
        const leased = await store.outbox.leaseDue(now, 10, 'w1');
        expect(leased.map((x) => x.id).sort()).toEqual([c1.get(1)!, other.id].sort());
        // Both conversations are being sent to: nothing more for anyone.
        expect(await store.outbox.leaseDue(now, 10, 'w2')).toEqual([]);
        const head = leased.find((x) => x.conversationId === 'c1')!;
        expect(await store.outbox.markSent(head, now)).toBe(true);
        const next = await store.outbox.leaseDue(now, 10, 'w2');
        expect(next.map((x) => x.id)).toEqual([c1.get(2)!]);
      });

      it('holds a conversation back while its oldest entry waits for a retry, not once it failed for good', async () => {
        await store.outbox.enqueue({ ...entry, messageId: 'm1', seq: 1 });
        const second = await store.outbox.enqueue({ ...entry, messageId: 'm2', seq: 2 });
        const now = at(new Date(), 1000);
        const [head] = await store.outbox.leaseDue(now, 10, 'w1');
        await store.outbox.markFailed(head!, 'HTTP 502', at(now, 60_000));
        // The later reply must not overtake the one waiting for its retry.
        expect(await store.outbox.leaseDue(at(now, 1000), 10, 'w1')).toEqual([]);
        const [again] = await store.outbox.leaseDue(at(now, 61_000), 10, 'w1');
        expect([again!.id, again!.attempts]).toEqual([head!.id, 2]);
        await store.outbox.markFailed(again!, 'HTTP 403 bot was blocked');
        const [after] = await store.outbox.leaseDue(at(now, 61_000), 10, 'w1');
        expect(after!.id).toBe(second.id);
      });

      it('keeps the lease for the next due entry when marking sent, and ends it when none is due', async () => {
        const ids: string[] = [];
        for (const seq of [1, 2, 3]) ids.push((await store.outbox.enqueue({ ...entry, messageId: `m${seq}`, seq })).id);
        const now = at(new Date(), 1000);
        const [first] = await store.outbox.leaseDue(now, 10, 'w1');
        const { marked, next } = await store.outbox.markSentAndLeaseNext(first!, now);
        expect(marked).toBe(true);
        expect([next?.id, next?.attempts, next?.lease.token]).toEqual([ids[1], 1, first!.lease.token]);
        expect((await store.outbox.get(ids[0]!))?.status).toBe('sent');
        // Still one sender for the conversation: nobody else gets it.
        expect(await store.outbox.leaseDue(now, 10, 'w2')).toEqual([]);
        // The third waits for a retry: marking the second ends the lease without handing it out.
        expect(await store.outbox.markFailed(next!, 'HTTP 502', at(now, 60_000))).toBe(true);
        const [again] = await store.outbox.leaseDue(at(now, 61_000), 10, 'w2');
        expect(again!.id).toBe(ids[1]);
        const last = await store.outbox.markSentAndLeaseNext(again!, at(now, 61_000));
        expect(last.next?.id).toBe(ids[2]);
        const done = await store.outbox.markSentAndLeaseNext(last.next!, at(now, 61_500));
        expect(done).toEqual({ marked: true });
        expect((await store.outbox.summary()).pending).toBe(0);
        // A lease that was lost marks nothing and hands nothing out.
        expect(await store.outbox.markSentAndLeaseNext(first!, at(now, 62_000))).toEqual({ marked: false });
      });

      it('hands the conversation on to the next entry after a head that needed a retry', async () => {
        await store.outbox.enqueue({ ...entry, messageId: 'm1', seq: 1 });
        const second = await store.outbox.enqueue({ ...entry, messageId: 'm2', seq: 2 });
        const now = at(new Date(), 1000);
        const [head] = await store.outbox.leaseDue(now, 10, 'w1');
        await store.outbox.markFailed(head!, 'HTTP 502', at(now, 5000));
        const [retried] = await store.outbox.leaseDue(at(now, 5000), 10, 'w1');
        expect(retried!.id).toBe(head!.id);
        const { marked, next } = await store.outbox.markSentAndLeaseNext(retried!, at(now, 5000));
        // m2 was due all along (it only waited behind m1): it follows under the lease.
        expect([marked, next?.id]).toEqual([true, second.id]);
      });

      it('gives each conversation to exactly one of several concurrent workers', async () => {
        const heads: string[] = [];
        for (let c = 0; c < 5; c++) {
          for (let seq = 1; seq <= 2; seq++) {
            const e = await store.outbox.enqueue({ ...entry, conversationId: `c${c}`, messageId: `m${c}-${seq}`, seq });
            if (seq === 1) heads.push(e.id);
          }
        }
        const now = at(new Date(), 1000);
        const leased = (await Promise.all(['a', 'b', 'c'].map((w) => store.outbox.leaseDue(now, 10, w)))).flat();
        expect(leased.map((x) => x.id).sort()).toEqual([...heads].sort());
      });

      it('lets another worker take over an abandoned lease, and the old holder can no longer mark', async () => {
        await store.outbox.enqueue({ ...entry, seq: 1 });
        const t0 = at(new Date(), 1000);
        const [mine] = await store.outbox.leaseDue(t0, 10, 'w1');
        // Renewed while sending: still ours after the first lease period.
        const renewed = await store.outbox.renewLease(mine!, at(t0, 20_000));
        expect(renewed?.getTime()).toBeGreaterThan(mine!.lease.expiresAt.getTime());
        mine!.lease.expiresAt = renewed!;
        expect(await store.outbox.leaseDue(at(t0, 40_000), 10, 'w2')).toEqual([]);
        // w1 stalls: long after its lease ran out, w2 takes the conversation over.
        const late = at(t0, 120_000);
        const [theirs] = await store.outbox.leaseDue(late, 10, 'w2');
        expect([theirs!.id, theirs!.attempts]).toEqual([mine!.id, 2]);
        expect(await store.outbox.renewLease(mine!, late)).toBeUndefined();
        expect(await store.outbox.markSent(mine!, late)).toBe(false);
        expect((await store.outbox.get(mine!.id))?.status).toBe('pending');
        expect(await store.outbox.markSent(theirs!, late)).toBe(true);
        expect((await store.outbox.get(mine!.id))?.status).toBe('sent');
      });

      it('orders by the stored message when enqueue is not told its seq', async () => {
        const c = await newConversation('seq-user');
        const appended = [];
        for (const text of ['one', 'two']) {
          appended.push(
            (await store.messages.append({ conversationId: c.id, residentId: c.residentId, channel: 'app', direction: 'outbound', author: 'bot', content: textContent(text) })).message,
          );
        }
        const e = await store.outbox.enqueue({ messageId: appended[1]!.id, conversationId: c.id, channel: 'telegram', externalUserId: 'seq-user' });
        expect(e.seq).toBe(appended[1]!.seq);
      });

      it('lets a supervisor retry or discard a failed entry, and lists what needs attention', async () => {
        const a = await store.outbox.enqueue({ ...entry, conversationId: 'c1', seq: 1 });
        const b = await store.outbox.enqueue({ ...entry, conversationId: 'c2', seq: 1 });
        const now = at(new Date(), 1000);
        for (const leased of await store.outbox.leaseDue(now, 10, 'w1')) {
          await store.outbox.markFailed(leased, leased.id === a.id ? 'HTTP 400 chat not found' : 'HTTP 502', leased.id === a.id ? undefined : at(now, 60_000));
        }
        expect((await store.outbox.listByStatus('failed', 10)).map((x) => [x.id, x.lastError])).toEqual([[a.id, 'HTTP 400 chat not found']]);
        expect((await store.outbox.listRetrying(10)).map((x) => x.id)).toEqual([b.id]);
        expect(await store.outbox.summary()).toMatchObject({ pending: 1, failed: 1 });
        // Only failed entries can be reviewed.
        expect(await store.outbox.retry(b.id, now)).toBeUndefined();
        expect(await store.outbox.discard('nope', now)).toBeUndefined();
        const retried = await store.outbox.retry(a.id, now);
        expect(retried).toMatchObject({ status: 'pending', attempts: 0 });
        const [again] = await store.outbox.leaseDue(at(now, 1), 10, 'w2');
        expect(again!.id).toBe(a.id);
        await store.outbox.markFailed(again!, 'HTTP 400 chat not found');
        expect(await store.outbox.discard(a.id, now)).toMatchObject({ status: 'discarded' });
        expect(await store.outbox.retry(a.id, now)).toBeUndefined();
        expect((await store.outbox.summary()).failed).toBe(0);
      });

      it("forgets a conversation's entries and lease when it is deleted", async () => {
        await store.outbox.enqueue({ ...entry, seq: 1 });
        const now = at(new Date(), 1000);
        expect(await store.outbox.leaseDue(now, 10, 'w1')).toHaveLength(1);
        expect(await store.outbox.deleteByConversation('c1')).toBe(1);
        const fresh = await store.outbox.enqueue({ ...entry, seq: 2 });
        expect((await store.outbox.leaseDue(now, 10, 'w2')).map((x) => x.id)).toEqual([fresh.id]);
      });
    });

    describe('audit', () => {
      it('records and filters events', async () => {
        await store.audit.record({ actor: 'admin', action: 'privacy.export', subject: 'r1' });
        await store.audit.record({ actor: 'c1', action: 'conversation.accept', subject: 'conv1' });
        const events = await store.audit.list({ subject: 'r1' });
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ actor: 'admin', action: 'privacy.export' });
        expect(Number.isFinite(events[0]!.at.getTime())).toBe(true);
      });
    });
  });
}
