/**
 * `npm run screenshots`: starts the service on a free port (in-memory store, lexical NLU), plays a
 * few resident and counselor scenes in headless Chromium (playwright-core, /usr/bin/chromium or
 * CHROMIUM_PATH) and writes PNGs of the main states at phone and desktop sizes to docs/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { createService } from '../src/main';

const OUT = path.join(__dirname, '..', 'docs', 'screenshots');
const PHONE = { width: 390, height: 780 };
const DESKTOP = { width: 1280, height: 800 };
const ADMIN = { login: 'admin', password: 'screenshot-admin-1' };

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silent };

/** A small photo for the report scene: a grey "road" with a dark "pothole". */
function roadPhoto(): Buffer {
  const width = 480;
  const height = 360;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const hole = (x - 240) ** 2 / 90 ** 2 + (y - 200) ** 2 / 50 ** 2 < 1;
      const grey = hole ? 40 : 120 + ((x * 7 + y * 13) % 23);
      row.set([grey, grey, hole ? 45 : grey + 5], 1 + x * 3);
    }
    rows.push(row);
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const service = await createService({
    env: { PORT: '0', HOST: '127.0.0.1', NLU_MODE: 'lexical', LOG_LEVEL: 'silent', ROUTING: 'manual', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password },
    logger: silent,
  });
  const browser: Browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const shot = async (page: Page, name: string, fullPage = false) => {
    await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined))));
    await page.screenshot({ path: path.join(OUT, `${name}.png`), animations: 'disabled', fullPage });
    console.log(`docs/screenshots/${name}.png`);
  };
  const replies = (page: Page, n: number) => page.waitForFunction((count) => document.querySelectorAll('#log > li[data-author]:not([data-author="resident"])').length >= count, n, { timeout: 20_000 });
  const webchat = async (options: BrowserContextOptions) => {
    const context = await browser.newContext({ locale: 'ko-KR', ...options });
    const page = await context.newPage();
    await page.goto(`${service.url}/webchat/`);
    await page.locator('#status[data-state="online"]').waitFor();
    return page;
  };
  const say = async (page: Page, text: string, expect: number) => {
    await page.fill('#input', text);
    await page.press('#input', 'Enter');
    await replies(page, expect);
  };

  try {
    // Staff accounts through the console API.
    const api = async (cookie: string, csrf: string, method: string, p: string, body?: unknown) =>
      fetch(`${service.url}/api/console/v1${p}`, { method, headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf }, body: body === undefined ? undefined : JSON.stringify(body) });
    const login = async (name: string, password: string) => {
      const res = await fetch(`${service.url}/api/console/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: name, password }) });
      return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
    };
    const admin = await login(ADMIN.login, ADMIN.password);
    for (const [name, role, displayName] of [['kim', 'counselor', '김하늘'], ['boss', 'supervisor', '박지현']] as const) {
      await api(admin.cookie, admin.csrf, 'POST', '/users', { login: name, password: `pw-${name}-screens`, role, displayName, languages: ['ko', 'en'], teams: [] });
    }

    // 1. The web chat: empty, an answer with chips, a report with a photo, dark mode, desktop.
    let page = await webchat({ viewport: PHONE });
    await shot(page, 'webchat-empty-phone');
    await say(page, '음식물 쓰레기 언제 버려요?', 1);
    await say(page, '뷁뚫햏 퓌퓌 쀍', 2);
    await say(page, '꿻뛣 쀍쀍 퓨퓨', 3);
    await page.locator('#quick-replies:not([hidden])').waitFor();
    await shot(page, 'webchat-answer-phone');
    await page.context().close();

    page = await webchat({ viewport: PHONE, permissions: ['geolocation'], geolocation: { latitude: 37.2636, longitude: 127.0286 } });
    await say(page, '도로에 포트홀이 생겼어요', 1);
    await page.click('#location');
    await replies(page, 2);
    await say(page, '2차로에 지름 50cm 정도 포트홀이 있어요', 3);
    await page.locator('#photo-input').setInputFiles({ name: 'pothole.png', mimeType: 'image/png', buffer: roadPhoto() });
    await replies(page, 4);
    await page.locator('.chip', { hasText: '네, 접수' }).click();
    await replies(page, 5);
    await shot(page, 'webchat-report-phone');
    await page.context().close();

    page = await webchat({ viewport: PHONE, colorScheme: 'dark' });
    await say(page, '너무 힘들어서 죽고 싶어요', 1);
    await page.waitForFunction(() => document.querySelectorAll('#log > li[data-author="bot"], #log > li[data-author="system"]').length >= 2, undefined, { timeout: 20_000 });
    await shot(page, 'webchat-crisis-dark-phone');
    await page.context().close();

    page = await webchat({ viewport: DESKTOP, locale: 'vi-VN' });
    await say(page, 'Tôi muốn hỏi về thuế ô tô', 1);
    await shot(page, 'webchat-vietnamese-desktop');
    await page.context().close();

    // 2. The console: a counselor with the queue and an open chat; a supervisor's dashboard.
    const consolePage = async (name: string, password: string, viewport: { width: number; height: number }) => {
      const context = await browser.newContext({ locale: 'ko-KR', viewport });
      const p = await context.newPage();
      await p.goto(`${service.url}/console/`);
      await p.fill('#login-form [name=login]', name);
      await p.fill('#login-form [name=password]', password);
      await p.click('[data-testid=login-submit]');
      await p.waitForSelector('#app:not([hidden])');
      return p;
    };
    for (const [device, text] of [['a', '상담사 연결해 주세요'], ['b', '여권 재발급 상담원이랑 얘기하고 싶어요']]) {
      const res = await fetch(`${service.url}/api/app/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: device, locale: 'ko-KR' }) });
      const { token } = (await res.json()) as { token: string };
      await fetch(`${service.url}/api/app/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ text, clientMessageId: `s-${device}` }) });
    }
    page = await consolePage('kim', 'pw-kim-screens', DESKTOP);
    await page.locator('[data-testid=queue-row]').nth(2).waitFor({ timeout: 20_000 });
    await page.locator('[data-testid=queue-row] [data-testid=accept]').first().click();
    await page.waitForSelector('#chat-body:not([hidden])');
    await page.fill('[data-testid=composer-text]', '안녕하세요, 120 상담사 김하늘입니다. 무엇을 도와드릴까요?');
    await page.click('[data-testid=send]');
    await page.locator('[data-testid=message][data-author=counselor]').waitFor();
    await page.fill('[data-testid=composer-text]', '/자살 예방');
    await page.locator('[data-testid=canned-item]').first().waitFor();
    await shot(page, 'console-chat-desktop');
    await page.context().close();

    page = await consolePage('kim', 'pw-kim-screens', PHONE);
    await page.locator('[data-testid=queue-row]').first().waitFor();
    await shot(page, 'console-queue-phone');
    await page.context().close();

    page = await consolePage('boss', 'pw-boss-screens', DESKTOP);
    await page.click('[data-testid=tab-dashboard]');
    await page.locator('[data-testid=kpi-queue]').waitFor();
    await page.waitForFunction(() => typeof (window as unknown as { Chart?: unknown }).Chart === 'function');
    await shot(page, 'console-dashboard-desktop');
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(300); // chart.js redraws on its own resize observer
    await shot(page, 'console-dashboard-phone', true);
    await page.context().close();
  } finally {
    await browser.close();
    await service.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
