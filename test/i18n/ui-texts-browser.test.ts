/**
 * The web chat and the console in real Chromium draw their texts from the catalogue route
 * (/i18n/<namespace>/<lang>.json): nothing is drawn before the texts are here, a failed load is
 * tried again, and switching language loads the other table.
 */
import type { Browser, Page, Route } from 'playwright-core';
import type { Service } from '../../src/main';
import { launchChromium } from '../support/browser';
import { startService } from '../support/service';
import { createStaff } from '../console/console-client';
import { waitUntil } from '../webchat/webchat-page';

jest.setTimeout(90_000);
const ADMIN = { login: 'admin', password: 'admin-password-1' };

/**
 * Holds the first request for `pattern` until `release()`, then fails it (and `failures - 1` more):
 * the page meets a server that does not answer, then one that refuses, then the real one.
 */
async function failFirstLoads(page: Page, pattern: string, failures: number) {
  const asked: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held: () => void;
  const heldNow = new Promise<void>((resolve) => (held = resolve));
  await page.route(pattern, async (route: Route) => {
    asked.push(new URL(route.request().url()).pathname);
    if (asked.length === 1) {
      held();
      await released;
    }
    if (asked.length <= failures) return route.fulfill({ status: 503, body: 'busy' });
    return route.fallback();
  });
  return { asked, release, held: heldNow };
}

describe('catalogue texts in the browser UIs', () => {
  let service: Service;
  let browser: Browser;
  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000' });
    await createStaff(service.url, ADMIN, [{ login: 'boss', role: 'supervisor' }]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('web chat: draws nothing before its texts are here, and gets them after failed loads', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const loads = await failFirstLoads(page, '**/i18n/webchat/en.json', 2);
    await page.goto(`${service.url}/webchat/`);
    await loads.held;
    // Waiting for the English texts: the page shows its own markup, and no session is started.
    expect(await page.locator('#status').getAttribute('data-state')).toBe('connecting');
    expect(await page.locator('#status-text').textContent()).toBe('연결 중…');
    expect(await page.locator('#log li').count()).toBe(0);
    loads.release();

    await page.locator('#status[data-state="online"]').waitFor({ timeout: 30_000 });
    expect(loads.asked.length).toBeGreaterThanOrEqual(3);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('button', { name: 'Send', exact: true }).count()).toBe(1);
    expect(await page.locator('#status-text').textContent()).toBe('Connected');
    await context.close();
  });

  it('web chat: switching language draws the table the server serves for that language', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    // The Vietnamese table as served, with one text changed: what the widget shows comes from here.
    await page.route('**/i18n/webchat/vi.json', async (route) => {
      const served = await route.fetch();
      const table = (await served.json()) as Record<string, string>;
      await route.fulfill({ response: served, json: { ...table, 'composer.send': 'Gửi đi' } });
    });
    await page.goto(`${service.url}/webchat/`);
    await page.locator('#status[data-state="online"]').waitFor();
    expect(await page.getByRole('button', { name: '보내기', exact: true }).count()).toBe(1);

    await page.getByRole('combobox', { name: '언어' }).selectOption('vi');
    await waitUntil('Vietnamese', async () => (await page.getAttribute('html', 'lang')) === 'vi');
    expect(await page.getByRole('button', { name: 'Gửi đi', exact: true }).count()).toBe(1);
    expect(await page.getByRole('textbox', { name: 'Nhập tin nhắn' }).getAttribute('placeholder')).toBe('Nhập tin nhắn của bạn');
    await context.close();
  });

  it('console: shows a loading note until its texts come, then labels the admin pages in Korean and in English', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    const loads = await failFirstLoads(page, '**/i18n/console/ko.json', 1);
    await page.goto(`${service.url}/console/`);
    await loads.held;
    expect(await page.locator('#booting').isVisible()).toBe(true);
    expect(await page.locator('#login-view').isVisible()).toBe(false);
    loads.release();

    await page.locator('#login-view:not([hidden])').waitFor({ timeout: 30_000 });
    expect(await page.locator('#booting').isVisible()).toBe(false);
    expect(loads.asked.length).toBeGreaterThanOrEqual(2);
    await page.fill('#login-form [name=login]', ADMIN.login);
    await page.fill('#login-form [name=password]', ADMIN.password);
    await page.click('[data-testid=login-submit]');
    await page.locator('[data-testid=user-row]').first().waitFor();
    const headers = () => page.$$eval('#view-users th', (ths) => ths.map((th) => th.textContent?.trim()));
    expect((await headers()).slice(0, 3)).toEqual(['아이디', '이름', '역할']);
    expect(await page.locator('#user-form button[type=submit]').textContent()).toBe('만들기');

    await page.click('#ui-language');
    await waitUntil('English', async () => (await page.getAttribute('html', 'lang')) === 'en');
    expect((await headers()).slice(0, 3)).toEqual(['Login', 'Name', 'Role']);
    expect(await page.locator('#user-form button[type=submit]').textContent()).toBe('Create');
    await waitUntil('the accounts in English', async () =>
      (await page.locator('[data-testid=user-row]').allTextContents()).some((row) => row.includes('Administrator')),
    );
    await context.close();
  });

  it("console: the dashboard's KPI labels follow the console language, with ICU plurals in English", async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await page.goto(`${service.url}/console/`);
    await page.fill('#login-form [name=login]', 'boss');
    await page.fill('#login-form [name=password]', 'pw-boss-secret');
    await page.click('[data-testid=login-submit]');
    await page.click('[data-testid=tab-dashboard]');
    const queueLabel = page.locator('[data-testid=kpi-queue] .label');
    await waitUntil('the KPIs', async () => (await queueLabel.count()) === 1);
    expect(await queueLabel.textContent()).toBe('대기 중');
    expect(await page.locator('[data-testid=kpi-wait] .sub').textContent()).toMatch(/^90% .+ · \d+건$/);

    await page.click('#ui-language');
    await waitUntil('the KPIs in English', async () => (await queueLabel.textContent()) === 'Waiting');
    expect(await page.locator('[data-testid=kpi-wait] .sub').textContent()).toMatch(/^90% within .+ · (1 chat|\d+ chats)$/);
    expect(await page.locator('[data-testid=kpi-helpful] .sub').textContent()).toBe('Answers to "Was this helpful?"');
    await context.close();
  });
});
