/**
 * Fault script "platform-outage" (issue 15): the Telegram Bot API answers every send with 500 or
 * 429 (`retry_after`) for a minute while residents keep writing, then recovers. The service runs
 * as a child process on FerretDB with its Telegram channel pointed at a fake Bot API started here;
 * the sender posts webhook updates to the URL and with the secret the service registered through
 * setWebhook, as Telegram would. Passes when nothing acknowledged is lost, every stored reply
 * reaches the fake exactly once and in order, no outbox entry is dead, and the service recovered
 * by itself (messages written after the outage answered, /readyz 200).
 */
import { randomBytes } from 'node:crypto';
import { startInstance, type ServiceInstance } from '../../bench/gateway-service';
import { FakeTelegramServer, type TelegramOutage } from '../../channels/telegram/fake-telegram-server';
import { percentile } from '../../src/nlu/nlu-metrics';
import { freePort } from '../../test/support/service-process';
import { startFerretDB } from '../../test/support/ferretdb';
import { log } from './fault-harness';
import { deliveryOk, waitForTelegramDelivery, type TelegramDeliveryCounts } from './telegram-delivery-check';
import { TelegramSender, type AckedUpdate, type WebhookTarget } from './telegram-sender';

export interface PlatformOutageOptions {
  outageMs: number;
  beforeMs: number;
  afterMs: number;
  /** How long the outbox may take to drain after the sender stopped. */
  drainMs: number;
  /** Settings every fault script gives the service. */
  serviceEnv: Record<string, string>;
}

