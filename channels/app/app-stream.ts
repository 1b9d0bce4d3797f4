/**
 * WebSocket stream of the app API (/api/app/v1/stream). Browsers cannot set headers on a
 * WebSocket, and tokens must stay out of URLs (and logs), so the first frame authenticates:
 * {"type":"auth","token":"...","after":"<cursor>"}. The server then replays what was missed
 * and pushes every new message as {"type":"message","message":{...},"cursor":"..."}.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { ChannelStoreView, UpgradeHandler } from '../../src/core/channel-port';
import type { EventBus } from '../../src/core/event-port';
import type { Logger } from '../../src/core/logger-port';
import type { Message } from '../../src/core/message';
import type { AppSession, AppSessionStore } from '../../src/core/store-port';
import { DajeongError } from '../../src/core/errors';
import { authenticate } from './app-auth';
import { decodeCursor, encodeCursor, toMessageView, visibleMessages } from './message-view';

const authFrame = z.object({ type: z.literal('auth'), token: z.string(), after: z.string().optional() });

export const APP_STREAM_PATH = '/api/app/v1/stream';

export interface AppStreamDeps {
  store: ChannelStoreView;
  sessions: AppSessionStore;
  events: Pick<EventBus, 'subscribe'>;
  logger: Logger;
  /** Sessions unused for longer than this stop working (APP_SESSION_IDLE_DAYS); unset: never. */
  sessionIdleMs?: number;
}

export class AppStream implements UpgradeHandler {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly deps: AppStreamDeps,
    private readonly pingMs = 25_000,
  ) {
    this.wss.on('connection', (ws) => this.onConnection(ws));
    const alive = new WeakSet<WebSocket>();
    this.wss.on('connection', (ws) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
    });
    // Drop connections that stopped answering pings (network loss without a close frame).
    this.heartbeat = setInterval(() => {
      for (const ws of this.wss.clients) {
        if (!alive.has(ws)) ws.terminate();
        else {
          alive.delete(ws);
          ws.ping();
        }
      }
    }, this.pingMs);
    this.heartbeat.unref();
  }

  /** Open connections (a metrics gauge). */
  get connections(): number {
    return this.wss.clients.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const ws of this.wss.clients) ws.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(ws: WebSocket): void {
    // A protocol error (oversized frame, invalid UTF-8, bad opcode) is emitted as 'error'; without a
    // listener Node would exit. Drop only the offending connection.
    ws.on('error', (err) => {
      this.deps.logger.warn({ err: { message: err.message, code: (err as NodeJS.ErrnoException).code } }, 'app stream: closing a connection after a protocol error');
      ws.terminate();
    });
    const authTimer = setTimeout(() => ws.close(4401, 'auth required'), 10_000);
    ws.once('message', async (data) => {
      clearTimeout(authTimer);
      try {
        const frame = authFrame.parse(JSON.parse(String(data)));
        const session = await authenticate(this.deps.sessions, `Bearer ${frame.token}`, { idleMs: this.deps.sessionIdleMs });
        await this.stream(ws, session, decodeCursor(frame.after, session.conversationId));
      } catch (err) {
        // An outage is not a wrong token: 1013 (try again later) keeps the client's session, 4401 ends it.
        if (err instanceof DajeongError && err.code === 'unavailable') {
          ws.send(JSON.stringify({ type: 'error', error: { code: 'unavailable', message: 'The service is temporarily unavailable; try again shortly.' } }));
          ws.close(1013, 'try again later');
          return;
        }
        ws.send(JSON.stringify({ type: 'error', error: { code: 'unauthorized', message: 'Missing or invalid token' } }));
        ws.close(4401, 'unauthorized');
      }
    });
  }

  /**
   * Streams the session's current conversation. When the resident's conversation changes (a new
   * one opens after a close), the stream follows it: the cursor names the conversation, so
   * clients simply keep the last cursor they were given.
   */
  private async stream(ws: WebSocket, session: AppSession, afterSeq: number): Promise<void> {
    let conversationId = session.conversationId;
    let lastSeq = afterSeq;
    let pending: Promise<void> = Promise.resolve();
    const push = (messages: Message[]) => {
      for (const m of messages) {
        if (m.seq <= lastSeq || m.flags?.internal) continue;
        lastSeq = m.seq;
        ws.send(JSON.stringify({ type: 'message', message: toMessageView(m), cursor: encodeCursor(conversationId, m.seq) }));
      }
    };
    // Read from the store in order, so a gap (a message from another instance) is filled too.
    const catchUp = (recheckSession = false) => {
      pending = pending
        .then(async () => {
          const current = recheckSession ? await this.deps.sessions.findByTokenHash(session.tokenHash) : undefined;
          const switchTo = current?.conversationId;
          if (switchTo && switchTo !== conversationId) {
            // Finish the old conversation first, then continue on the new one from its start.
            push(await visibleMessages(this.deps.store, conversationId, lastSeq));
            conversationId = switchTo;
            lastSeq = 0;
          }
          push(await visibleMessages(this.deps.store, conversationId, lastSeq));
        })
        .catch((err) => this.deps.logger.warn({ err }, 'stream catch-up failed'));
    };
    const unsubscribe = this.deps.events.subscribe('message', (m) => {
      if (m.conversationId === conversationId) catchUp();
      else if (m.residentId === session.residentId) catchUp(true);
    });
    ws.on('close', unsubscribe);
    // Events from other instances may have been lost: read what is stored (a new conversation too).
    const offResync = this.deps.events.subscribe('resync', () => catchUp(true));
    ws.on('close', offResync);
    // Counselors' typing and read signals for this conversation (never the resident's own).
    const signal = (frame: Record<string, unknown>) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(frame));
    const offSignals = [
      this.deps.events.subscribe('typing', (e) => e.conversationId === conversationId && e.who !== 'resident' && signal({ type: 'typing', who: e.who, typing: e.typing })),
      this.deps.events.subscribe('read', (e) => e.conversationId === conversationId && e.who === 'counselor' && signal({ type: 'read', who: e.who, upToSeq: e.upToSeq })),
    ];
    ws.on('close', () => offSignals.forEach((off) => off()));
    ws.send(JSON.stringify({ type: 'ready', cursor: encodeCursor(conversationId, lastSeq) }));
    catchUp();
  }
}
