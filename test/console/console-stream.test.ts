/**
 * The console's live WebSocket: only signed-in users from this origin connect; supervisors hear
 * alerts; a counselor hears about the queue and their own chats, not other counselors' chats.
 */
import WebSocket from 'ws';
import type { Service } from '../../src/main';
import { AppClient, startService } from '../support/service';
import { createStaff, eventually, type ConsoleClient } from './console-client';

const ADMIN = { login: 'admin', password: 'admin-password-1' };

interface Frame {
  type: string;
  conversationId?: string;
  alert?: { kind: string; conversationId?: string };
}

/** Opens the stream as a console user and records every frame. */
async function listen(service: Service, client: ConsoleClient | undefined, origin = service.url) {
  const frames: Frame[] = [];
  const ws = new WebSocket(`${service.url.replace('http', 'ws')}/api/console/v1/stream`, {
    headers: { origin, ...(client && { cookie: client.cookie }) },
  });
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));
  const opened = await new Promise<boolean>((resolve) => {
    ws.once('open', () => resolve(true));
    ws.once('unexpected-response', () => resolve(false));
    ws.once('error', () => resolve(false));
  });
  return { ws, frames, opened };
}

describe('console live stream', () => {
  let service: Service;
  let staff: Record<string, ConsoleClient>;
  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000', HANDOFF_TICK_MS: '200' });
    staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor' },
      { login: 'lee', role: 'counselor' },
      { login: 'boss', role: 'supervisor' },
    ]);
  });
  afterAll(async () => {
    await service.close();
  });

  it('refuses anonymous and cross-site connections', async () => {
    expect((await listen(service, undefined)).opened).toBe(false);
    const crossSite = await listen(service, staff.kim, 'https://evil.example');
    expect(crossSite.opened).toBe(false);
  });

  it('pushes crisis alerts to supervisors and message news only to the chat’s owner', async () => {
    const boss = await listen(service, staff.boss);
    const kim = await listen(service, staff.kim);
    const lee = await listen(service, staff.lee);
    expect([boss.opened, kim.opened, lee.opened]).toEqual([true, true, true]);

    const resident = new AppClient(service.url);
    await resident.start();
    await resident.say('너무 힘들어서 죽고 싶어요');
    const alert = await eventually(async () => boss.frames.find((f) => f.type === 'alert'), 10_000, 'alert frame');
    expect(alert.alert).toMatchObject({ kind: 'crisis', conversationId: resident.conversationId });
    await eventually(async () => kim.frames.some((f) => f.type === 'queue'), 10_000, 'queue frame');
    expect(kim.frames.some((f) => f.type === 'alert')).toBe(false);

    expect((await staff.kim!.post(`/conversations/${resident.conversationId}/accept`)).status).toBe(200);
    kim.frames.length = 0;
    lee.frames.length = 0;
    await resident.say('아직 거기 계세요?');
    await eventually(async () => kim.frames.some((f) => f.type === 'message' && f.conversationId === resident.conversationId), 10_000, 'message frame to owner');
    await eventually(async () => boss.frames.some((f) => f.type === 'message' && f.conversationId === resident.conversationId), 10_000, 'message frame to supervisor');
    expect(lee.frames.filter((f) => f.conversationId === resident.conversationId)).toEqual([]);
    for (const s of [boss, kim, lee]) s.ws.close();
  });

  it('closes the stream when the session ends', async () => {
    const client = staff.lee!;
    const stream = await listen(service, client);
    expect(stream.opened).toBe(true);
    const closed = new Promise<number>((resolve) => stream.ws.once('close', (code) => resolve(code)));
    await client.post('/logout');
    // The server checks sessions on its heartbeat; a logged-out cookie cannot reconnect either.
    expect((await listen(service, client)).opened).toBe(false);
    stream.ws.close();
    expect(await closed).toBeGreaterThan(0);
  });
});