/** Half 500, half 429; retry_after values like Telegram hands out under flood control. */
const OUTAGE: TelegramOutage = { rateLimitEvery: 2, retryAfterSeconds: [2, 5, 10, 30] };
const BOT_TOKEN = '7000000001:AAFakeFaultScriptTokenForPlatformOutage';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the script; resolves with the exit code (0 only when every check holds). */
export async function runPlatformOutage(o: PlatformOutageOptions): Promise<number> {
  log('fault script platform-outage: starting FerretDB, a fake Telegram Bot API and the service');
  const db = await startFerretDB({ dbName: 'fault-platform-outage' });
  const fake = new FakeTelegramServer(BOT_TOKEN);
  let instance: ServiceInstance | undefined;
  let sender: TelegramSender | undefined;
  try {
    const apiRoot = await fake.start();
    const port = await freePort();
    instance = await startInstance(
      {
        ...o.serviceEnv,
        MONGODB_URI: db.uri,
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        TELEGRAM_WEBHOOK_SECRET: randomBytes(24).toString('hex'),
        TELEGRAM_API_ROOT: apiRoot,
        // The service registers its webhook at start-up; the sender then posts where Telegram would.
        TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/webhooks/telegram`,
      },
      { port },
    );
    sender = new TelegramSender(await registeredWebhook(fake));
    sender.start();
    log(`service ready (Telegram webhook registered); steady sender running: ${sender.chatIds().length} chats`);
    await sleep(o.beforeMs);

    const outageStart = Date.now();
    fake.startOutage(OUTAGE);
    log(`Bot API outage for ${o.outageMs / 1000} s: every send answered 500 or 429 (retry_after ${OUTAGE.retryAfterSeconds.join('/')} s)`);
    await sleep(o.outageMs);
    fake.endOutage();
    const outageEnd = Date.now();
    log(`Bot API recovered; ${fake.outageCounts.serverErrors}× 500 and ${fake.outageCounts.rateLimited}× 429 answered during the outage`);
    await sleep(o.afterMs);
    await sender.stop();

    const acked = sender.acked;
    const afterOutage = acked.filter((a) => a.at > outageEnd);
    const failures = [...sender.failures].map(([k, v]) => `${v}× ${k}`).join(', ') || 'none';
    log(
      `sender stopped: ${acked.length} acknowledged (${acked.filter((a) => a.at < outageStart).length} before the outage, ` +
        `${afterOutage.length} after it); refused or failed: ${failures}; redelivered ${sender.redeliveries}`,
    );
    log(`waiting up to ${o.drainMs / 1000} s for the outbox to drain`);
    const { counts, drainedAt } = await waitForTelegramDelivery(db.uri, fake, acked, o.drainMs, log);
    for (const line of countLines(counts)) log(line);
    const firstSendAfter = fake.http.requests.find((r) => r.at.getTime() >= outageEnd && r.reply?.status === 200 && /\/send/i.test(r.path));
    log(
      `first send accepted ${firstSendAfter ? `${((firstSendAfter.at.getTime() - outageEnd) / 1000).toFixed(1)} s` : 'never'} after the outage ended; ` +
        `all delivered ${drainedAt ? `${((drainedAt - outageEnd) / 1000).toFixed(1)} s after it ended (checked once a second after the sender stopped)` : 'not in time'}`,
    );
    const phases = { before: acked.filter((a) => a.at < outageStart), during: acked.filter((a) => a.at >= outageStart && a.at <= outageEnd), after: afterOutage };
    log(`webhook answered (200) in: ${Object.entries(phases).map(([k, v]) => `${k} the outage ${spread(v.map((a) => a.answerMs))}`).join('; ')}`);
    const replyMs = (list: AckedUpdate[]) =>
      list.map((a) => (counts.firstReplyDeliveredAt.get(`${a.chatId}:${a.messageId}`) ?? NaN) - a.at).filter((ms) => !Number.isNaN(ms));
    log(`acknowledged to first reply accepted by the Bot API: ${Object.entries(phases).map(([k, v]) => `${k} the outage ${spread(replyMs(v))}`).join('; ')}`);
    const acceptedAfter = fake.http.requests.filter((r) => r.at.getTime() >= outageEnd && r.reply?.status === 200 && /\/send/i.test(r.path));
    if (acceptedAfter.length) {
      const spanS = (acceptedAfter.at(-1)!.at.getTime() - outageEnd) / 1000;
      log(`after the outage the Bot API accepted ${acceptedAfter.length} sends in ${spanS.toFixed(1)} s (${(acceptedAfter.length / spanS).toFixed(1)}/s)`);
    }
    const answeredAfter = afterOutage.filter((a) => counts.answeredAndDelivered.has(`${a.chatId}:${a.messageId}`)).length;
    const ready = (await fetch(`${instance.url}/readyz`)).status;
    log(`messages written after the outage: ${afterOutage.length}, answered and delivered ${answeredAfter}; /readyz ${ready}`);

    const ok = deliveryOk(counts);
    const recovered = afterOutage.length > 0 && answeredAfter === afterOutage.length && ready === 200;
    log(
      `${ok && recovered ? 'OK' : 'FAILED'}: ${ok ? 'nothing acknowledged lost, every reply delivered once and in order, nothing dead' : 'acknowledged messages or replies lost, doubled, reordered or dead'}; ` +
        `${recovered ? 'recovered by itself' : 'did not recover'}`,
    );
    return ok && recovered ? 0 : 1;
  } finally {
    await sender?.stop();
    await instance?.stop();
    await fake.stop();
    await db.stop();
  }
}

/** "p50 … ms, p99 … ms, max … ms" of a list of durations. */
function spread(ms: number[]): string {
  if (!ms.length) return 'none';
  const f = (p: number) => `${Math.round(percentile(ms, p))}`;
  return `p50 ${f(50)} ms, p99 ${f(99)} ms, max ${Math.round(Math.max(...ms))} ms (${ms.length})`;
}

function countLines(c: TelegramDeliveryCounts): string[] {
  return [
    `acknowledged ${c.acknowledged}; stored ${c.stored}; stored twice ${c.storedTwice}; answered ${c.answered}`,
    `replies stored ${c.repliesStored}; delivered ${c.delivered}; delivered twice ${c.deliveredTwice}; unexpected ${c.unexpected}; ` +
      `out of order ${c.outOfOrder}; pending ${c.pending}; dead ${c.dead}; most attempts of one entry ${c.mostAttempts}`,
    ...(c.lastErrors.length ? [`dead entries' last errors: ${c.lastErrors.join(' | ')}`] : []),
  ];
}

/** Waits (up to 30 s) for the service's setWebhook call to reach the fake and returns where it points. */
async function registeredWebhook(fake: FakeTelegramServer): Promise<WebhookTarget> {
  const deadline = Date.now() + 30_000;
  while (!fake.webhook?.secret_token) {
    if (Date.now() > deadline) throw new Error('the service did not register its Telegram webhook (setWebhook) within 30 s');
    await sleep(200);
  }
  return { url: fake.webhook.url, secretToken: fake.webhook.secret_token };
}
