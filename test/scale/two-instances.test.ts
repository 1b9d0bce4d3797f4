/**
 * Acceptance (issue 15, "Shared events on Redis"): two instances on one database and one Redis
 * behave as one service. A reply made on A reaches the resident's WebSocket on B; a counselor on A
 * and a resident on B talk both ways; FAQ and intent edits on A change B's answers. Both instances
 * run in this process; each has its own copy of intents/ (as two containers would), so B learns of
 * an intent edit only through the store.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { Service } from '../../src/main';
import { createStaff, eventually, type ConsoleClient } from '../console/console-client';
import { admin, ADMIN_TOKEN, payloadsOf, Resident, textOf } from '../knowledge/kb-test-kit';
import { useFerretDB } from '../support/ferretdb';
import { useRedis } from '../support/redis';
import { AppClient, startService, type AppMessage } from '../support/service';

const ADMIN = { login: 'admin', password: 'admin-password-1' };

interface AppFrame {
  type: string;
  message?: AppMessage;
}

/** A resident's WebSocket on the app API: authenticates and records every frame. */
async function residentStream(service: Service, token: string) {
  const frames: AppFrame[] = [];
  const ws = new WebSocket(`${service.url.replace('http', 'ws')}/api/app/v1/stream`);
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as AppFrame));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'auth', token }));
  await eventually(async () => frames.some((f) => f.type === 'ready'), 10_000, 'stream ready');
  const messages = () => frames.filter((f) => f.type === 'message').map((f) => f.message!);
  return { ws, frames, messages };
}

/** A counselor's console stream: records every frame. */
async function consoleStream(service: Service, client: ConsoleClient) {
  const frames: { type: string; conversationId?: string }[] = [];
  const ws = new WebSocket(`${service.url.replace('http', 'ws')}/api/console/v1/stream`, {
    headers: { origin: service.url, cookie: client.cookie },
  });
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as { type: string }));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, frames };
}

