/**
 * One owner at a time: counselors accepting the same chat at the same instant get exactly one
 * 200 and a clear 409 for everyone else — on one instance with the memory store, and across two
 * instances sharing a MongoDB-wire server (FerretDB), where a filter-guarded update would not do.
 */
import type { Service } from '../../src/main';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { FERRETDB_START_TIMEOUT_MS, startFerretDB, type FerretDB } from '../support/ferretdb';
import { AppClient, startService } from '../support/service';
import { ConsoleClient, createStaff, eventually, type QueueItem } from '../console/console-client';

const ADMIN = { login: 'admin', password: 'admin-password-1' };
const ENV = { ROUTING: 'manual', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000' };

async function queuedChat(service: Service): Promise<string> {
  const resident = new AppClient(service.url);
  await resident.start();
  await resident.say('상담사 연결해 주세요');
  await eventually(async () => (await service.store.conversations.get(resident.conversationId))?.state === 'queued', 10_000, 'queued');
  return resident.conversationId;
}

async function race(clients: ConsoleClient[], conversationId: string) {
  return Promise.all(clients.map((c) => c.post(`/conversations/${conversationId}/accept`)));
}

function expectOneWinner(results: { status: number; body: Record<string, unknown> }[]) {
  expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(results.length - 1).fill(409)]);
  for (const loser of results.filter((r) => r.status === 409)) {
    expect(loser.body).toMatchObject({ error: { code: 'already_assigned', message: expect.stringMatching(/이미 이 상담을 수락했습니다/) } });
  }
}

describe('accepting the same chat at the same instant (memory store, one instance)', () => {
  let service: Service;
  let staff: Record<string, ConsoleClient>;
  beforeAll(async () => {
    service = await startService(ENV);
    staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor' },
      { login: 'lee', role: 'counselor' },
      { login: 'park', role: 'counselor' },
      { login: 'boss', role: 'supervisor' },
    ]);
  });
  afterAll(async () => {
    await service.close();
  });

  it('lets exactly one counselor win, tells the others who has it, and records one owner', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await queuedChat(service);
      const clients = [staff.kim!, staff.lee!, staff.park!, staff.boss!];
      const results = await race(clients, id);
      expectOneWinner(results);
      const winner = clients[results.findIndex((r) => r.status === 200)]!;
      const conversation = await service.store.conversations.get(id);
      expect(conversation).toMatchObject({ state: 'assigned' });
      const me = await winner.get<{ user: { id: string } }>('/session');
      expect(conversation?.assigneeId).toBe(me.body.user.id);
      const accepts = (await service.store.audit.list({ subject: id })).filter((e) => e.action === 'handoff.assign');
      expect(accepts).toHaveLength(1);
      expect(accepts[0]).toMatchObject({ actor: me.body.user.id, details: { from: 'queued', to: 'assigned' } });
      // The queue no longer offers it.
      const queue = await staff.kim!.get<{ items: QueueItem[] }>('/queue');
      expect(queue.body.items.map((i) => i.conversationId)).not.toContain(id);
      // Accepting again is harmless for the owner, refused for the others.
      expect((await winner.post(`/conversations/${id}/accept`)).status).toBe(200);
      const closed = await winner.post(`/conversations/${id}/close`, { resolution: 'answered', confirm: true });
      expect(closed.status).toBe(200);
    }
  });
});

describe('accepting the same chat at the same instant on two instances sharing FerretDB', () => {
  let db: FerretDB;
  let a: Service;
  let b: Service;
  let onA: Record<string, ConsoleClient>;
  let onB: ConsoleClient[];
  beforeAll(async () => {
    db = await startFerretDB();
    const uri = `mongodb://127.0.0.1:${db.port}/race`;
    a = await startService(ENV, await MongoStore.connect(uri));
    b = await startService(ENV, await MongoStore.connect(uri));
    onA = await createStaff(a.url, ADMIN, [
      { login: 'kim', role: 'counselor' },
      { login: 'lee', role: 'counselor' },
    ]);
    // The same accounts sign in on the other instance: sessions live in the shared store.
    onB = [];
    for (const login of ['kim', 'lee']) {
      const client = new ConsoleClient(b.url);
      expect((await client.login(login, `pw-${login}-secret`)).status).toBe(200);
      onB.push(client);
    }
  }, FERRETDB_START_TIMEOUT_MS);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.stop();
  });

  it('lets exactly one of the instances win, 5 rounds in a row', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await queuedChat(round % 2 ? a : b);
      const clients = round % 2 ? [onA.kim!, onB[1]!] : [onB[0]!, onA.lee!];
      const results = await race(clients, id);
      expectOneWinner(results);
      const owners = await Promise.all([a, b].map(async (s) => (await s.store.conversations.get(id))?.assigneeId));
      expect(owners[0]).toBeDefined();
      expect(owners[0]).toBe(owners[1]);
      const winner = clients[results.findIndex((r) => r.status === 200)]!;
      expect((await winner.post(`/conversations/${id}/close`, { resolution: 'answered', confirm: true })).status).toBe(200);
    }
  });
});
