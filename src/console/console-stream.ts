/**
 * Live updates for the console over WebSocket (/api/console/v1/stream). The browser sends the
 * session cookie with the upgrade; the Origin must be this host (no cross-site WebSocket
 * hijacking). Frames only say what changed ({"type":"queue"}, {"type":"message",
 * "conversationId"}...), and the console reloads through the API, which enforces every rule
 * again; a counselor only hears about their own chats and the queue, supervisors about all.
 * Changes made on other instances are picked up by a short store poll.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventBus } from '../core/event-port';
import type { Alert } from '../core/handoff-port';
import type { Logger } from '../core/logger-port';
import type { Store } from '../core/store-port';
import type { ConsoleUser } from '../core/user-port';
import type { HandoffEvents } from '../handoff/handoff-events';
import type { MessageBus } from '../turn/message-bus';
import { cookieFrom, SESSION_COOKIE, type Authenticated, type ConsoleAuth } from './console-auth';

export const CONSOLE_STREAM_PATH = '/api/console/v1/stream';

interface Client {
  ws: WebSocket;
  auth: Authenticated;
  alive: boolean;
}

export interface ConsoleStreamDeps {
  store: Store;
  bus: MessageBus;
  events: HandoffEvents;
  auth: ConsoleAuth;
  logger: Logger;
  pingMs?: number;
  pollMs?: number;
  /** Carries typing and read signals (optional until every event moves onto this bus). */
  eventBus?: EventBus;
}

const isSupervisor = (u: ConsoleUser) => u.role === 'supervisor';
const isStaff = (u: ConsoleUser) => u.role === 'counselor' || u.role === 'supervisor';

export class ConsoleStream {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  private readonly clients = new Set<Client>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  /** Signature of the queue and alerts last seen by the poll, to notice other instances' changes. */
  private lastQueue = '';
  private lastAlertAt = new Date();

  constructor(private readonly deps: ConsoleStreamDeps) {
    const { bus, events } = deps;
    this.unsubscribe.push(
      bus.on('conversation', (c, { reason }) => {
        this.send((u) => isStaff(u), { type: 'queue' }, () => c.state === 'queued' || reason !== 'flagged');
        this.send((u) => isSupervisor(u) || u.id === c.assigneeId, { type: 'conversation', conversationId: c.id, state: c.state, reason });
      }),
      bus.on('message', (m) => {
        if (!this.clients.size) return;
        void deps.store.conversations.get(m.conversationId).then(
          (c) => this.send((u) => isSupervisor(u) || u.id === c?.assigneeId || (isStaff(u) && c?.state === 'queued'), { type: 'message', conversationId: m.conversationId }),
          () => undefined,
        );
      }),
      events.on('alert', (alert) => this.pushAlert(alert)),
      // Everyone on staff: counselors' transfer lists show who is available.
      events.on('presence', () => this.send(isStaff, { type: 'presence' })),
      events.on('queue', () => this.send(isStaff, { type: 'queue' })),
    );
    // Typing and read signals go to whoever may read the chat: its counselor and supervisors.
    const relay = (conversationId: string, frame: Record<string, unknown>) => {
      if (!this.clients.size) return;
      void deps.store.conversations.get(conversationId).then(
        (c) => this.send((u) => isSupervisor(u) || u.id === c?.assigneeId, { ...frame, conversationId }),
        () => undefined,
      );
    };
    if (deps.eventBus) {
      this.unsubscribe.push(
        deps.eventBus.subscribe('typing', (e) => e.who !== 'counselor' && relay(e.conversationId, { type: 'typing', who: e.who, typing: e.typing })),
        deps.eventBus.subscribe('read', (e) => e.who === 'resident' && relay(e.conversationId, { type: 'read', who: e.who, upToSeq: e.upToSeq })),
      );
    }
    this.timers.push(setInterval(() => this.heartbeat(), deps.pingMs ?? 25_000), setInterval(() => void this.poll(), deps.pollMs ?? 3_000));
    for (const t of this.timers) t.unref();
  }