describe('two instances sharing one database and one Redis', () => {
  const db = useFerretDB({ dbName: 'dajeong-two-instances' });
  const redis = useRedis();
  let a: Service;
  let b: Service;
  const dirs: string[] = [];
  const sockets: WebSocket[] = [];

  const start = async () => {
    const intentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dajeong-intents-'));
    dirs.push(intentsDir);
    fs.cpSync(path.join(__dirname, '..', '..', 'intents'), intentsDir, { recursive: true });
    return startService({
      MONGODB_URI: db().uri,
      REDIS_URL: redis().uri,
      INTENTS_DIR: intentsDir,
      ADMIN_TOKEN,
      ADMIN_LOGIN: ADMIN.login,
      ADMIN_PASSWORD: ADMIN.password,
      LOGIN_RATE_LIMIT: '1000',
      ROUTING: 'manual',
      HANDOFF_TICK_MS: '200',
    });
  };

  beforeAll(async () => {
    // One after the other, as a rolling start would: the first seeds the FAQ and the first admin.
    a = await start();
    b = await start();
  }, 900_000); // each start seeds and indexes the FAQ; minutes on a loaded 2-core machine
  afterAll(async () => {
    for (const ws of sockets) ws.close();
    await Promise.all([a?.close(), b?.close()]);
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }, 900_000); // a graceful close waits for the retraining and FAQ re-tuning the intent edit started (minutes under full-suite load: 300 s ran out once in the fresh-clone CI while the crisis heads trained)

  it('runs both instances on the Redis bus', () => {
    expect([a.bus.kind, b.bus.kind]).toEqual(['redis', 'redis']);
  });

  it("delivers a reply made on A to the resident's WebSocket on B", async () => {
    const resident = new AppClient(a.url);
    await resident.start({ deviceId: 'two-instances-ws', locale: 'ko-KR' });
    const onB = await residentStream(b, resident.token);
    sockets.push(onB.ws);
    const { messageId } = await resident.say('음식물 쓰레기는 어떻게 버려요?');
    // The welcome was stored at session start; the reply is the bot message after the resident's.
    const afterResident = () => onB.messages().slice(onB.messages().findIndex((m) => m.id === messageId) + 1);
    const reply = await eventually(async () => onB.messages().some((m) => m.id === messageId) && afterResident().find((m) => m.author === 'bot'), 10_000, 'bot reply on B');
    expect(reply.text).toBeTruthy();
    // The resident's own message came through, before the reply, and every message once.
    const ids = onB.messages().map((m) => m.id);
    expect(ids.indexOf(messageId)).toBeLessThan(ids.indexOf(reply.id));
    expect(new Set(ids).size).toBe(ids.length);
  }, 30_000);

  it('lets a counselor on A and a resident on B talk both ways', async () => {
    const staff = await createStaff(a.url, ADMIN, [{ login: 'kim', role: 'counselor', languages: ['ko'] }]);
    const kim = staff.kim!;
    const desk = await consoleStream(a, kim);
    sockets.push(desk.ws);

    const resident = new AppClient(b.url);
    await resident.start({ deviceId: 'two-instances-chat', locale: 'ko-KR' });
    const stream = await residentStream(b, resident.token);
    sockets.push(stream.ws);
    await resident.say('상담사 연결해 주세요');
    await eventually(async () => (await b.store.conversations.get(resident.conversationId))?.state === 'queued', 10_000, 'queued');
    expect((await kim.post(`/conversations/${resident.conversationId}/accept`)).status).toBe(200);

    // Resident (B) -> counselor (A): the console stream on A hears of the new message.
    desk.frames.length = 0;
    const { messageId } = await resident.say('여권 재발급 서류가 궁금해요');
    await eventually(
      async () => desk.frames.some((f) => f.type === 'message' && f.conversationId === resident.conversationId),
      10_000,
      'message frame on A',
    );
    const detail = await kim.get<{ messages: { id: string }[] }>(`/conversations/${resident.conversationId}`);
    expect(detail.body.messages.map((m) => m.id)).toContain(messageId);

    // Counselor (A) -> resident (B): pushed on B's WebSocket, and answered to B's long-poll.
    resident.cursor = undefined;
    const text = '신분증과 사진 한 장을 가져오시면 됩니다.';
    const longPoll = (async () => {
      const seen: AppMessage[] = [];
      return eventually(async () => {
        seen.push(...(await resident.poll(10)));
        return seen.find((m) => m.author === 'counselor' && m.text === text);
      }, 20_000, 'counselor reply on the long-poll');
    })();
    expect((await kim.post(`/conversations/${resident.conversationId}/messages`, { text })).status).toBe(200);
    const pushed = await eventually(async () => stream.messages().find((m) => m.author === 'counselor'), 10_000, 'counselor reply on B');
    expect(pushed.text).toBe(text);
    expect((await longPoll).author).toBe('counselor');
  }, 60_000);

  it("changes B's next answer after an FAQ edit on A", async () => {
    const question = '음식물 쓰레기는 어떻게 버려요?';
    const first = await new Resident(b).start().then((r) => r.say(question));
    const answered = payloadsOf(first).find((p) => p.startsWith('faq:unhelpful:'))!.slice('faq:unhelpful:'.length);
    const current = await admin<{ entry: { answer: Record<string, string> } & Record<string, unknown>; version: number }>(a, 'GET', `/faq/${answered}`);
    const marker = '두 번째 인스턴스도 이 수정을 압니다.';
    const reloadedOnB = async () => (await admin<{ reloadedAt?: string }>(b, 'GET', '/kb/status')).body.reloadedAt;
    const before = await reloadedOnB();
    const put = await admin(a, 'PUT', `/faq/${answered}?expectedVersion=${current.body.version}`, {
      ...current.body.entry,
      answer: { ...current.body.entry.answer, ko: `${marker} ${current.body.entry.answer.ko}` },
    });
    expect(put.status).toBe(200);
    await eventually(async () => (await reloadedOnB()) !== before, 60_000, 'FAQ index rebuilt on B');
    const after = await new Resident(b).start().then((r) => r.say(question));
    expect(textOf(after)).toContain(marker);
  }, 180_000); // index rebuilds on both instances in one process, on a busy machine: the 2 s goal is for a benchmark

  it("brings an intent edit made on A into B's classifier", async () => {
    const text = '두 인스턴스 확인용 층간소음 문의 예문';
    const added = await admin(a, 'POST', '/intents/noise_complaint/examples', { language: 'ko', text });
    expect(added.status).toBe(201);
    const onB = await eventually(async () => {
      const res = await admin<{ examples: Record<string, string[]> }>(b, 'GET', '/intents/noise_complaint');
      return res.body.examples.ko?.includes(text) && res.body;
    }, 60_000, 'example known on B');
    expect(onB.examples.ko).toContain(text);
    const fileOnB = JSON.parse(fs.readFileSync(path.join(dirs[1]!, 'noise_complaint.json'), 'utf8')) as { examples: Record<string, string[]> };
    expect(fileOnB.examples.ko).toContain(text);
  }, 180_000); // retraining and re-tuning on both instances
});
