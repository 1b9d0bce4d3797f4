/**
 * Quality monitoring end to end in a real headless Chromium: a counselor's closed chat is sampled
 * by a supervisor from the QA view, a QA reviewer scores it beside its transcript, the counselor
 * sees the review under "my reviews" and acknowledges it, and the report CSV the reviewer
 * downloads has the review. axe-core finds no serious or critical violation on the new views.
 * Counselor care: after closing an abusive chat the counselor is offered a break and takes it;
 * another abusive chat goes to the supervisor in one click; the dashboard shows the load.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { checklistItems, loadChecklist } from '../../src/handoff/qa-checklist';
import { koreaDay } from '../../src/handoff/shift-schedule';
import type { Service } from '../../src/main';
import { seriousViolations } from '../support/axe';
import { AppClient, startService } from '../support/service';
import { createStaff, eventually, type ConsoleClient } from './console-client';

const ADMIN = { login: 'admin', password: 'admin-password-1' };
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

jest.setTimeout(120_000);

describe('QA reviews in the console (Chromium)', () => {
  let service: Service;
  let browser: Browser;
  let kimApi: ConsoleClient;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000' });
    const staff = await createStaff(service.url, ADMIN, [
      { login: 'kim', role: 'counselor' },
      { login: 'boss', role: 'supervisor' },
      { login: 'rev', role: 'qa' },
    ]);
    kimApi = staff.kim!;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function signIn(login: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`${login}: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) pageErrors.push(`${login}: ${msg.text()}`);
    });
    await page.goto(`${service.url}/console/`);
    await page.fill('#login-form [name=login]', login);
    await page.fill('#login-form [name=password]', `pw-${login}-secret`);
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('#app:not([hidden])');
    return page;
  }

  it('samples, scores, shows and acknowledges a review, and the report CSV has it', async () => {
    // kim handles and closes a chat.
    const resident = new AppClient(service.url);
    await resident.start({ deviceId: 'qa-e2e', locale: 'ko-KR' });
    await resident.say('상담사 연결해 주세요');
    const id = resident.conversationId;
    await eventually(async () => (await service.store.conversations.get(id))?.state === 'queued', 10_000, 'queued');
    expect((await kimApi.post(`/conversations/${id}/accept`)).status).toBe(200);
    expect((await kimApi.post(`/conversations/${id}/messages`, { text: '안녕하세요, 경기도 120 김상담입니다.' })).status).toBe(200);
    expect((await kimApi.post(`/conversations/${id}/close`, { resolution: 'answered', confirm: true })).status).toBe(200);
    const today = koreaDay(new Date());

    // The supervisor draws today's sample from the QA view.
    const boss = await signIn('boss');
    await boss.click('[data-testid=tab-qa]');
    await boss.fill('[data-testid=qa-sample-day]', today);
    await boss.click('[data-testid=qa-sample]');
    const row = boss.locator(`[data-testid=qa-queue-row][data-conversation="${id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('무작위 표본');
    expect(await seriousViolations(boss, '#view-qa')).toEqual([]);

    // The QA reviewer sees only the QA view, opens the review, reads the transcript and scores.
    const rev = await signIn('rev');
    expect(await rev.locator('#tabs button').allTextContents()).toEqual(['품질 평가']);
    await rev.locator(`[data-testid=qa-queue-row][data-conversation="${id}"] [data-testid=qa-open]`).click();
    await rev.waitForSelector('#qa-review:not([hidden])');
    expect(await rev.textContent('[data-testid=qa-transcript]')).toContain('안녕하세요, 경기도 120 김상담입니다.');
    const items = checklistItems(loadChecklist(loadConfig({}).qaChecklistFile));
    for (const item of items) await rev.check(`[data-testid=qa-${item.id}-${item.id === 'empathy' ? 'fail' : 'pass'}]`);
    // A failed item without a comment is refused with the reason.
    await rev.click('[data-testid=qa-submit]');
    await rev.waitForFunction(() => /의견을 적어 주세요: 민원인의 상황과 감정에 공감/.test(document.querySelector('#qa-error')?.textContent ?? ''));
    expect(await seriousViolations(rev, '#view-qa')).toEqual([]);
    await rev.fill('[name=c-empathy]', '민원인의 불편에 공감 표현이 없었음');
    await rev.click('[data-testid=qa-submit]');
    await rev.waitForSelector('#qa-review', { state: 'hidden' });
    const total = items.reduce((s, i) => s + i.weight, 0);
    const expected = Math.round((1000 * (total - items.find((i) => i.id === 'empathy')!.weight)) / total) / 10;
    expect(await rev.textContent('#toasts')).toContain(`${expected.toFixed(1)}점`);

    // The counselor sees it under "my reviews" and acknowledges it.
    const kim = await signIn('kim');
    await kim.click('[data-testid=tab-reviews]');
    const mine = kim.locator('[data-testid=my-review-row]');
    await mine.waitFor();
    expect(await mine.textContent()).toContain(`${expected.toFixed(1)}점`);
    await mine.locator('button').click();
    await kim.waitForSelector('[data-testid=my-review]:not([hidden])');
    expect(await kim.textContent('[data-testid=my-review]')).toContain('민원인의 불편에 공감 표현이 없었음');
    expect(await seriousViolations(kim, '#view-reviews')).toEqual([]);
    await kim.click('[data-testid=review-ack]');
    await kim.waitForFunction(() => /확인함/.test(document.querySelector('[data-testid=my-reviews]')?.textContent ?? ''));
    expect(await kim.isHidden('#my-review-answer')).toBe(true);

    // The reviewer's report CSV (the link in the QA view) has the acknowledged review.
    await rev.fill('[data-testid=qa-from]', today);
    await rev.fill('[data-testid=qa-to]', today);
    await rev.dispatchEvent('[data-testid=qa-to]', 'change');
    await rev.waitForFunction((day) => (document.querySelector('[data-testid=qa-csv]') as HTMLAnchorElement | null)?.href.includes(`to=${day}`), today);
    const href = await rev.getAttribute('[data-testid=qa-csv]', 'href');
    const csv = await rev.evaluate(async (url) => (await fetch(url!)).text(), href);
    const line = csv.split('\n').find((l) => l.startsWith('review,') && l.includes(id));
    expect(line).toMatch(new RegExp(`^review,${today},${id},kim,1,${expected},0,.*acknowledged`));

    const audit = await service.store.audit.list({ subject: id });
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['qa.score', 'qa.acknowledge']));
    expect(pageErrors).toEqual([]);
  });

  it('offers a break after an abusive chat, hands another to the supervisor in one click, and shows the load', async () => {
    /** A resident who escalates and then insults; kim accepts through the API. */
    const abusiveChat = async () => {
      const resident = new AppClient(service.url);
      await resident.start({ deviceId: `care-${Math.random()}`, locale: 'ko-KR' });
      await resident.say('상담사 연결해 주세요');
      await eventually(async () => (await service.store.conversations.get(resident.conversationId))?.state === 'queued', 10_000, 'queued');
      expect((await kimApi.post(`/conversations/${resident.conversationId}/accept`)).status).toBe(200);
      const { messageId } = await resident.say('이 개새끼야 빨리 해');
      await eventually(async () => Boolean((await service.store.messages.get(messageId))?.handledAt), 10_000, 'turn handled');
      return resident.conversationId;
    };
    const boss = await signIn('boss');
    const bossId = (await service.store.users.findByLogin('boss'))!.id;
    await boss.selectOption('[data-testid=presence]', 'available');
    await eventually(async () => (await service.store.users.get(bossId))?.presence === 'available', 10_000, 'boss available');

    const first = await abusiveChat();
    const kim = await signIn('kim');
    await kim.locator(`[data-testid=my-chat][data-conversation-id="${first}"] button`).click();
    await kim.waitForSelector('#chat-body:not([hidden])');
    await kim.selectOption('[data-testid=resolution]', 'abusive');
    await kim.click('[data-testid=close]');
    // The insult is unanswered: the close is confirmed first, then the break is offered.
    await kim.waitForSelector('[data-testid=confirm-dialog][open]');
    await kim.click('[data-testid=confirm-ok]');
    await kim.waitForFunction(() => /쉬시겠어요/.test(document.querySelector('#confirm-text')?.textContent ?? '') && document.querySelector('#confirm-dialog')?.hasAttribute('open'));
    expect(await kim.textContent('#confirm-text')).toContain('새 상담이 자동 배정되지 않습니다');
    await kim.click('[data-testid=confirm-ok]');
    await kim.waitForFunction(() => /까지 휴식합니다/.test(document.querySelector('#toasts')?.textContent ?? ''));
    const kimId = (await service.store.users.findByLogin('kim'))!.id;
    expect((await service.store.users.get(kimId))?.careBreak?.until.getTime()).toBeGreaterThan(Date.now());

    // One click hands the next abusive chat to the supervisor.
    const second = await abusiveChat();
    await kim.locator(`[data-testid=my-chat][data-conversation-id="${second}"] button`).click();
    await kim.waitForSelector('#chat-body:not([hidden])');
    await kim.click('[data-testid=to-supervisor]');
    await eventually(async () => (await service.store.conversations.get(second))?.assigneeId === bossId, 10_000, 'with the supervisor');
    expect(await seriousViolations(kim, '#view-work')).toEqual([]);

    // The supervisor sees kim's load: two abusive chats, on a break.
    await boss.click('[data-testid=tab-dashboard]');
    const row = boss.locator('[data-testid=care-row]', { hasText: 'kim' });
    await row.waitFor();
    await boss.waitForFunction(() => /까지/.test(document.querySelector('[data-testid=care-load]')?.textContent ?? ''));
    expect((await row.locator('td').allTextContents()).slice(0, 3)).toEqual(['kim', '2', '0']);
    expect(pageErrors).toEqual([]);
  });

  it('shows supervisors the staffing forecast against the shifts on the dashboard', async () => {
    const boss = await signIn('boss');
    await boss.click('[data-testid=tab-dashboard]');
    await boss.waitForFunction(() => /최대 \d+명 필요/.test(document.querySelector('[data-testid=staffing-summary]')?.textContent ?? ''));
    // One counselor (kim) and no shift set: nobody is scheduled, and the summary says so.
    expect(await boss.textContent('[data-testid=staffing-summary]')).toContain('근무조 없는 상담사 1명');
    expect(await boss.getAttribute('[data-testid=chart-staffing]', 'aria-label')).toMatch(/^필요 상담사 예측/);
    expect(await seriousViolations(boss, '#view-dashboard')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
