/**
 * Simulated residents on the app API for bench:gateway and the fault scripts: each opens a session,
 * reads replies by long-poll (GET /api/app/v1/messages?wait=) or the WebSocket stream, and times
 * every message from POST to the first bot message stored after it. Closed loop (send the next
 * message when the reply arrived) and open loop (messages offered at a fixed rate) drivers.
 */
import { WebSocket } from 'ws';
import { GATEWAY_MESSAGES } from './gateway-messages';

export type Transport = 'poll' | 'ws';

interface ViewMessage {
  seq: number;
  author: string;
  clientMessageId?: string;
}

interface Pending {
  clientMessageId: string;
  sentAt: number;
  seq?: number;
  resolve: (latencyMs: number) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

let residentCounter = 0;

/** A distinct client address per resident (the service trusts X-Forwarded-For from loopback). */
function nextAddress(): string {
  const i = ++residentCounter;
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

/** One resident: a session, a reply reader, and the messages waiting for their reply. */
export class Resident {
  token = '';
  conversationId = '';
  private cursor: string | undefined;
  private readonly pending: Pending[] = [];
  private ws?: WebSocket;
  private closed = false;
  /** Aborts the open long-poll on close(), as an app leaving the chat drops its connection. */
  private readonly leaving = new AbortController();
  private readonly address = nextAddress();

  constructor(
    readonly baseUrl: string,
    readonly transport: Transport,
    private readonly replyTimeoutMs = 10_000,
  ) {}

  private headers(json = true): Record<string, string> {
    return {
      ...(json && { 'content-type': 'application/json' }),
      ...(this.token && { authorization: `Bearer ${this.token}` }),
      'x-forwarded-for': this.address,
    };
  }

  /** Opens the session (waiting at most `timeoutMs`) and starts reading replies. */
  async start(locale = 'ko-KR', timeoutMs = this.replyTimeoutMs): Promise<void> {
    const res = await fetch(`${this.baseUrl}/api/app/v1/sessions`, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({ deviceId: `bench-${this.address}`, locale }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.status !== 201) throw new Error(`session: HTTP ${res.status} ${await res.text()}`);
    const json = (await res.json()) as { token: string; conversationId: string };
    this.token = json.token;
    this.conversationId = json.conversationId;
    if (this.transport === 'ws') await this.openStream();
    else void this.pollLoop();
  }

  private openStream(): Promise<void> {
    const url = `${this.baseUrl.replace(/^http/, 'ws')}/api/app/v1/stream`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { 'x-forwarded-for': this.address } });
      this.ws = ws;
      ws.once('open', () => {
        ws.send(JSON.stringify({ type: 'auth', token: this.token, ...(this.cursor && { after: this.cursor }) }));
        resolve();
      });
      ws.once('error', reject);
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { type: string; message?: ViewMessage; cursor?: string };
        if (frame.type === 'message' && frame.message) {
          this.cursor = frame.cursor;
          this.onMessage(frame.message);
        }
      });
      ws.on('close', () => {
        if (!this.closed) this.failAll(new Error('stream closed'));
      });
    });
  }

  private async pollLoop(): Promise<void> {
    while (!this.closed) {
      try {
        const q = new URLSearchParams({ wait: '25', ...(this.cursor && { after: this.cursor }) });
        const res = await fetch(`${this.baseUrl}/api/app/v1/messages?${q}`, { headers: this.headers(false), signal: this.leaving.signal });
        if (res.status !== 200) throw new Error(`poll: HTTP ${res.status}`);
        const json = (await res.json()) as { messages: ViewMessage[]; cursor: string };
        this.cursor = json.cursor;
        for (const m of json.messages) this.onMessage(m);
      } catch (err) {
        if (this.closed) return;
        this.failAll(err as Error);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** The resident's own message gives its seq; the first bot message after it is its reply. */
  private onMessage(m: ViewMessage): void {
    if (m.author === 'resident') {
      const p = this.pending.find((x) => x.clientMessageId === m.clientMessageId);
      if (p) p.seq = m.seq;
      return;
    }
    const i = this.pending.findIndex((x) => x.seq !== undefined && x.seq < m.seq);
    if (i < 0) return;
    const [p] = this.pending.splice(i, 1);
    clearTimeout(p!.timer);
    p!.resolve(performance.now() - p!.sentAt);
  }

  private failAll(err: Error): void {
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(err);
    }
  }

  /**
   * Sends one message; resolves with the milliseconds until its reply was seen.
   * @throws Error when the POST is not acknowledged (202) or no reply comes in time
   */
  async ask(text: string): Promise<number> {
    const clientMessageId = `b-${Math.random().toString(36).slice(2)}`;
    const sentAt = performance.now();
    const replied = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.pending.findIndex((x) => x.clientMessageId === clientMessageId);
        if (i >= 0) this.pending.splice(i, 1);
        reject(new Error('no reply in time'));
      }, this.replyTimeoutMs);
      this.pending.push({ clientMessageId, sentAt, resolve, reject, timer });
    });
    replied.catch(() => undefined);
    const res = await fetch(`${this.baseUrl}/api/app/v1/messages`, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({ text, clientMessageId }),
      signal: AbortSignal.timeout(this.replyTimeoutMs),
    }).catch((err: Error) => err);
    if (res instanceof Error || res.status !== 202) {
      const i = this.pending.findIndex((x) => x.clientMessageId === clientMessageId);
      if (i >= 0) {
        clearTimeout(this.pending[i]!.timer);
        this.pending.splice(i, 1);
      }
      throw new Error(res instanceof Error ? `send: ${res.message}` : `send: HTTP ${res.status}`);
    }
    return replied;
  }

  close(): void {
    this.closed = true;
    this.failAll(new Error('closed'));
    // Without this a finished resident's long-poll stayed open on the service for up to 25 s:
    // hundreds of idle waits (each woken by every message event, each re-reading the store every
    // 5 s) that no real app leaves behind.
    this.leaving.abort();
    this.ws?.close();
  }
}

