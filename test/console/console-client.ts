/** A console user over HTTP for tests: keeps the session cookie and sends the CSRF token. */
export interface ApiResult<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export class ConsoleClient {
  cookie = '';
  csrf = '';

  constructor(readonly baseUrl: string) {}

  async login(login: string, password: string): Promise<ApiResult> {
    const res = await fetch(`${this.baseUrl}/api/console/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password }),
    });
    const body = (await res.json()) as Record<string, unknown>;
    const setCookie = res.headers.get('set-cookie');
    if (res.status === 200 && setCookie) {
      this.cookie = setCookie.split(';')[0]!;
      this.csrf = String(body.csrfToken);
    }
    return { status: res.status, body };
  }

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
    const res = await fetch(`${this.baseUrl}/api/console/v1${path}`, {
      method,
      headers: {
        ...(this.cookie && { cookie: this.cookie }),
        ...(method !== 'GET' && this.csrf && { 'x-csrf-token': this.csrf }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // CSV and empty answers stay text.
    }
    return { status: res.status, body: parsed as T };
  }

  get<T = Record<string, unknown>>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = Record<string, unknown>>(path: string, body: unknown = {}) {
    return this.request<T>('POST', path, body);
  }
}

export interface QueueItem {
  conversationId: string;
  priority: string;
  language: string;
  channel: string;
  waitingSince: string;
  position: number;
}

/** Signs in as the bootstrap admin and creates users; returns signed-in clients by login. */
export async function createStaff(
  baseUrl: string,
  admin: { login: string; password: string },
  users: { login: string; role: 'counselor' | 'supervisor' | 'admin' | 'qa'; languages?: string[]; teams?: string[]; shift?: string; maxConcurrent?: number }[],
): Promise<Record<string, ConsoleClient>> {
  const adminClient = new ConsoleClient(baseUrl);
  const login = await adminClient.login(admin.login, admin.password);
  if (login.status !== 200) throw new Error(`admin login: ${login.status} ${JSON.stringify(login.body)}`);
  const out: Record<string, ConsoleClient> = { [admin.login]: adminClient };
  for (const u of users) {
    const password = `pw-${u.login}-secret`;
    const created = await adminClient.post('/users', { languages: ['ko'], teams: [], ...u, password });
    if (created.status !== 201) throw new Error(`create ${u.login}: ${created.status} ${JSON.stringify(created.body)}`);
    const client = new ConsoleClient(baseUrl);
    const res = await client.login(u.login, password);
    if (res.status !== 200) throw new Error(`login ${u.login}: ${res.status}`);
    out[u.login] = client;
  }
  return out;
}

/** Polls until `check` returns a value (not undefined/false), or fails after timeoutMs. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
