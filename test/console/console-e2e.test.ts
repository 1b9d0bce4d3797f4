/**
 * End to end in a real headless Chromium: a resident escalates through the app API; a counselor
 * signs in to /console/, sees the chat at the head of the queue, accepts and replies; the
 * resident receives the reply (long-poll) while the bot stays silent; closing with the resident
 * waiting asks for confirmation; the counselor closes; the resident answers the survey; the
 * supervisor's dashboard shows the answer.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Service } from '../../src/main';
import { AppClient, startService, type AppMessage } from '../support/service';
import { createStaff, eventually } from './console-client';

const ADMIN = { login: 'admin', password: 'admin-password-1' };
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

jest.setTimeout(90_000);

describe('counselor console in Chromium', () => {
  let service: Service;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000', HANDOFF_TICK_MS: '200' });
    await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor', languages: ['ko', 'en'] },
      { login: 'boss', role: 'supervisor', languages: ['ko'] },
    ]);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  beforeEach(() => {
    pageErrors.length = 0;
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function signIn(login: string, password: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`${login}: ${err.message}`));
    page.on('console', (msg) => {
      // Chromium logs every 4xx answer (the signed-out /session probe, the "resident waiting" 409)
      // as an error; those are answers the console handles. Script errors and CSP violations are not.
      if (msg.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) {
        pageErrors.push(`${login}: ${msg.text()}`);
      }
    });
    await page.goto(`${service.url}/console/`);
    await page.fill('#login-form [name=login]', login);
    await page.fill('#login-form [name=password]', password);
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('#app:not([hidden])');
    return page;
  }

  /** Everything the resident received so far, polled through the app API. */
  async function residentSees(app: AppClient, seen: AppMessage[], match: (m: AppMessage) => boolean, what: string) {
    return eventually(async () => {
      seen.push(...(await app.poll(1)));
      return seen.find(match);
    }, 15_000, what);
  }

  it('takes a resident from escalation through the counselor’s reply and close to a survey answer on the dashboard', async () => {
    const resident = new AppClient(service.url);
    await resident.start({ deviceId: 'e2e', locale: 'ko-KR' });
    const seen: AppMessage[] = [];
    await resident.say('상담사 연결해 주세요');
    await residentSees(resident, seen, (m) => m.author === 'bot', 'bot hands over');

    // The counselor sees the chat at the head of the queue and accepts it.
    const counselor = await signIn('kim', 'pw-kim-secret');
    const head = counselor.locator('[data-testid=queue-row]').first();
    await head.waitFor();
    expect(await head.getAttribute('data-conversation-id')).toBe(resident.conversationId);
    await head.locator('[data-testid=accept]').click();
    await counselor.waitForSelector('#chat-body:not([hidden])');
    await expectText(counselor, '[data-testid=chat-meta]', /의도: 상담사 연결 요청 \(counselor_request\)/);
    // The transcript includes the bot's part.
    await counselor.waitForSelector('[data-testid=message][data-author=bot]');
    await counselor.waitForSelector('[data-testid=message][data-author=resident]');

    await counselor.fill('[data-testid=composer-text]', '안녕하세요, 상담사 김입니다. 무엇을 도와드릴까요?');
    await counselor.click('[data-testid=send]');
    await residentSees(resident, seen, (m) => m.author === 'counselor' && m.text === '안녕하세요, 상담사 김입니다. 무엇을 도와드릴까요?', 'counselor reply');

    // The resident asks something the bot would answer; only the counselor may answer now.
    const question = await resident.say('음식물 쓰레기 언제 버려요?');
    await eventually(async () => Boolean((await service.store.messages.get(question.messageId))?.handledAt), 10_000, 'turn handled');
    await counselor.waitForSelector(`[data-testid=message][data-id="${question.messageId}"]`);
    const later = await service.store.messages.listByConversation(resident.conversationId);
    const qSeq = later.find((m) => m.id === question.messageId)!.seq;
    expect(later.filter((m) => m.seq > qSeq && m.author === 'bot')).toEqual([]);

    // Closing now would hang up on the resident: the console asks first; cancel.
    await counselor.selectOption('[data-testid=resolution]', 'answered');
    await counselor.click('[data-testid=close]');
    await counselor.waitForSelector('[data-testid=confirm-dialog][open]');
    await counselor.click('[data-testid=confirm-cancel]');
    expect((await service.store.conversations.get(resident.conversationId))?.state).toBe('assigned');

    await counselor.fill('[data-testid=composer-text]', '매일 저녁 8시 이후에 배출하시면 됩니다.');
    await counselor.click('[data-testid=send]');
    await residentSees(resident, seen, (m) => m.text === '매일 저녁 8시 이후에 배출하시면 됩니다.', 'answer');
    await counselor.click('[data-testid=close]');
    await eventually(async () => (await service.store.conversations.get(resident.conversationId))?.state === 'closed', 10_000, 'closed');

    // The survey arrives in the app's format; the resident answers it.
    for (const [dimension, score] of [['kindness', 5], ['professionalism', 4], ['promptness', 5]] as const) {
      const question = await residentSees(resident, seen, (m) => Boolean(m.quickReplies?.some((q) => q.payload.includes(`:${dimension}:`))), `${dimension} question`);
      const button = question.quickReplies!.find((q) => q.payload.endsWith(`:${dimension}:${score}`))!;
      await resident.say(button.label, { payload: button.payload });
    }
    await residentSees(resident, seen, (m) => Boolean(m.quickReplies?.some((q) => q.payload.endsWith(':comment:skip'))), 'comment prompt');
    await resident.say('밤늦게도 친절하게 도와주셔서 감사합니다');
    await residentSees(resident, seen, (m) => /소중한 의견 감사합니다/.test(m.text ?? ''), 'survey thanks');
    // The bot never spoke while the counselor owned the chat.
    const botMessages = seen.filter((m) => m.author === 'bot').map((m) => m.text);
    expect(botMessages).toHaveLength(1);

    // The supervisor's dashboard shows the answer.
    const supervisor = await signIn('boss', 'pw-boss-secret');
    await supervisor.click('[data-testid=tab-dashboard]');
    await expectText(supervisor, '[data-testid=csat-kindness]', /^5\.00$/);
    await expectText(supervisor, '[data-testid=csat-professionalism]', /^4\.00$/);
    await expectText(supervisor, '[data-testid=survey-comments]', /밤늦게도 친절하게 도와주셔서 감사합니다/);
    // Charts rendered with chart.js served locally.
    expect(await supervisor.evaluate(() => typeof (window as unknown as { Chart?: unknown }).Chart)).toBe('function');
    const csvHref = await supervisor.getAttribute('[data-testid=csv]', 'href');
    expect(csvHref).toMatch(/dashboard\.csv\?days=1/);
    expect(pageErrors).toEqual([]);
  });

  it('masks an abusive message in the console until the counselor reveals it', async () => {
    const resident = new AppClient(service.url);
    await resident.start({ deviceId: 'e2e-2', locale: 'ko-KR' });
    await resident.say('상담원 연결');
    await eventually(async () => (await service.store.conversations.get(resident.conversationId))?.state === 'queued', 10_000, 'queued');
    const counselor = await signIn('kim', 'pw-kim-secret');
    const row = counselor.locator(`[data-testid=queue-row][data-conversation-id="${resident.conversationId}"]`);
    await row.locator('[data-testid=accept]').click();
    await counselor.waitForSelector('#chat-body:not([hidden])');
    const abusive = await resident.say('씨발 왜 이렇게 느려');
    const bubble = counselor.locator(`[data-testid=message][data-id="${abusive.messageId}"]`);
    await bubble.locator('[data-testid=masked]').waitFor();
    expect(await bubble.textContent()).not.toContain('씨발');
    await bubble.locator('[data-testid=reveal]').click();
    await expectText(counselor, `[data-testid=message][data-id="${abusive.messageId}"]`, /씨발 왜 이렇게 느려/);
    expect(pageErrors).toEqual([]);
  });
});

async function expectText(page: Page, selector: string, pattern: RegExp): Promise<void> {
  await eventually(async () => pattern.test(((await page.locator(selector).first().textContent()) ?? '').trim()), 15_000, `${selector} ~ ${pattern}`);
}
