/**
 * The counselor console as a 24/7 floor uses it, in real Chromium: a crisis chat rings (desktop
 * notification, tab title), a transfer clears the pane without errors, a refresh keeps the reading
 * position, signing out in one tab signs out the other, shortcuts, "/" canned answers, the transfer
 * list follows presence, queue previews and SLA countdowns, a phone layout, and axe-core on every
 * console page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Service } from '../../src/main';
import { seriousViolations } from '../support/axe';
import { launchChromium } from '../support/browser';
import { makePng } from '../support/png';
import { AppClient, startService } from '../support/service';
import { createStaff, eventually, type ConsoleClient } from './console-client';

jest.setTimeout(120_000);

const ADMIN = { login: 'admin', password: 'admin-password-1' };

describe('counselor console: alerts, state, shortcuts, accessibility', () => {
  let service: Service;
  let browser: Browser;
  let staff: Record<string, ConsoleClient>;
  const problems: string[] = [];

  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000', HANDOFF_TICK_MS: '200' });
    staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor', languages: ['ko', 'en'] },
      { login: 'lee', role: 'counselor', languages: ['ko'] },
      { login: 'park', role: 'counselor', languages: ['ko'] },
      { login: 'boss', role: 'supervisor', languages: ['ko'] },
    ]);
    browser = await launchChromium();
  });
  beforeEach(() => {
    problems.length = 0;
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function signIn(login: string, password: string, context?: BrowserContext, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const ctx = context ?? (await browser.newContext({ locale: 'ko-KR', viewport }));
    const page = await ctx.newPage();
    page.on('pageerror', (err) => problems.push(`${login}: ${err.message}`));
    page.on('response', (res) => {
      if (res.url().includes('/api/console/v1/') && res.status() === 403) problems.push(`${login}: 403 ${res.url()}`);
    });
    await page.goto(`${service.url}/console/`);
    // The console draws after its texts load: wait for whichever view it settles on.
    await page.waitForSelector('#login-view:not([hidden]), #app:not([hidden])');
    if (await page.locator('#login-view:not([hidden])').count()) {
      await page.fill('#login-form [name=login]', login);
      await page.fill('#login-form [name=password]', password);
      await page.click('[data-testid=login-submit]');
    }
    await page.waitForSelector('#app:not([hidden])');
    return page;
  }

  async function queuedResident(text: string, deviceId: string) {
    const resident = new AppClient(service.url);
    await resident.start({ deviceId, locale: 'ko-KR' });
    await resident.say(text);
    await eventually(async () => (await service.store.conversations.get(resident.conversationId))?.state === 'queued', 10_000, 'queued');
    return resident;
  }

  async function expectAxeClean(page: Page, what: string) {
    expect({ what, found: await seriousViolations(page) }).toEqual({ what, found: [] });
  }

  it('rings for a crisis chat: desktop notification, sound and a count in the tab title', async () => {
    const context = await browser.newContext({ locale: 'ko-KR', permissions: ['notifications'] });
    // Record notifications as the page creates them (the headless browser shows none).
    await context.addInitScript(() => {
      const shown: { title: string; body?: string; requireInteraction?: boolean }[] = [];
      (window as unknown as { __notifications: typeof shown }).__notifications = shown;
      const Real = window.Notification;
      class Recorded extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push({ title, body: options?.body, requireInteraction: options?.requireInteraction });
        }
      }
      Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
      (window as unknown as { Notification: typeof Notification }).Notification = Recorded as unknown as typeof Notification;
    });
    const page = await signIn('kim', 'pw-kim-secret', context);
    await page.click('[data-testid=notify]');
    await page.locator('[data-testid=notify][aria-pressed=true]').waitFor();
    await page.locator('#queue-empty:not([hidden]), [data-testid=queue-row]').first().waitFor();

    const resident = await queuedResident('너무 힘들어서 죽고 싶어요', 'crisis-1');
    const notes = await eventually(
      () => page.evaluate(() => (window as unknown as { __notifications: { body?: string; requireInteraction?: boolean }[] }).__notifications.filter((n) => /위기/.test(n.body ?? ''))),
      15_000,
      'a crisis notification',
    ).then((list) => (list.length ? list : Promise.reject(new Error('none'))));
    expect(notes[0]).toMatchObject({ requireInteraction: true });
    await eventually(async () => /^\(\d+!\) /.test(await page.title()), 10_000, 'title count with a crisis mark');
    const row = page.locator(`[data-testid=queue-row][data-conversation-id="${resident.conversationId}"]`);
    await row.waitFor();
    // Each row shows what the resident last said and how long until the SLA alert.
    expect(await row.locator('[data-testid=queue-preview]').textContent()).toMatch(/죽고 싶어요|109/);
    await eventually(async () => /남음|초과/.test((await row.locator('[data-testid=queue-sla]').textContent()) ?? ''), 5000, 'sla countdown');
    await staff.boss!.post(`/conversations/${resident.conversationId}/accept`);
    await staff.boss!.post(`/conversations/${resident.conversationId}/close`, { resolution: 'referred', confirm: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('clears the pane after a transfer (tools off, no 403) and keeps the transfer list in step with presence', async () => {
    await staff.lee!.post('/presence', { status: 'offline' });
    const resident = await queuedResident('상담사 연결해 주세요', 'transfer-1');
    const page = await signIn('kim', 'pw-kim-secret');
    await page.locator(`[data-testid=queue-row][data-conversation-id="${resident.conversationId}"] [data-testid=accept]`).click();
    await page.waitForSelector('#chat-body:not([hidden])');
    const option = page.locator('#transfer-target option', { hasText: 'lee' });
    expect(await option.textContent()).toContain('오프라인');
    // Lee comes on shift: kim's list says so without a reload.
    await staff.lee!.post('/presence', { status: 'available' });
    await eventually(async () => ((await option.textContent()) ?? '').includes('상담 가능'), 10_000, 'lee available in the list');

    await page.selectOption('[data-testid=transfer-target]', { label: (await option.textContent())! });
    await page.click('[data-testid=transfer]');
    await page.locator('#chat-body').waitFor({ state: 'hidden' });
    expect(await page.locator('#chat-placeholder').isVisible()).toBe(true);
    expect(await page.locator('[data-testid=send]').isDisabled()).toBe(true);
    // New frames about the chat (lee answers) do not bring it back or cause errors.
    await staff.lee!.post(`/conversations/${resident.conversationId}/messages`, { text: '이관받은 상담사 이입니다.' });
    await page.waitForTimeout(0);
    await eventually(async () => (await service.store.messages.listByConversation(resident.conversationId)).some((m) => m.content.text === '이관받은 상담사 이입니다.'), 5000, 'lee replied');
    expect(await page.locator('#chat-body').isHidden()).toBe(true);
    expect(await page.locator('[data-testid=chat-error]').textContent()).toBe('');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('keeps the reading position when the transcript refreshes, and follows when at the newest message', async () => {
    const resident = await queuedResident('상담사 연결해 주세요', 'scroll-1');
    await staff.park!.post(`/conversations/${resident.conversationId}/accept`);
    for (let i = 1; i <= 25; i++) await staff.park!.post(`/conversations/${resident.conversationId}/messages`, { text: `안내 ${i}번째 줄입니다.\n자세한 내용은 아래와 같습니다.` });
    const page = await signIn('park', 'pw-park-secret', undefined, { width: 1280, height: 700 });
    await page.locator('[data-testid=my-chat] button').first().click();
    await page.locator('[data-testid=message]', { hasText: '안내 25번째' }).waitFor();
    const transcript = page.locator('#transcript');
    expect(await transcript.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(5);
    await transcript.evaluate((el) => (el.scrollTop = 120));

    const question = await resident.say('그럼 신청은 어디서 하나요?');
    await page.locator(`[data-testid=message][data-id="${question.messageId}"]`).waitFor();
    expect(await transcript.evaluate((el) => el.scrollTop)).toBe(120);

    await transcript.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const next = await resident.say('답변 기다릴게요');
    await page.locator(`[data-testid=message][data-id="${next.messageId}"]`).waitFor();
    expect(await transcript.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(5);

    // "/" canned answers: words, not characters.
    await page.fill('[data-testid=composer-text]', '/자살 예방');
    const first = page.locator('[data-testid=canned-item]').first();
    await first.waitFor();
    expect(await page.locator('[data-testid=canned]').textContent()).toContain('109');
    expect(await page.locator('[data-testid=canned]').textContent()).not.toContain('예방접종');
    await page.press('[data-testid=composer-text]', 'Enter');
    expect(await page.inputValue('[data-testid=composer-text]')).toContain('109');

    // A photo from the counselor reaches the web resident.
    await page.locator('#attach-input').setInputFiles({ name: 'map.png', mimeType: 'image/png', buffer: makePng(80, 60) });
    await eventually(async () => (await resident.poll(1)).some((m) => (m as { images?: unknown[] }).images?.length), 10_000, 'photo to the resident');
    await page.locator('[data-testid=message][data-author=counselor] img.photo').first().waitFor();

    await expectAxeClean(page, 'work with an open chat');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('signs out every tab when one tab signs out', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const first = await signIn('kim', 'pw-kim-secret', context);
    const second = await signIn('kim', 'pw-kim-secret', context);
    expect(await second.locator('#app').isVisible()).toBe(true);
    await first.click('#logout');
    await second.locator('#login-view:not([hidden])').waitFor({ timeout: 5000 });
    expect(await second.locator('#login-error').textContent()).toContain('다른 탭');
    await context.close();
  });

  it('accepts the next chat with Alt+A, closes with Alt+C and explains the shortcuts with ?', async () => {
    const resident = await queuedResident('상담원이랑 얘기하고 싶어요', 'keys-1');
    const page = await signIn('lee', 'pw-lee-secret');
    await page.locator(`[data-testid=queue-row][data-conversation-id="${resident.conversationId}"]`).waitFor();
    await page.keyboard.press('?');
    await page.locator('[data-testid=shortcuts][open]').waitFor();
    await expectAxeClean(page, 'shortcut help');
    await page.keyboard.press('Escape');
    // Whatever is at the head of the queue is accepted.
    const head = await page.locator('[data-testid=queue-row]').first().getAttribute('data-conversation-id');
    await page.keyboard.press('Alt+a');
    await eventually(async () => (await service.store.conversations.get(head!))?.state === 'assigned', 10_000, 'accepted');
    await page.waitForSelector('#chat-body:not([hidden])');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('composer-text');
    await page.fill('[data-testid=composer-text]', '안녕하세요, 무엇을 도와드릴까요?');
    await page.keyboard.press('Control+Enter');
    await eventually(async () => (await service.store.messages.listByConversation(head!)).some((m) => m.author === 'counselor'), 5000, 'sent');
    await page.keyboard.press('Alt+c');
    await eventually(async () => (await service.store.conversations.get(head!))?.state === 'closed', 10_000, 'closed');
    await page.locator('#chat-body').waitFor({ state: 'hidden' });
    await page.context().close();
  });

  it('passes axe-core on every console page, and works on a phone', async () => {
    const login = await (await browser.newContext({ locale: 'ko-KR' })).newPage();
    await login.goto(`${service.url}/console/`);
    await login.locator('#login-view:not([hidden])').waitFor();
    await expectAxeClean(login, 'login');
    await login.context().close();

    const sup = await signIn('boss', 'pw-boss-secret');
    await expectAxeClean(sup, 'work (supervisor)');
    await sup.click('[data-testid=tab-search]');
    await sup.fill('[data-testid=search-q]', '상담사');
    await sup.click('[data-testid=search-submit]');
    await sup.locator('#search-status:not(:empty)').waitFor();
    await expectAxeClean(sup, 'search');
    await sup.click('[data-testid=tab-dashboard]');
    await sup.locator('[data-testid=kpi-queue]').waitFor();
    await expectAxeClean(sup, 'dashboard');
    // Topics in Korean, with the count written at every bar.
    expect(await sup.getAttribute('[data-testid=chart-intents]', 'aria-label')).toMatch(/상담사 연결 요청 \d+/);
    const crisis = await queuedResident('너무 힘들어서 죽고 싶어요', 'alerts-crisis');
    await eventually(async () => (await service.store.alerts.list({ limit: 50 })).some((a) => a.conversationId === crisis.conversationId && a.kind === 'crisis'), 10_000, 'crisis alert');
    await sup.click('[data-testid=tab-alerts]');
    const alert = sup.locator('[data-testid=alert][data-kind=crisis]').first();
    await alert.waitFor();
    await expectAxeClean(sup, 'alerts');
    // A crisis alert links to its chat.
    await alert.locator('[data-testid=alert-open]').click();
    await sup.waitForSelector('#chat-body:not([hidden])');
    expect(await sup.locator('#view-work').isVisible()).toBe(true);
    await sup.context().close();

    const admin = await signIn(ADMIN.login, ADMIN.password);
    await admin.locator('[data-testid=users] tr').first().waitFor();
    await expectAxeClean(admin, 'users');
    await admin.context().close();

    // A phone: no sideways scrolling; an open chat fills the screen and has a way back.
    const resident = await queuedResident('상담사 연결해 주세요', 'phone-1');
    const phone = await signIn('kim', 'pw-kim-secret', undefined, { width: 375, height: 740 });
    await phone.locator(`[data-testid=queue-row][data-conversation-id="${resident.conversationId}"] [data-testid=accept]`).click();
    await phone.waitForSelector('#chat-body:not([hidden])');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    expect(await phone.locator('.sidebar').isVisible()).toBe(false);
    await expectAxeClean(phone, 'work on a phone');
    await phone.click('#chat-back');
    expect(await phone.locator('.sidebar').isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await phone.context().close();
  });
});