  /** True when the request is for this stream (the caller then hands the socket over). */
  handles(req: IncomingMessage): boolean {
    return req.url?.split('?')[0] === CONSOLE_STREAM_PATH;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    void this.authorize(req).then(
      (auth) => {
        if (!auth) {
          socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
          socket.destroy();
          return;
        }
        this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, auth));
      },
      (err) => {
        this.deps.logger.warn({ err }, 'console stream upgrade failed');
        socket.destroy();
      },
    );
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const off of this.unsubscribe) off();
    for (const c of this.clients) c.ws.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private async authorize(req: IncomingMessage): Promise<Authenticated | undefined> {
    const origin = req.headers.origin;
    const host = req.headers.host;
    if (origin && host && new URL(origin).host !== host) return undefined;
    return this.deps.auth.authenticate(cookieFrom(req.headers.cookie, SESSION_COOKIE));
  }

  private onConnection(ws: WebSocket, auth: Authenticated): void {
    const client: Client = { ws, auth, alive: true };
    this.clients.add(client);
    ws.on('pong', () => {
      client.alive = true;
      void this.deps.auth.touch(client.auth.user).then((u) => (client.auth.user = u), () => undefined);
    });
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', (err) => {
      this.deps.logger.warn({ err: { message: err.message, code: (err as NodeJS.ErrnoException).code } }, 'console stream: closing a connection after a protocol error');
      this.clients.delete(client);
      ws.terminate();
    });
    ws.on('message', () => undefined); // The stream is one-way; anything sent is ignored.
    ws.send(JSON.stringify({ type: 'ready', userId: auth.user.id, role: auth.user.role }));
  }

  private send(to: (u: ConsoleUser) => boolean, frame: Record<string, unknown>, when: () => boolean = () => true): void {
    if (!this.clients.size || !when()) return;
    const data = JSON.stringify(frame);
    for (const c of this.clients) if (to(c.auth.user) && c.ws.readyState === c.ws.OPEN) c.ws.send(data);
  }

  private pushAlert(alert: Alert): void {
    this.send(isSupervisor, { type: 'alert', alert: { id: alert.id, kind: alert.kind, message: alert.message, conversationId: alert.conversationId, raisedAt: alert.raisedAt.toISOString() } });
  }

  private heartbeat(): void {
    for (const c of this.clients) {
      if (!c.alive) {
        c.ws.terminate();
        this.clients.delete(c);
        continue;
      }
      c.alive = false;
      c.ws.ping();
      // A session ended elsewhere (logout, disabled account) closes its streams.
      void this.deps.store.consoleSessions.find(c.auth.session.tokenHash, new Date()).then(
        (s) => s || c.ws.close(4401, 'session ended'),
        () => undefined,
      );
    }
  }

  /** Other instances change the queue and raise alerts too: poll and tell clients here. */
  private async poll(): Promise<void> {
    if (!this.clients.size) return;
    try {
      const queued = await this.deps.store.conversations.list({ states: ['queued'], limit: 10_000 });
      const signature = queued.map((c) => `${c.id}:${c.handoffSeq}:${c.priority}`).join(',');
      if (signature !== this.lastQueue) {
        this.lastQueue = signature;
        this.send(isStaff, { type: 'queue' });
      }
      const since = this.lastAlertAt;
      const alerts = await this.deps.store.alerts.list({ since, limit: 50 });
      for (const a of alerts) if (a.raisedAt > since) this.lastAlertAt = a.raisedAt > this.lastAlertAt ? a.raisedAt : this.lastAlertAt;
      if (alerts.some((a) => a.raisedAt > since)) this.send(isSupervisor, { type: 'alerts' });
    } catch (err) {
      this.deps.logger.warn({ err }, 'console stream poll failed');
    }
  }
}
