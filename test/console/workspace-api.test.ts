/**
 * The counselor workspace over real HTTP: a Telegram resident's photo reaches staff through the
 * authenticated media proxy (never the bot token), a web resident's upload and a counselor's
 * attachment go both ways, search by ticket/words/resident/date respects who may read what, canned
 * answers are personal or team, and typing signals reach the resident's stream.
 */
import WebSocket from 'ws';
import { FakeTelegramServer, telegramUpdates } from '../../channels/telegram/fake-telegram-server';
import type { Service } from '../../src/main';
import { makePng } from '../support/png';
import { AppClient, startService } from '../support/service';
import { createStaff, eventually, type ConsoleClient } from './console-client';

jest.setTimeout(60_000);

const TOKEN = '7000000001:AAFakeTokenForMediaProxyTests_xyz';
const SECRET = 'tg-webhook-secret_media';
const ADMIN = { login: 'admin', password: 'admin-password-1' };

describe('console workspace API', () => {
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
      ROUTING: 'manual',
      ADMIN_LOGIN: ADMIN.login,
      ADMIN_PASSWORD: ADMIN.password,
      LOGIN_RATE_LIMIT: '1000',
    });
    staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor', languages: ['ko'], teams: ['welfare'] },
      { login: 'lee', role: 'counselor', languages: ['ko'], teams: ['transport'] },
      { login: 'boss', role: 'supervisor', languages: ['ko'] },
    ]);
  });
  afterAll(async () => {
    await service?.close();
    await fake?.stop();
  });

  const telegramPost = (update: unknown) =>
    fetch(`${service.url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) });

  async function rawGet(client: ConsoleClient, path: string) {
    const res = await fetch(`${service.url}/api/console/v1${path}`, { headers: { cookie: client.cookie } });
    const headers: string[] = [];
    res.headers.forEach((value, name) => headers.push(`${name}: ${value}`));
    return { status: res.status, type: res.headers.get('content-type'), headers: headers.join('\n'), bytes: Buffer.from(await res.arrayBuffer()) };
  }

  it('shows a Telegram photo to staff through the media proxy without exposing the bot token', async () => {
    const photo = makePng(64, 48);
    fake.addFile('AgACAgUAAxkBAAIBlarge', photo);
    expect((await telegramPost(telegramUpdates.photo(4_200_001, 10, '도로 사진이에요'))).status).toBe(200);
    const message = await eventually(async () => {
      const conversation = await service.store.conversations.findOpen('telegram', '4200001');
      const messages = conversation ? await service.store.messages.listByConversation(conversation.id) : [];
      return messages.find((m) => m.content.images?.length);
    }, 10_000, 'the photo message');
    expect(message.content.images![0]!.url).toBe('telegram-file:AgACAgUAAxkBAAIBlarge');

    const path = `/conversations/${message.conversationId}/messages/${message.id}/images/0`;
    const first = await rawGet(staff.boss!, path);
    expect(first.status).toBe(200);
    expect(first.type).toBe('image/png');
    expect(first.bytes.equals(photo)).toBe(true);
    expect(first.headers).not.toContain(TOKEN);
    const downloads = () => fake.http.requests.filter((r) => r.path.startsWith('/file/')).length;
    expect(downloads()).toBe(1);
    // Served from the media store the second time: the platform is not asked again.
    expect((await rawGet(staff.boss!, path)).bytes.equals(photo)).toBe(true);
    expect(downloads()).toBe(1);

    // A counselor who does not handle the chat cannot read it; nobody signed out can.
    expect((await rawGet(staff.kim!, path)).status).toBe(403);
    expect((await fetch(`${service.url}/api/console/v1${path}`)).status).toBe(401);
    expect((await rawGet(staff.boss!, `/conversations/${message.conversationId}/messages/${message.id}/images/1`)).status).toBe(404);
  });

  it('takes a resident’s upload to the counselor and a counselor’s photo back to the resident', async () => {
    const resident = new AppClient(service.url);
    await resident.start({ deviceId: 'ws-1', locale: 'ko-KR' });
    await resident.say('상담사 연결해 주세요');
    await eventually(async () => (await service.store.conversations.get(resident.conversationId))?.state === 'queued', 10_000, 'queued');
    const kim = staff.kim!;
    expect((await kim.post(`/conversations/${resident.conversationId}/accept`)).status).toBe(200);

    const photo = makePng(30, 20);
    const upload = (body: Buffer, id: string, type = 'image/png') =>
      fetch(`${service.url}/api/app/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${resident.token}`, 'content-type': type, 'x-client-message-id': id, 'x-caption': encodeURIComponent('깨진 보도블록') }, body: new Uint8Array(body) });
    const res = await upload(photo, 'photo-1');
    expect(res.status).toBe(202);
    const { messageId, mediaId } = (await res.json()) as { messageId: string; mediaId: string };
    // A retry after a lost answer stores the message and the photo once.
    const again = (await (await upload(photo, 'photo-1')).json()) as { messageId: string; mediaId: string; duplicate: boolean };
    expect(again).toMatchObject({ messageId, mediaId, duplicate: true });
    // Not an image: refused with a clear error, whatever the header says.
    const bad = await upload(Buffer.from('<svg onload=alert(1)>'), 'photo-2', 'image/png');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/JPEG, PNG, WebP and GIF/);
    // Over the route's limit: refused before anything is stored.
    const huge = await upload(Buffer.alloc(6 * 1024 * 1024, 1), 'photo-3');
    expect(huge.status).toBe(400);

    const stored = await service.store.messages.get(messageId);
    expect(stored?.content).toMatchObject({ text: '깨진 보도블록', images: [{ url: `media:${mediaId}`, mimeType: 'image/png', caption: '깨진 보도블록' }] });
    const shown = await rawGet(kim, `/conversations/${resident.conversationId}/messages/${messageId}/images/0`);
    expect(shown.bytes.equals(photo)).toBe(true);

    // The counselor sends a photo; the resident reads it with their token, nobody else can.
    const sent = await fetch(`${service.url}/api/console/v1/conversations/${resident.conversationId}/attachments`, {
      method: 'POST',
      headers: { cookie: kim.cookie, 'x-csrf-token': kim.csrf, 'content-type': 'image/png', 'x-caption': encodeURIComponent('안내도') },
      body: new Uint8Array(makePng(50, 50)),
    });
    expect(sent.status).toBe(200);
    const reply = await eventually(async () => (await resident.poll(1)).find((m) => m.author === 'counselor' && (m as { images?: unknown[] }).images), 10_000, 'the counselor photo');
    const url = (reply as unknown as { images: { url: string }[] }).images[0]!.url;
    expect(url).toMatch(/^media:/);
    const mine = await fetch(`${service.url}/api/app/v1/media/${url.slice(6)}`, { headers: { authorization: `Bearer ${resident.token}` } });
    expect(mine.status).toBe(200);
    expect(Buffer.from(await mine.arrayBuffer()).equals(makePng(50, 50))).toBe(true);
    const stranger = new AppClient(service.url);
    await stranger.start({ deviceId: 'ws-2' });
    expect((await fetch(`${service.url}/api/app/v1/media/${url.slice(6)}`, { headers: { authorization: `Bearer ${stranger.token}` } })).status).toBe(404);
    // Telegram residents cannot get counselor photos yet: said plainly, nothing stored.
    const telegramChat = await service.store.conversations.findOpen('telegram', '4200001');
    await staff.boss!.post(`/conversations/${telegramChat!.id}/requeue`);

    // Typing reaches the resident's stream.
    const ws = new WebSocket(`${service.url.replace('http', 'ws')}/api/app/v1/stream`);
    const frames: Record<string, unknown>[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'auth', token: resident.token, after: resident.cursor }));
    await eventually(async () => frames.some((f) => f.type === 'ready'), 5000, 'ready');
    await kim.post(`/conversations/${resident.conversationId}/typing`, { typing: true });
    await eventually(async () => frames.some((f) => f.type === 'typing' && f.who === 'counselor' && f.typing === true), 5000, 'typing frame');
    // Another counselor's typing is not the resident's business.
    await staff.lee!.post(`/conversations/${resident.conversationId}/typing`, { typing: true });
    ws.close();
  });

  it('finds chats by ticket number, words, resident and date, only where the user may read', async () => {
    const resident = new AppClient(service.url);
    await resident.start({ deviceId: 'ws-3', locale: 'ko-KR' });
    await resident.say('맨홀 뚜껑이 흔들려요 위험해요');
    const conversation = (await service.store.conversations.get(resident.conversationId))!;
    const ticket = await service.store.tickets.create({
      reference: 'GG-20260301-0042',
      category: 'facility_fault_report',
      residentId: conversation.residentId,
      conversationId: conversation.id,
      channel: 'app',
      externalUserId: conversation.externalUserId,
      language: 'ko',
      description: '맨홀 뚜껑',
      photos: [],
    });
    const boss = staff.boss!;
    const byTicket = await boss.get<{ items: { conversation: { id: string }; tickets: string[] }[] }>(`/search?ticket=${ticket.reference.toLowerCase()}`);
    expect(byTicket.body.items.map((i) => i.conversation.id)).toEqual([conversation.id]);
    expect(byTicket.body.items[0]!.tickets).toEqual(['GG-20260301-0042']);
    const byWords = await boss.get<{ items: { conversation: { id: string }; matches: { text: string }[] }[] }>(`/search?q=${encodeURIComponent('맨홀 위험')}`);
    expect(byWords.body.items[0]?.conversation.id).toBe(conversation.id);
    expect(byWords.body.items[0]?.matches.map((m) => m.text)).toContain('맨홀 뚜껑이 흔들려요 위험해요');
    expect((await boss.get<{ items: unknown[] }>(`/search?q=${encodeURIComponent('맨홀 자전거')}`)).body.items).toHaveLength(0);
    const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    const byResident = await boss.get<{ items: { conversation: { id: string } }[] }>(`/search?resident=${conversation.residentId}&from=${today}&to=${today}`);
    expect(byResident.body.items.map((i) => i.conversation.id)).toEqual([conversation.id]);
    // A counselor who never handled the chat does not find it.
    expect((await staff.kim!.get<{ items: unknown[] }>(`/search?ticket=${ticket.reference}`)).body.items).toHaveLength(0);
    expect((await boss.get('/search')).status).toBe(400);
  });

  it('keeps personal canned answers personal and team answers in the team; FAQ search matches words', async () => {
    const kim = staff.kim!;
    const lee = staff.lee!;
    expect((await kim.post('/canned-answers', { scope: 'personal', title: '첫인사', text: '안녕하세요, 경기도 120 김입니다.' })).status).toBe(201);
    expect((await kim.post('/canned-answers', { scope: 'team', team: 'welfare', title: '기초연금 안내', text: '기초연금은 주소지 행정복지센터에서 신청합니다.' })).status).toBe(201);
    expect((await kim.post('/canned-answers', { scope: 'team', team: 'transport', title: '남의 팀', text: '...' })).status).toBe(403);
    type Items = { items: { title: string; source: string; text: string }[] };
    expect((await kim.get<Items>(`/canned-answers?q=${encodeURIComponent('첫인사')}`)).body.items[0]).toMatchObject({ title: '첫인사', source: 'personal' });
    expect((await kim.get<Items>(`/canned-answers?q=${encodeURIComponent('기초연금')}`)).body.items[0]).toMatchObject({ source: 'team' });
    expect((await lee.get<Items>(`/canned-answers?q=${encodeURIComponent('첫인사')}`)).body.items.filter((i) => i.source !== 'faq')).toEqual([]);
    const prevention = (await kim.get<Items>(`/canned-answers?q=${encodeURIComponent('자살 예방')}`)).body.items;
    expect(prevention[0]?.text).toContain('109');
    expect(prevention.map((i) => i.text).join('\n')).not.toContain('예방접종');
  });
});
