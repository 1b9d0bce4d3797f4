/**
 * Shared parts of the fault scripts: a steady sender of app API messages that records every
 * acknowledged one (HTTP 202), and the check that each acknowledged message is stored exactly once
 * and answered (an outbound message with replyToId = its id), read straight from the database.
 */
import mongoose from 'mongoose';
import { GATEWAY_MESSAGES } from '../../bench/gateway-messages';

export interface Acked {
  conversationId: string;
  clientMessageId: string;
  messageId: string;
  at: number;
}

interface SenderResident {
  baseUrl: string;
  token: string;
  conversationId: string;
  address: string;
}

const log = (text: string) => console.log(`[${new Date().toISOString().slice(11, 23)}] ${text}`);
export { log };

/** Residents each posting a message every `intervalMs`; failures (expected during a fault) are counted, not retried. */
export class SteadySender {
  readonly acked: Acked[] = [];
  readonly failures = new Map<string, number>();
  private residents: SenderResident[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private n = 0;

  constructor(
    private readonly baseUrls: string[],
    private readonly count = 6,
    private readonly intervalMs = 400,
  ) {}

  async start(): Promise<void> {
    for (let i = 0; i < this.count; i++) {
      const baseUrl = this.baseUrls[i % this.baseUrls.length]!;
      const address = `10.77.${i >> 8}.${i & 255}`;
      const res = await fetch(`${baseUrl}/api/app/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
        body: JSON.stringify({ deviceId: `fault-${i}`, locale: i % 2 ? 'en-US' : 'ko-KR' }),
      });
      if (res.status !== 201) throw new Error(`session: HTTP ${res.status} ${await res.text()}`);
      const json = (await res.json()) as { token: string; conversationId: string };
      this.residents.push({ baseUrl, address, ...json });
    }
    this.running = true;
    this.loops = this.residents.map((r, i) => this.loop(r, i));
  }

  private async loop(r: SenderResident, i: number): Promise<void> {
    await new Promise((res) => setTimeout(res, (i * this.intervalMs) / this.count)); // spread the residents
    while (this.running) {
      const clientMessageId = `f-${i}-${this.n++}`;
      try {
        const res = await fetch(`${r.baseUrl}/api/app/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${r.token}`, 'x-forwarded-for': r.address },
          body: JSON.stringify({ text: GATEWAY_MESSAGES[this.n % GATEWAY_MESSAGES.length], clientMessageId }),
          signal: AbortSignal.timeout(20_000),
        });
        if (res.status === 202) {
          const { messageId } = (await res.json()) as { messageId: string };
          this.acked.push({ conversationId: r.conversationId, clientMessageId, messageId, at: Date.now() });
        } else {
          this.failure(`HTTP ${res.status}`);
          await res.arrayBuffer();
        }
      } catch (err) {
        this.failure((err as Error).name === 'TimeoutError' ? 'timeout' : 'connection error');
      }
      await new Promise((res) => setTimeout(res, this.intervalMs));
    }
  }

  private failure(kind: string): void {
    this.failures.set(kind, (this.failures.get(kind) ?? 0) + 1);
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  conversationIds(): string[] {
    return this.residents.map((r) => r.conversationId);
  }
}

interface Verdict {
  ok: boolean;
  lines: string[];
}

/**
 * Waits (up to `timeoutMs`) until every acknowledged message is stored exactly once and answered;
 * returns what is still wrong when time runs out.
 */
export async function verifyDelivery(mongoUri: string, sender: SteadySender, timeoutMs = 90_000): Promise<Verdict> {
  const client = new mongoose.mongo.MongoClient(mongoUri, { directConnection: true, serverSelectionTimeoutMS: 5_000 });
  await client.connect();
  try {
    const messages = client.db().collection<{ _id: string; conversationId: string; direction: string; channelMessageId?: string; replyToId?: string }>('messages');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const docs = await messages.find({ conversationId: { $in: sender.conversationIds() } }).toArray();
      const inboundByClientId = new Map<string, string[]>();
      const answered = new Set<string>();
      for (const d of docs) {
        if (d.direction === 'inbound' && d.channelMessageId) {
          const cid = d.channelMessageId.split(':').slice(1).join(':');
          inboundByClientId.set(cid, [...(inboundByClientId.get(cid) ?? []), d._id]);
        }
        if (d.direction === 'outbound' && d.replyToId) answered.add(d.replyToId);
      }
      const missing = sender.acked.filter((a) => !inboundByClientId.has(a.clientMessageId));
      const duplicated = sender.acked.filter((a) => (inboundByClientId.get(a.clientMessageId)?.length ?? 0) > 1);
      const wrongId = sender.acked.filter((a) => {
        const ids = inboundByClientId.get(a.clientMessageId);
        return ids?.length === 1 && ids[0] !== a.messageId;
      });
      const unanswered = sender.acked.filter((a) => !answered.has(a.messageId));
      const ok = !missing.length && !duplicated.length && !wrongId.length && !unanswered.length;
      if (ok || Date.now() > deadline) {
        return {
          ok,
          lines: [
            `acknowledged ${sender.acked.length}; stored ${sender.acked.length - missing.length}; stored twice ${duplicated.length}; ` +
              `stored under another id ${wrongId.length}; answered ${sender.acked.length - unanswered.length}`,
            ...(unanswered.length ? [`unanswered: ${unanswered.slice(0, 5).map((a) => a.clientMessageId).join(', ')}`] : []),
            ...(missing.length ? [`lost: ${missing.slice(0, 5).map((a) => a.clientMessageId).join(', ')}`] : []),
          ],
        };
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await client.close();
  }
}
