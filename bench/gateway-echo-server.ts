/**
 * The ceiling for bench:gateway: a bare node:http server on loopback speaking the same app API calls
 * the residents use (session, POST message, long-poll GET) that echoes each message at once, with no
 * store, no NLU and no framework. Run as its own process; prints `PORT <n>` when listening.
 */
import http from 'node:http';
import crypto from 'node:crypto';

interface EchoMessage {
  id: string;
  seq: number;
  author: string;
  direction: string;
  text: string;
  clientMessageId?: string;
  createdAt: string;
}

interface Conversation {
  messages: EchoMessage[];
  waiter?: () => void;
}

const MAX_CONVERSATIONS = 50_000;
const conversations = new Map<string, Conversation>();

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => {
      try {
        resolve(data ? JSON.parse(data) : {});
      } catch (err) {
        reject(err as Error);
      }
    });
    req.on('error', reject);
  });
}

function add(c: Conversation, author: string, text: string, clientMessageId?: string): void {
  c.messages.push({
    id: crypto.randomUUID(),
    seq: c.messages.length + 1,
    author,
    direction: author === 'resident' ? 'inbound' : 'outbound',
    text,
    ...(clientMessageId && { clientMessageId }),
    createdAt: new Date().toISOString(),
  });
  if (c.messages.length > 200) c.messages.splice(0, c.messages.length - 200); // bounded
}

function after(c: Conversation, cursor: string | null): EchoMessage[] {
  const seq = Number(cursor?.split('.').pop() ?? 0) || 0;
  return c.messages.filter((m) => m.seq > seq);
}

const server = http.createServer((req, res) => {
  void (async () => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST' && url.pathname === '/api/app/v1/sessions') {
      await readBody(req);
      const token = crypto.randomBytes(24).toString('base64url');
      if (conversations.size >= MAX_CONVERSATIONS) conversations.delete(conversations.keys().next().value!);
      conversations.set(token, { messages: [] });
      return send(res, 201, { token, conversationId: token.slice(0, 12), residentId: token.slice(12, 24) });
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    const c = conversations.get(token);
    if (!c) return send(res, 401, { error: { code: 'unauthorized' } });
    if (req.method === 'POST' && url.pathname === '/api/app/v1/messages') {
      const body = (await readBody(req)) as { text?: string; clientMessageId?: string };
      add(c, 'resident', body.text ?? '', body.clientMessageId);
      add(c, 'bot', `echo: ${body.text ?? ''}`);
      send(res, 202, { messageId: c.messages.at(-2)!.id, duplicate: false });
      c.waiter?.();
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/app/v1/messages') {
      const cursor = url.searchParams.get('after');
      const reply = () => {
        const messages = after(c, cursor);
        const last = messages.at(-1)?.seq ?? Number(cursor?.split('.').pop() ?? 0);
        send(res, 200, { messages, cursor: `${token.slice(0, 12)}.${last}` });
      };
      const wait = Math.min(Number(url.searchParams.get('wait') ?? 0), 30) * 1000;
      if (after(c, cursor).length || !wait) return reply();
      const timer = setTimeout(done, wait);
      function done() {
        clearTimeout(timer);
        if (c!.waiter === done) c!.waiter = undefined;
        reply();
      }
      c.waiter = done;
      return;
    }
    send(res, 404, { error: { code: 'not_found' } });
  })().catch(() => send(res, 400, { error: { code: 'bad_request' } }));
});

server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`PORT ${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