/** Latency samples and error counts of one run. */
export class LoadStats {
  readonly latencies: number[] = [];
  readonly errors = new Map<string, number>();
  offered = 0;

  ok(ms: number): void {
    this.latencies.push(ms);
  }

  fail(err: unknown): void {
    const key = (err instanceof Error ? err.message : String(err)).slice(0, 60);
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
  }

  errorCount(): number {
    return [...this.errors.values()].reduce((a, b) => a + b, 0);
  }

  percentile(p: number): number {
    if (!this.latencies.length) return NaN;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  }
}

const pick = (i: number) => GATEWAY_MESSAGES[i % GATEWAY_MESSAGES.length]!;

export interface ClosedLoopOptions {
  baseUrls: string[];
  residents: number;
  seconds: number;
  warmupSeconds: number;
  transport: Transport;
  /** Messages per conversation before a new resident takes the place (per-token limits stay far). */
  conversationLength: number;
}

/** N residents, each sending the next message as soon as the previous reply arrived; messages/s after warm-up. */
export async function closedLoop(o: ClosedLoopOptions): Promise<{ perSecond: number; stats: LoadStats }> {
  const stats = new LoadStats();
  const start = performance.now();
  const measureFrom = start + o.warmupSeconds * 1000;
  const end = measureFrom + o.seconds * 1000;
  let counted = 0;
  let n = 0;
  const worker = async (w: number) => {
    while (performance.now() < end) {
      const resident = new Resident(o.baseUrls[w % o.baseUrls.length]!, o.transport);
      try {
        await resident.start(w % 3 === 0 ? 'en-US' : 'ko-KR');
        for (let i = 0; i < o.conversationLength && performance.now() < end; i++) {
          const ms = await resident.ask(pick(n++));
          if (performance.now() >= measureFrom && performance.now() < end) {
            counted++;
            stats.ok(ms);
          }
        }
      } catch (err) {
        if (performance.now() >= measureFrom) stats.fail(err);
      } finally {
        resident.close();
      }
    }
  };
  await Promise.all(Array.from({ length: o.residents }, (_, w) => worker(w)));
  return { perSecond: counted / o.seconds, stats };
}

export interface OpenLoopOptions {
  /** Residents split round-robin over these instances; each stays on its instance (sticky). */
  baseUrls: string[];
  residents: number;
  ratePerSecond: number;
  seconds: number;
  transport: Transport;
  conversationLength: number;
}

/**
 * Messages offered at a fixed total rate, spread evenly over the residents whatever the replies
 * do; latency from send to reply seen. Residents join before the clock starts.
 */
export async function openLoop(o: OpenLoopOptions): Promise<LoadStats> {
  const stats = new LoadStats();
  // Residents join 20 at a time before the clock starts (not measured), so a slow store is not flooded.
  const slots: { resident: Resident; ready: Promise<Resident>; sent: number; w: number }[] = [];
  for (let w0 = 0; w0 < o.residents; w0 += 20) {
    const batch = Array.from({ length: Math.min(20, o.residents - w0) }, async (_, j) => {
      const w = w0 + j;
      const r = new Resident(o.baseUrls[w % o.baseUrls.length]!, o.transport);
      await r.start(w % 3 === 0 ? 'en-US' : 'ko-KR', 60_000);
      return { resident: r, ready: Promise.resolve(r), sent: 0, w };
    });
    slots.push(...(await Promise.all(batch)));
  }
  const interval = 1000 / o.ratePerSecond;
  const total = Math.round(o.ratePerSecond * o.seconds);
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let k = 0; k < total; k++) {
    const due = start + k * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const slot = slots[k % slots.length]!;
    stats.offered++;
    if (slot.sent >= o.conversationLength) {
      // A new resident takes this place (a fresh session), as on a real line; the place's next
      // messages wait for the session (decided here, synchronously, so a slow start is not raced).
      const old = slot.resident;
      const next = new Resident(old.baseUrl, o.transport);
      slot.sent = 0;
      slot.resident = next;
      slot.ready = next.start(slot.w % 3 === 0 ? 'en-US' : 'ko-KR').then(() => next);
      slot.ready.catch(() => undefined);
      setTimeout(() => old.close(), 11_000).unref();
    }
    slot.sent++;
    const ready = slot.ready;
    const job = (async () => {
      const resident = await ready;
      stats.ok(await resident.ask(pick(k)));
    })().catch((err: unknown) => stats.fail(err));
    inFlight.push(job);
  }
  await Promise.all(inFlight);
  for (const s of slots) s.resident.close();
  return stats;
}
