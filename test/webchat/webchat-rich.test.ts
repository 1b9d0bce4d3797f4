/**
 * The web chat as residents expect it, in real Chromium against the whole service: a report with
 * a shared location and a photo (uploaded, resized, shown to the counselor), the log following
 * multi-message turns at phone and desktop widths, the "new messages" pill, chips at 320 px,
 * phone-number links, each bubble's language, emoji, typing and read state both ways, and axe-core
 * on every state (the opening welcome, answer with chips, flow, queued, survey) in light and dark mode.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { partsOf } from '../../src/core/message';
import WebSocket from 'ws';
import type { Service } from '../../src/main';
import { ConsoleClient, createStaff, eventually } from '../console/console-client';
import { seriousViolations } from '../support/axe';
import { launchChromium } from '../support/browser';
import { jpegSize, makePng } from '../support/png';
import { startService } from '../support/service';
import { answers, waitUntil, WebchatPage } from './webchat-page';

jest.setTimeout(120_000);

const ADMIN = { login: 'admin', password: 'admin-password-1' };
const GEO = { latitude: 37.2636, longitude: 127.0286 };

describe('web chat: photos, location, scrolling, signals and accessibility', () => {
  let service: Service;
  let browser: Browser;
  let staff: Record<string, ConsoleClient>;

  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000' });
    staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor', languages: ['ko', 'en'] },
      { login: 'boss', role: 'supervisor', languages: ['ko'] },
    ]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function open(options: BrowserContextOptions = {}, query = '') {
    const context = await browser.newContext({ locale: 'ko-KR', ...options });
    return WebchatPage.open(context, service, query);
  }

  /** Waits for a message from the bot or a counselor (not the welcome) whose text matches. */
  function replyMatching(chat: WebchatPage, pattern: RegExp) {
    return waitUntil(`a reply matching ${pattern}`, async () => answers(await chat.messages()).find((m) => pattern.test(m.text)));
  }

  /** Where the newest message sits relative to the visible part of the log. */
  function lastMessagePlacement(page: Page) {
    return page.evaluate(() => {
      const scroller = document.getElementById('log-scroll')!.getBoundingClientRect();
      const items = document.querySelectorAll('#log > li');
      const last = items[items.length - 1]!.getBoundingClientRect();
      return { hiddenBelow: Math.max(0, Math.round(last.bottom - scroller.bottom)), pill: !document.getElementById('new-messages')!.hidden };
    });
  }

  /** Whether the log is taller than its scrolling box (so a resident can read back at all). */
  function logOverflows(page: Page) {
    return page.$eval('#log-scroll', (el) => el.scrollHeight > el.clientHeight + 100);
  }

  async function expectNoSeriousViolations(page: Page, state: string) {
    const problems = await seriousViolations(page);
    expect({ state, problems }).toEqual({ state, problems: [] });
  }

  it('files a road-damage report with a shared location and a photo; a supervisor finds it by ticket number and sees the photo', async () => {
    const chat = await open({ permissions: ['geolocation'], geolocation: GEO, viewport: { width: 375, height: 667 } });
    const page = chat.page;
    await chat.send('도로에 포트홀이 생겼어요');
    await replyMatching(chat, /위치/);
    await expectNoSeriousViolations(page, 'flow');

    await page.getByRole('button', { name: '내 위치 보내기' }).click();
    await replyMatching(chat, /어떤 상태인지/);
    const stored = await chat.storedMessages();
    expect(partsOf(stored.find((m) => partsOf(m.content).location)!.content).location).toMatchObject(GEO);

    await chat.send('2차로에 지름 50cm 정도 포트홀이 있어요');
    await replyMatching(chat, /사진/);

    // A 2400x1800 camera-sized photo: shrunk in the browser before it is sent.
    await page.locator('#photo-input').setInputFiles({ name: 'pothole.png', mimeType: 'image/png', buffer: makePng(2400, 1800) });
    await replyMatching(chat, /사진: 1장/);
    const photoMessage = (await chat.storedMessages()).find((m) => partsOf(m.content).images?.length)!;
    const ref = partsOf(photoMessage.content).images![0]!.url;
    expect(ref).toMatch(/^media:/);
    const media = await service.store.media.get(ref.slice('media:'.length));
    expect(media).toMatchObject({ mimeType: 'image/jpeg', source: 'resident' });
    const bytes = (await service.store.media.read(media!.id))!;
    expect(jpegSize(bytes)).toEqual({ width: 1600, height: 1200 });
    // The resident's own photo shows in the log (loaded with the session token).
    await waitUntil('the photo to show', () => page.$eval('li[data-author="resident"] .msg__photo img', (img) => (img as HTMLImageElement).naturalWidth > 0));

    await chat.quickReplies.filter({ hasText: /^네, 접수/ }).first().click();
    const done = await replyMatching(chat, /GG-\d{8}-\d{4}/);
    const reference = /GG-\d{8}-\d{4}/.exec(done.text)![0];
    // The ticket number, the last message of a multi-message turn, is on screen.
    expect(await lastMessagePlacement(page)).toMatchObject({ hiddenBelow: 0 });

    // The supervisor searches by the ticket number, opens the chat and sees the photo.
    const console = await browser.newContext({ locale: 'ko-KR' });
    const sup = await console.newPage();
    await sup.goto(`${service.url}/console/`);
    await sup.fill('#login-form [name=login]', 'boss');
    await sup.fill('#login-form [name=password]', 'pw-boss-secret');
    await sup.click('[data-testid=login-submit]');
    await sup.waitForSelector('#app:not([hidden])');
    await sup.click('[data-testid=tab-search]');
    await sup.fill('[data-testid=search-ticket]', reference.toLowerCase());
    await sup.click('[data-testid=search-submit]');
    const hit = sup.locator('[data-testid=search-result]').first();
    await hit.waitFor();
    expect(await hit.textContent()).toContain(reference);
    await hit.locator('button').first().click();
    const img = sup.locator(`[data-testid=message][data-id="${photoMessage.id}"] img`);
    await img.waitFor();
    await waitUntil('the photo in the console', () => img.evaluate((el) => (el as HTMLImageElement).naturalWidth === 1600));
    expect(await img.getAttribute('src')).toMatch(/^\/api\/console\/v1\/conversations\/[^/]+\/messages\/[^/]+\/images\/0$/);
    await console.close();
    await chat.page.context().close();
  });

  for (const viewport of [
    { width: 320, height: 568 },
    { width: 375, height: 667 },
    { width: 1280, height: 800 },
  ]) {
    it(`follows a multi-message turn at ${viewport.width} px, and offers a pill instead when the resident reads back`, async () => {
      const chat = await open({ viewport });
      const page = chat.page;
      for (const text of ['안녕하세요', '음식물 쓰레기 언제 버려요?', '여권 발급은 어디서 해요?']) {
        await chat.send(text);
        await replyMatching(chat, /./);
      }
      await chat.waitForReplies(3);
      // A crisis turn adds several messages at once (hotlines, then the handover).
      await chat.send('너무 힘들어서 죽고 싶어요');
      await replyMatching(chat, /109/);
      await waitUntil('the turn to end', async () => answers(await chat.messages()).length >= 5);
      await page.waitForTimeout(0);
      await waitUntil('the log at the newest message', async () => (await lastMessagePlacement(page)).hiddenBelow === 0);
      expect(await lastMessagePlacement(page)).toEqual({ hiddenBelow: 0, pill: false });
      // Hotlines are phone links.
      expect(await page.locator('#log a[href="tel:109"]').count()).toBeGreaterThan(0);

      // Reading back needs a log taller than its box: on a wide screen, ask more until it is.
      const questions = ['여권 발급은 어디서 해요?', '음식물 쓰레기 언제 버려요?', '수도 요금은 어떻게 내요?', '자동차세는 언제 내요?'];
      for (let i = 0; i < questions.length && !(await logOverflows(page)); i++) {
        const before = answers(await chat.messages()).length;
        await chat.send(questions[i]!);
        await waitUntil('the answer', async () => answers(await chat.messages()).length > before);
      }
      expect(await logOverflows(page)).toBe(true);

      // Reading back: a counselor's message arrives, the view stays, a pill says so.
      await page.$eval('#log-scroll', (el) => (el.scrollTop = 0));
      await waitUntil('scrolled up', () => page.$eval('#log-scroll', (el) => el.scrollTop === 0));
      // Scroll events are dispatched with the next frames; let the widget see this one first.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const conversationId = await chat.conversationId();
      await staff.kim!.post(`/conversations/${conversationId}/accept`);
      await staff.kim!.post(`/conversations/${conversationId}/messages`, { text: '상담사 김입니다. 괜찮으세요?' });
      await replyMatching(chat, /상담사 김입니다/);
      await page.locator('#new-messages:not([hidden])').waitFor();
      expect(await page.$eval('#log-scroll', (el) => el.scrollTop)).toBe(0);
      await page.click('#new-messages');
      expect(await lastMessagePlacement(page)).toEqual({ hiddenBelow: 0, pill: false });
      await staff.kim!.post(`/conversations/${conversationId}/close`, { resolution: 'answered', confirm: true });
      await page.context().close();
    });
  }

  it('keeps quick replies to one scrolling row at 320 px, so the log keeps its room', async () => {
    const chat = await open({ viewport: { width: 320, height: 568 } });
    const page = chat.page;
    await chat.send('뷁뚫햏 퓌퓌 쀍');
    await chat.waitForReplies(1);
    await chat.send('꿻뛣 쀍쀍 퓨퓨');
    await chat.quickReplies.first().waitFor();
    const box = await page.locator('#quick-replies').boundingBox();
    const chip = await chat.quickReplies.first().boundingBox();
    expect(box!.height).toBeLessThan(chip!.height * 2);
    const log = await page.locator('#log-scroll').boundingBox();
    expect(log!.height).toBeGreaterThan(200);
    await expectNoSeriousViolations(page, 'answer with chips at 320 px');
    await page.context().close();
  });

  it('writes each bubble in its own language, keeps emoji as typed and links 120', async () => {
    const chat = await open();
    const page = chat.page;
    await chat.send('Xin chào, tôi cần giúp đỡ 🙏😊');
    await chat.waitForReplies(1);
    const mine = await page.$eval('li[data-author="resident"] .msg__bubble', (el) => ({ lang: el.getAttribute('lang'), text: el.textContent }));
    expect(mine).toEqual({ lang: 'vi', text: 'Xin chào, tôi cần giúp đỡ 🙏😊' });
    const stored = (await chat.storedMessages()).find((m) => m.author === 'resident');
    expect(stored && partsOf(stored.content).text).toBe('Xin chào, tôi cần giúp đỡ 🙏😊');
    // Each bot bubble, the welcome and the answer, in the language it was stored in.
    const botLang = await page.$$eval('li[data-author="bot"] .msg__bubble', (els) => els.map((el) => el.getAttribute('lang')));
    const botStored = (await chat.storedMessages()).filter((m) => m.author === 'bot');
    expect(botLang).toEqual(botStored.map((m) => m.language));
    expect(await page.locator('#intro-text a[href="tel:120"]').count()).toBe(1);
    await page.context().close();
  });

  it('shows typing and read state both ways between the resident and the counselor', async () => {
    const chat = await open();
    const page = chat.page;
    await page.getByRole('button', { name: '상담사 연결' }).first().click();
    const conversationId = await waitUntil('queued', async () => {
      const id = await chat.conversationId();
      return (await service.store.conversations.get(id))?.state === 'queued' ? id : undefined;
    });
    await expectNoSeriousViolations(page, 'queued');
    const kim = staff.kim!;
    expect((await kim.post(`/conversations/${conversationId}/accept`)).status).toBe(200);
    await kim.post(`/conversations/${conversationId}/messages`, { text: '안녕하세요, 상담사입니다.' });
    await replyMatching(chat, /상담사입니다/);

    // Counselor types: the resident sees it.
    await kim.post(`/conversations/${conversationId}/typing`, { typing: true });
    await page.locator('#typing:not([hidden])').waitFor();
    expect(await page.locator('#typing-text').textContent()).toBe('상담사가 입력 중이에요…');
    await kim.post(`/conversations/${conversationId}/typing`, { typing: false });
    await page.locator('#typing').waitFor({ state: 'hidden' });

    // The resident writes: the counselor reads it, the resident sees "읽음".
    await chat.send('네 안녕하세요');
    const sent = await waitUntil('stored', async () => (await chat.storedMessages()).find((m) => partsOf(m.content).text === '네 안녕하세요'));
    await kim.post(`/conversations/${conversationId}/read`, { upToSeq: sent.seq });
    await page.locator(`li[data-id="${sent.id}"][data-state="read"]`).waitFor();

    // And the counselor's console stream hears the resident typing and reading.
    const frames: Record<string, unknown>[] = [];
    const ws = new WebSocket(`${service.url.replace('http', 'ws')}/api/console/v1/stream`, { headers: { cookie: kim.cookie } });
    ws.on('message', (data) => frames.push(JSON.parse(String(data))));
    await eventually(async () => frames.some((f) => f.type === 'ready'), 20_000, 'console stream');
    await chat.input.pressSequentially('입력 중', { delay: 20 });
    await eventually(async () => frames.some((f) => f.type === 'typing' && f.who === 'resident' && f.conversationId === conversationId), 20_000, 'typing frame');
    await kim.post(`/conversations/${conversationId}/messages`, { text: '확인했습니다.' });
    await replyMatching(chat, /확인했습니다/);
    await eventually(async () => frames.some((f) => f.type === 'read' && f.who === 'resident' && Number(f.upToSeq) > sent.seq), 20_000, 'read frame');
    ws.close();

    // Closing sends the survey: its state passes axe too.
    await kim.post(`/conversations/${conversationId}/close`, { resolution: 'answered', confirm: true });
    await chat.quickReplies.first().waitFor();
    await expectNoSeriousViolations(page, 'survey');
    await page.context().close();
  });

  it('passes axe-core at the opening and with chips, in light and dark mode, at phone and desktop sizes', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const viewport of [{ width: 320, height: 640 }, { width: 1280, height: 800 }]) {
        const chat = await open({ colorScheme, viewport });
        // Before the resident writes: the welcome with its starter topics.
        await expectNoSeriousViolations(chat.page, `opening ${colorScheme} ${viewport.width}`);
        await chat.send('뷁뚫햏 퓌퓌 쀍');
        await chat.waitForReplies(1);
        await chat.send('꿻뛣 쀍쀍 퓨퓨');
        await chat.quickReplies.first().waitFor();
        await expectNoSeriousViolations(chat.page, `chips ${colorScheme} ${viewport.width}`);
        await chat.page.context().close();
      }
    }
  });

  it('refuses a file that is not a photo with a notice, and retries a failed upload', async () => {
    const chat = await open();
    const page = chat.page;
    await page.locator('#photo-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await waitUntil('a notice', async () => (await page.locator('li.msg--notice').textContent())?.includes('JPG, PNG'));

    // The first upload fails on the network; the retry button sends it.
    let failOnce = true;
    await page.route('**/api/app/v1/media', (route) => (failOnce ? ((failOnce = false), route.abort('connectionreset')) : route.continue()));
    await page.locator('#photo-input').setInputFiles({ name: 'small.png', mimeType: 'image/png', buffer: makePng(40, 30) });
    const retry = page.getByRole('button', { name: '다시 보내기' });
    await retry.waitFor();
    await retry.click();
    await waitUntil('the photo stored', async () => (await chat.storedMessages()).some((m) => partsOf(m.content).images?.length));
    expect((await chat.storedMessages()).filter((m) => partsOf(m.content).images?.length)).toHaveLength(1);
    await page.context().close();
  });
});
