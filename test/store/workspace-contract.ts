/** Contract of the counselor workspace stores (media, canned answers, message search), run on every implementation. */
import type { Store } from '../../src/core/store-port';

export function runWorkspaceContract(name: string, makeStore: () => Promise<Store>) {
  describe(`workspace stores: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const photo = (size: number, seed = 7) => Buffer.from(Array.from({ length: size }, (_, i) => (i * seed + (i >> 8)) & 0xff));

    it('stores a photo larger than one chunk and reads back the same bytes', async () => {
      const bytes = photo(700 * 1024 + 13);
      const { media, inserted } = await store.media.put({ key: 'r1:c1', conversationId: 'conv-1', residentId: 'r1', mimeType: 'image/jpeg', source: 'resident', bytes });
      expect(inserted).toBe(true);
      expect(media).toMatchObject({ key: 'r1:c1', size: bytes.length, mimeType: 'image/jpeg' });
      const back = await store.media.read(media.id);
      expect(back?.equals(bytes)).toBe(true);
      expect(await store.media.get(media.id)).toMatchObject({ id: media.id, conversationId: 'conv-1' });
      expect(await store.media.read('missing')).toBeUndefined();
    });

    it('stores a retried upload once, also when both tries race', async () => {
      const input = { key: 'r1:same', conversationId: 'conv-1', residentId: 'r1', mimeType: 'image/png', source: 'resident' as const };
      const [a, b] = await Promise.all([store.media.put({ ...input, bytes: photo(1000, 3) }), store.media.put({ ...input, bytes: photo(1000, 5) })]);
      expect(a.media.id).toBe(b.media.id);
      expect([a.inserted, b.inserted].filter(Boolean)).toHaveLength(1);
      const again = await store.media.put({ ...input, bytes: photo(10) });
      expect(again).toMatchObject({ inserted: false, media: { id: a.media.id } });
      expect((await store.media.read(a.media.id))?.length).toBe(1000);
    });

    it('deletes a conversation’s media and nothing else', async () => {
      const one = await store.media.put({ key: 'k1', conversationId: 'c-del', residentId: 'r', mimeType: 'image/gif', source: 'counselor', uploadedBy: 'u1', bytes: photo(20) });
      const other = await store.media.put({ key: 'k2', conversationId: 'c-keep', residentId: 'r', mimeType: 'image/gif', source: 'channel', bytes: photo(20) });
      expect(await store.media.deleteByConversation('c-del')).toBe(1);
      expect(await store.media.get(one.media.id)).toBeUndefined();
      expect(await store.media.read(one.media.id)).toBeUndefined();
      expect(await store.media.findByKey('k2')).toMatchObject({ id: other.media.id });
    });

    it('shows personal canned answers to their owner and team ones to the team', async () => {
      const mine = await store.cannedAnswers.create({ scope: 'personal', ownerId: 'u1', title: '인사', text: '안녕하세요, 120입니다.', language: 'ko' });
      await store.cannedAnswers.create({ scope: 'personal', ownerId: 'u2', title: '남의 것', text: '...', language: 'ko' });
      const team = await store.cannedAnswers.create({ scope: 'team', ownerId: 'u3', team: 'welfare', title: '복지', text: '복지로 안내', language: 'ko' });
      await store.cannedAnswers.create({ scope: 'team', ownerId: 'u3', team: 'transport', title: '교통', text: '교통 안내', language: 'ko' });
      const visible = await store.cannedAnswers.listVisible('u1', ['welfare']);
      expect(visible.map((r) => r.id).sort()).toEqual([mine.id, team.id].sort());
      const updated = await store.cannedAnswers.update(mine.id, { text: '안녕하세요, 경기도 120입니다.' });
      expect(updated.text).toBe('안녕하세요, 경기도 120입니다.');
      await store.cannedAnswers.delete(mine.id);
      expect(await store.cannedAnswers.get(mine.id)).toBeUndefined();
    });

    it('finds messages by every word, resident and date, newest first', async () => {
      const conv = await store.conversations.create({ residentId: 'res-a', channel: 'app', externalUserId: 'ext-a', language: 'ko', state: 'bot', priority: 'normal' });
      const other = await store.conversations.create({ residentId: 'res-b', channel: 'app', externalUserId: 'ext-b', language: 'ko', state: 'bot', priority: 'normal' });
      const say = (c: typeof conv, text: string, at: string) =>
        store.messages.append({ conversationId: c.id, residentId: c.residentId, channel: 'app', direction: 'inbound', author: 'resident', content: { text }, createdAt: new Date(at) });
      await say(conv, '도로에 포트홀이 생겼어요 (a.b*)', '2026-03-01T10:00:00Z');
      await say(conv, '포트홀 사진 보낼게요', '2026-03-02T10:00:00Z');
      await say(other, 'Pothole on the ROAD near the station', '2026-03-03T10:00:00Z');

      const both = await store.messageSearch.find({ words: ['포트홀'], limit: 10 });
      expect(both.map((m) => m.content.text)).toEqual(['포트홀 사진 보낼게요', '도로에 포트홀이 생겼어요 (a.b*)']);
      expect((await store.messageSearch.find({ words: ['포트홀', '도로'], limit: 10 })).map((m) => m.content.text)).toEqual(['도로에 포트홀이 생겼어요 (a.b*)']);
      // Regex characters are literal; case does not matter.
      expect(await store.messageSearch.find({ words: ['a.b*'], limit: 10 })).toHaveLength(1);
      expect(await store.messageSearch.find({ words: ['x.b*'], limit: 10 })).toHaveLength(0);
      expect((await store.messageSearch.find({ words: ['road'], limit: 10 }))[0]?.residentId).toBe('res-b');
      expect(await store.messageSearch.find({ residentId: 'res-a', limit: 10 })).toHaveLength(2);
      expect((await store.messageSearch.find({ conversationId: other.id, limit: 1 }))[0]?.content.text).toMatch(/Pothole/);
      const day = await store.messageSearch.find({ from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-03T00:00:00Z'), limit: 10 });
      expect(day.map((m) => m.content.text)).toEqual(['포트홀 사진 보낼게요']);
    });
  });
}
