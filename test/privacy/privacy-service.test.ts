/** Export then delete one resident, on the memory store and on MongoDB (FerretDB). */
import type { Store } from '../../src/core/store-port';
import { PRIVACY_DELETE, PRIVACY_EXPORT, PrivacyService } from '../../src/privacy/privacy-service';
import { MemoryStore } from '../../src/store/memory-store';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { FERRETDB_START_TIMEOUT_MS, startFerretDB, type FerretDB } from '../support/ferretdb';

let server: FerretDB | undefined;
let dbCounter = 0;
beforeAll(async () => {
  server = await startFerretDB();
}, FERRETDB_START_TIMEOUT_MS);
afterAll(async () => {
  await server?.stop();
});

const stores: [string, () => Promise<Store>][] = [
  ['memory', async () => new MemoryStore()],
  [
    'mongodb (FerretDB)',
    () => MongoStore.connect(`mongodb://127.0.0.1:${server!.port}/privacy${++dbCounter}`),
  ],
];

// Personal data that must leave with the resident and never appear in the audit trail.
const SECRET = {
  externalUserId: 'tg-7770001',
  text: '제 전화번호는 010-1234-5678 입니다',
  tokenHash: 'hash-of-app-token',
  deviceId: 'device-abc',
  address: '수원시 팔달구 효원로 1',
};
let ticketSeq = 0;

