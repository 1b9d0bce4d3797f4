/**
 * Supervisors and undelivered replies, end to end: a resident on Telegram whose replies the Bot
 * API refuses (the resident had blocked the bot), the supervisor sees them with the reason, retries
 * one once the resident unblocked the bot (it arrives), discards another, and both are audited.
 */
import { FakeTelegramServer, telegramUpdates } from '../../channels/telegram/fake-telegram-server';
import type { Service } from '../../src/main';
import { FAST_OUTBOX, conversationOf, postRaw } from '../channels/channel-test-kit';
import { startService } from '../support/service';
import { createStaff, eventually, type ConsoleClient } from './console-client';

const TOKEN = '7000000003:AAH-outbox-review';
const SECRET = 'tg-webhook-secret_outbox_review';
const ADMIN = { login: 'admin', password: 'admin-password-1' };

interface OutboxItem {
  id: string;
  conversationId: string;
  status: string;
  lastError?: string;
  preview?: string;
}

let fake: FakeTelegramServer;
let service: Service;
let staff: Record<string, ConsoleClient>;
beforeAll(async () => {
  fake = new FakeTelegramServer(TOKEN);
  const apiRoot = await fake.start();
  service = await startService({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: apiRoot,
    ADMIN_LOGIN: ADMIN.login,
    ADMIN_PASSWORD: ADMIN.password,
    LOGIN_RATE_LIMIT: '1000',
    ...FAST_OUTBOX,
  });
  staff = await createStaff(service.url, ADMIN, [
    { login: 'boss', role: 'supervisor' },
    { login: 'kim', role: 'counselor' },
  ]);
}, 180_000);
afterAll(async () => {
  await service?.close();
  await fake?.stop();
});

const say = (chat: number, n: number, text: string) =>
  postRaw(`${service.url}/webhooks/telegram`, JSON.stringify(telegramUpdates.text(chat, n, text)), { 'x-telegram-bot-api-secret-token': SECRET });

it('shows failed replies to supervisors only, and retries or discards them with an audit record', async () => {
  const chat = 6_200_001;
  fake.blockedChats.add(String(chat));
  expect((await say(chat, 1, '안녕하세요')).status).toBe(200);
  const conversation = await conversationOf(service, 'telegram', String(chat));
  const boss = staff['boss']!;
  const failed = await eventually(async () => {
    const res = await boss.get<{ items: OutboxItem[]; summary: { failed: number } }>('/outbox?view=failed');
    const mine = res.body.items.filter((i) => i.conversationId === conversation.id);
    return mine.length > 0 && { mine, summary: res.body.summary };
  }, 30_000, 'the blocked reply to show as failed');
  const [item] = failed.mine;
  expect(item).toMatchObject({ status: 'failed', lastError: expect.stringContaining('blocked') });
  expect(item!.preview?.length).toBeGreaterThan(0);
  expect(failed.summary.failed).toBeGreaterThanOrEqual(1);

  // Counselors cannot see or act on them; a supervisor's retry needs the CSRF token.
  expect((await staff['kim']!.get('/outbox')).status).toBe(403);
  expect((await staff['kim']!.post(`/outbox/${item!.id}/retry`)).status).toBe(403);
  expect((await boss.request('POST', `/outbox/${item!.id}/retry`, {}, { 'x-csrf-token': 'wrong' })).status).toBe(403);

  // The resident unblocked the bot: the retried reply arrives.
  fake.blockedChats.delete(String(chat));
  const retried = await boss.post<OutboxItem>(`/outbox/${item!.id}/retry`);
  expect(retried.status).toBe(200);
  expect(retried.body.status).toBe('pending');
  const [delivered] = await fake.waitForSent(chat, 1, 20_000);
  expect(String(delivered!.body.text)).toContain(item!.preview!.slice(0, 10));
  expect((await boss.post(`/outbox/${item!.id}/retry`)).status).toBe(409);

  // Blocked again: the next reply fails, and the supervisor gives it up.
  fake.blockedChats.add(String(chat));
  expect((await say(chat, 2, '도움이 필요해요')).status).toBe(200);
  const second = await eventually(async () => {
    const res = await boss.get<{ items: OutboxItem[] }>('/outbox');
    return res.body.items.find((i) => i.conversationId === conversation.id && i.id !== item!.id);
  }, 30_000, 'the second reply to fail');
  const discarded = await boss.post<OutboxItem>(`/outbox/${second.id}/discard`, { note: 'resident blocked the bot again' });
  expect(discarded.body.status).toBe('discarded');
  expect((await boss.post(`/outbox/${second.id}/retry`)).status).toBe(409);
  expect((await boss.post('/outbox/no-such-entry/discard', {})).status).toBe(404);
  const listed = await boss.get<{ items: OutboxItem[] }>('/outbox?view=discarded');
  expect(listed.body.items.map((i) => i.id)).toContain(second.id);

  const audit = async (subject: string) =>
    (await boss.get<{ items: { action: string; actor: string; details?: Record<string, unknown> }[] }>(`/audit?subject=${subject}`)).body.items;
  expect(await audit(item!.id)).toEqual([
    expect.objectContaining({ action: 'outbox.retry', details: expect.objectContaining({ conversationId: conversation.id, lastError: expect.stringContaining('blocked') }) }),
  ]);
  expect(await audit(second.id)).toEqual([
    expect.objectContaining({ action: 'outbox.discard', details: expect.objectContaining({ note: 'resident blocked the bot again' }) }),
  ]);
}, 120_000);

it('documents the routes in the console OpenAPI document', async () => {
  const doc = (await (await fetch(`${service.url}/api/console/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { 'x-roles': string[] }>> };
  expect(doc.paths['/outbox']?.get?.['x-roles']).toEqual(['supervisor']);
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/outbox/{id}/retry', '/outbox/{id}/discard']));
});
