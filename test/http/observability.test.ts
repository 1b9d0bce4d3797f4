/**
 * What an operator reads: request ids on every log line of a request, one log line per turn (what
 * answered it and how fast, never the words), and Prometheus series for requests, turns, NLU, sends,
 * refused webhooks, crisis flags, the queue, the outbox and open WebSockets.
 */
import WebSocket from 'ws';
import { createLogger } from '../../src/logger';
import { createService, type Service } from '../../src/main';
import { postRaw, waitUntil } from '../channels/channel-test-kit';
import { AppClient } from '../support/service';

const TELEGRAM = { token: '7000000001:AAH-test_token-abcdefghijklmnopqrstu', secret: 'tg-secret-0123456789' };

/** The value of one series in Prometheus text, or undefined when it is not there. */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('observability', () => {
  const lines: Record<string, unknown>[] = [];
  let service: Service;

  beforeAll(async () => {
    service = await createService({
      logger: createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }),
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        NLU_MODE: 'lexical',
        ROUTING: 'manual',
        TELEGRAM_BOT_TOKEN: TELEGRAM.token,
        TELEGRAM_WEBHOOK_SECRET: TELEGRAM.secret,
        // Nothing listens there: every send fails and is retried.
        TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
        OUTBOX_POLL_MS: '20',
        OUTBOX_BASE_DELAY_MS: '30',
        OUTBOX_MAX_DELAY_MS: '200',
      },
    });
  });
  afterAll(async () => {
    await service?.close();
  });

  const scrape = async () => (await fetch(`${service.url}/metrics`)).text();

  it('names every request, keeps a proxy’s request id, and puts it on the log lines written for the request', async () => {
    const resident = new AppClient(service.url);
    await resident.start({ deviceId: 'obs-ids', locale: 'ko-KR' });
    const res = await resident.send({ text: '7-2번 버스 첫차가 몇 시예요?', clientMessageId: 'obs-1' });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const kept = await fetch(`${service.url}/healthz`, { headers: { 'x-request-id': 'proxy-abc.123' } });
    expect(kept.headers.get('x-request-id')).toBe('proxy-abc.123');
    const replaced = await fetch(`${service.url}/healthz`, { headers: { 'x-request-id': 'not an id; drop table' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    // The turn runs for the request that stored the message: its log line names that request.
    const sent = await resident.send({ text: '쓰레기 배출 요일 알려주세요', clientMessageId: 'obs-2' }, { 'x-request-id': 'req-turn-2' });
    expect(sent.status).toBe(202);
    const turnLine = await waitUntil(() => lines.find((l) => l.msg === 'turn' && l.reqId === 'req-turn-2'), 'the turn line of req-turn-2');
    expect(turnLine.conversationId).toBe(resident.conversationId);
  });

  it('logs one line per turn with what answered it and how fast, never the words', async () => {
    const resident = new AppClient(service.url);
    await resident.start({ deviceId: 'obs-turn', locale: 'ko-KR' });
    const before = lines.length;
    await resident.say('7-2번 버스 첫차가 몇 시예요?');
    await resident.nextReply();
    const turns = await waitUntil(() => {
      const found = lines.slice(before).filter((l) => l.msg === 'turn' && l.conversationId === resident.conversationId);
      return found.length ? found : undefined;
    }, 'a turn line');
    expect(turns).toHaveLength(1);
    const turn = turns[0]!.turn as Record<string, unknown>;
    expect(turn).toMatchObject({ channel: 'app', language: 'ko', intent: 'transport_schedule', crisis: false, failed: false });
    expect(typeof turn.endedBy).toBe('string');
    expect(turn.ms).toEqual(expect.any(Number));
    expect(turn.nluMs).toEqual(expect.any(Number));
    expect(JSON.stringify(lines.slice(before))).not.toContain('첫차');

    const text = await scrape();
    expect(series(text, 'dajeong_turn_duration_seconds_count', { ended_by: String(turn.endedBy), failed: 'false' })).toBeGreaterThanOrEqual(1);
    expect(series(text, 'dajeong_nlu_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(series(text, 'dajeong_http_request_duration_seconds_count', { method: 'POST', route: '/api/app/v1/messages', status: '202' })).toBeGreaterThanOrEqual(1);
  });

  it('counts a crisis flag and shows the chat in the queue by priority', async () => {
    const resident = new AppClient(service.url);
    await resident.start({ deviceId: 'obs-crisis', locale: 'ko-KR' });
    await resident.say('너무 힘들어서 죽고 싶어요');
    await waitUntil(async () => (await service.store.conversations.get(resident.conversationId))?.state === 'queued', 'queued');
    const text = await scrape();
    expect(series(text, 'dajeong_flags_total', { kind: 'crisis', channel: 'app' })).toBe(1);
    expect(series(text, 'dajeong_queue_length', { priority: 'crisis' })).toBe(1);
    expect(series(text, 'dajeong_queue_oldest_wait_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('counts refused webhooks, failed sends and open WebSockets', async () => {
    const update = (id: number, text: string) =>
      JSON.stringify({ update_id: id, message: { message_id: id, from: { id: 4242, is_bot: false, first_name: 'T' }, chat: { id: 4242, type: 'private' }, date: 0, text } });
    const forged = await postRaw(`${service.url}/webhooks/telegram`, update(1, 'hi'), { 'x-telegram-bot-api-secret-token': 'wrong' });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    const accepted = await postRaw(`${service.url}/webhooks/telegram`, update(2, '안녕하세요'), { 'x-telegram-bot-api-secret-token': TELEGRAM.secret });
    expect(accepted.status).toBe(200);

    const resident = new AppClient(service.url);
    await resident.start({ deviceId: 'obs-ws', locale: 'ko-KR' });
    const ws = new WebSocket(`${service.url.replace('http', 'ws')}/api/app/v1/stream`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    try {
      const text = await waitUntil(async () => {
        const t = await scrape();
        return (series(t, 'dajeong_sends_total', { channel: 'telegram', result: 'retry' }) ?? 0) >= 1 && t;
      }, 'a failed Telegram send counted as retry');
      expect(series(text, 'dajeong_webhooks_rejected_total', { route: '/webhooks/telegram', status: String(forged.status) })).toBe(1);
      expect(series(text, 'dajeong_app_websockets')).toBe(1);
      expect(series(text, 'dajeong_console_websockets')).toBe(0);
      expect(series(text, 'dajeong_store_connection_reopens')).toBe(0);
      expect(series(text, 'dajeong_outbox_entries', { status: 'pending' })).toBeGreaterThanOrEqual(1);
      expect(series(text, 'dajeong_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(0);
    } finally {
      ws.close();
    }
  });
});