/** Two identities, a closed and an open conversation with messages and outbox, a ticket, one app session. */
async function seedResident(store: Store) {
  const resident = await store.residents.findOrCreateByIdentity(
    { channel: 'telegram', externalUserId: SECRET.externalUserId },
    { locale: 'ko' },
  );
  await store.residents.linkIdentity(resident.id, { channel: 'app', externalUserId: SECRET.deviceId });
  const conversations = [];
  for (const [channel, externalUserId] of [
    ['telegram', SECRET.externalUserId],
    ['app', SECRET.deviceId],
  ] as const) {
    const c = await store.conversations.create({
      residentId: resident.id,
      channel,
      externalUserId,
      language: 'ko',
      state: 'bot',
      priority: 'normal',
    });
    const base = { conversationId: c.id, residentId: resident.id, channel };
    await store.messages.append({
      ...base,
      direction: 'inbound',
      author: 'resident',
      channelMessageId: `${channel}-1`,
      content: { text: SECRET.text },
    });
    const reply = await store.messages.append({
      ...base,
      direction: 'outbound',
      author: 'counselor',
      authorId: 'c1',
      content: { text: '확인했습니다' },
    });
    await store.outbox.enqueue({
      messageId: reply.message.id,
      conversationId: c.id,
      channel,
      externalUserId,
    });
    conversations.push(c);
  }
  await store.tickets.create({
    reference: `GG-20260601-${String(++ticketSeq).padStart(4, '0')}`,
    category: 'road_damage_report',
    residentId: resident.id,
    conversationId: conversations[0]!.id,
    channel: 'telegram',
    externalUserId: SECRET.externalUserId,
    language: 'ko',
    location: { latitude: 37.26, longitude: 127.03, address: SECRET.address },
    description: SECRET.text,
    photos: [],
  });
  await store.conversations.update(conversations[0]!.id, { state: 'closed', closedAt: new Date() });
  // Handoff records: a queue episode, a survey answer with a comment, an alert and a flag.
  const first = conversations[0]!;
  await store.episodes.open({
    id: `${first.id}:1`,
    conversationId: first.id,
    handoffSeq: 1,
    residentId: resident.id,
    channel: 'telegram',
    language: 'ko',
    priority: 'request',
    reason: 'asked',
    queuedAt: new Date(),
  });
  await store.surveys.create({
    kind: 'csat',
    conversationId: first.id,
    residentId: resident.id,
    channel: 'telegram',
    externalUserId: SECRET.externalUserId,
    language: 'ko',
    status: 'complete',
    scores: { kindness: 5 },
    comment: SECRET.text,
    sentAt: new Date(),
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  await store.alerts.raise({ kind: 'abuse', key: `abuse:${first.id}:1`, conversationId: first.id, message: 'abusive message', raisedAt: new Date() });
  await store.messageFlags.flag({ messageId: 'm-flagged', conversationId: first.id, kind: 'abusive', at: new Date() });
  await store.appSessions.create({
    tokenHash: SECRET.tokenHash,
    residentId: resident.id,
    conversationId: conversations[1]!.id,
    deviceId: SECRET.deviceId,
    createdAt: new Date(),
  });
  // A question the bot could not answer, kept for staff review.
  await store.unanswered.record({ key: `ko:${SECRET.text}`, text: SECRET.text, language: 'ko', reason: 'low_confidence', residentId: resident.id });
  return { resident, conversations };
}

describe.each(stores)('PrivacyService on %s', (kind, makeStore) => {
  let store: Store;
  let privacy: PrivacyService;
  beforeEach(async () => {
    store = await makeStore();
    privacy = new PrivacyService(store);
  });
  afterEach(async () => {
    await store.close();
  });

  it('exports everything about a resident, then deletes it all except the audit trail', async () => {
    const { resident, conversations } = await seedResident(store);
    const bystander = await store.residents.findOrCreateByIdentity({
      channel: 'telegram',
      externalUserId: 'someone-else',
    });
    const other = await store.conversations.create({
      residentId: bystander.id,
      channel: 'telegram',
      externalUserId: 'someone-else',
      language: 'en',
      state: 'bot',
      priority: 'normal',
    });
    await store.messages.append({
      conversationId: other.id,
      residentId: bystander.id,
      channel: 'telegram',
      direction: 'inbound',
      author: 'resident',
      content: { text: 'hello' },
    });
    await store.outbox.enqueue({
      messageId: 'x',
      conversationId: other.id,
      channel: 'telegram',
      externalUserId: 'someone-else',
    });
    await store.appSessions.create({
      tokenHash: 'other-hash',
      residentId: bystander.id,
      conversationId: other.id,
      deviceId: 'd2',
      createdAt: new Date(),
    });

    const exported = await privacy.exportResident(resident.id, 'admin-1');
    expect(exported.resident).toMatchObject({ id: resident.id, locale: 'ko' });
    expect(exported.resident.identities).toEqual([
      { channel: 'telegram', externalUserId: SECRET.externalUserId },
      { channel: 'app', externalUserId: SECRET.deviceId },
    ]);
    expect(exported.conversations.map((c) => c.id).sort()).toEqual(conversations.map((c) => c.id).sort());
    expect(exported.messages).toHaveLength(4);
    expect(exported.messages.filter((m) => m.content.text === SECRET.text)).toHaveLength(2);
    expect(exported.surveys.map((x) => x.comment)).toEqual([SECRET.text]);
    expect(exported.unanswered.map((x) => [x.text, x.askedByResident])).toEqual([[SECRET.text, 1]]);
    expect(exported.tickets.map((t) => [t.residentId, t.location?.address])).toEqual([
      [resident.id, SECRET.address],
    ]);
    expect(JSON.stringify(exported)).not.toContain(SECRET.tokenHash);
    expect(exported.appSessions).toEqual([
      {
        residentId: resident.id,
        conversationId: conversations[1]!.id,
        deviceId: SECRET.deviceId,
        createdAt: expect.any(Date),
      },
    ]);

    const report = await privacy.deleteResident(resident.id, 'admin-1');
    expect(report).toEqual({
      residentId: resident.id,
      conversations: 2,
      messages: 4,
      outbox: 2,
      appSessions: 1,
      tickets: 1,
      handoffRecords: 4,
      unanswered: 1,
    });

    expect(await store.residents.get(resident.id)).toBeUndefined();
    expect(await store.unanswered.list({})).toEqual([]);
    expect(await store.conversations.list({ residentId: resident.id })).toEqual([]);
    expect(await store.messages.listByResident(resident.id)).toEqual([]);
    for (const c of conversations) {
      expect(await store.conversations.get(c.id)).toBeUndefined();
      expect(await store.messages.listByConversation(c.id)).toEqual([]);
    }
    const outbox = await store.outbox.listByStatus('pending', 100);
    expect(outbox.map((e) => e.conversationId)).toEqual([other.id]);
    expect(await store.appSessions.findByTokenHash(SECRET.tokenHash)).toBeUndefined();
    expect(await store.conversations.findOpen('app', SECRET.deviceId)).toBeUndefined();
    expect(await store.tickets.list({ residentId: resident.id })).toEqual([]);
    for (const c of conversations) {
      expect(await store.episodes.listByConversation(c.id)).toEqual([]);
      expect(await store.surveys.listByConversation(c.id)).toEqual([]);
      expect(await store.messageFlags.listByConversation(c.id)).toEqual([]);
    }
    expect((await store.alerts.list({})).filter((a) => conversations.some((c) => c.id === a.conversationId))).toEqual([]);

    // The bystander is untouched.
    expect(await store.residents.get(bystander.id)).toBeDefined();
    expect(await store.messages.listByConversation(other.id)).toHaveLength(1);
    expect(await store.appSessions.findByTokenHash('other-hash')).toBeDefined();

    // The audit entries remain, without the personal data they were about.
    const audit = await store.audit.list({ subject: resident.id });
    expect(audit.map((e) => [e.actor, e.action])).toEqual([
      ['admin-1', PRIVACY_EXPORT],
      ['admin-1', PRIVACY_DELETE],
    ]);
    expect(audit[1]!.details).toEqual({
      conversations: 2,
      messages: 4,
      outbox: 2,
      appSessions: 1,
      tickets: 1,
      handoffRecords: 4,
      unanswered: 1,
    });
    const trail = JSON.stringify(await store.audit.list({}));
    for (const secret of Object.values(SECRET)) expect(trail).not.toContain(secret);

    // The identities are free again: the same person writing later is a new resident.
    const again = await store.residents.findOrCreateByIdentity({
      channel: 'telegram',
      externalUserId: SECRET.externalUserId,
    });
    expect(again.id).not.toBe(resident.id);
  });

  it('rejects unknown residents with not_found and writes no audit event', async () => {
    await expect(privacy.exportResident('nobody', 'admin-1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(privacy.deleteResident('nobody', 'admin-1')).rejects.toMatchObject({ code: 'not_found' });
    expect(await store.audit.list({})).toEqual([]);
  });

  it('finishes a deletion that stopped midway when asked again', async () => {
    const { resident, conversations } = await seedResident(store);
    // Simulate a crash after the first conversation record went but before its messages did.
    await store.conversations.delete(conversations[0]!.id);
    const report = await privacy.deleteResident(resident.id, 'admin-1');
    expect(report).toMatchObject({ conversations: 1, messages: 4, outbox: 2 });
    expect(await store.messages.listByResident(resident.id)).toEqual([]);
  });
});
