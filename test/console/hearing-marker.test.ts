/**
 * The hearing-impaired marker (issue 18): a resident who asked for sign language is marked on the
 * queue row and the chat, the close refuses a phone callback for them, and in Chromium the
 * counselor reads "청각장애: 문자 상담만, 전화 회신 불가" on the queue row and in the chat header and
 * is not offered the callback close code.
 */
import type { Browser, Page } from 'playwright-core';
import type { Service } from '../../src/main';
import { launchChromium } from '../support/browser';
import { AppClient, startService, type AppMessage } from '../support/service';
import { createStaff, eventually, type ConsoleClient, type QueueItem } from './console-client';

const ADMIN = { login: 'admin', password: 'admin-password-1' };
const MARKER_KO = '청각장애: 문자 상담만, 전화 회신 불가';

jest.setTimeout(120_000);

type MarkedItem = QueueItem & { hearingImpaired?: boolean };

describe('hearing-impaired marker', () => {
  let service: Service;
  let staff: Record<string, ConsoleClient>;
  let browser: Browser | undefined;

  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', ADMIN_LOGIN: ADMIN.login, ADMIN_PASSWORD: ADMIN.password, LOGIN_RATE_LIMIT: '1000', HANDOFF_TICK_MS: '200' });
    staff = await createStaff(service.url, ADMIN, [{ login: 'kim', role: 'counselor', languages: ['ko', 'en'] }]);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  /** A resident who says they are deaf and presses the offered counselor button; returns it queued. */
  async function deafResident(deviceId: string, text: string, locale = 'ko-KR'): Promise<AppClient> {
    const app = new AppClient(service.url);
    await app.start({ deviceId, locale });
    await app.say(text);
    // The button comes with the sign-language answer, or right after the FAQ's answer when the
    // classifier was unsure and the FAQ answered the question (both ways mark the conversation).
    const seen: AppMessage[] = [];
    const button = await eventually(async () => {
      seen.push(...(await app.poll(1)));
      return seen.flatMap((m) => m.quickReplies ?? []).find((q) => q.payload === 'intent:counselor_request');
    }, 10_000, 'the counselor button');
    await app.say(button.label, { payload: button.payload });
    await eventually(async () => (await service.store.conversations.get(app.conversationId))?.state === 'queued', 10_000, 'queued');
    return app;
  }

  async function plainResident(deviceId: string): Promise<AppClient> {
    const app = new AppClient(service.url);
    await app.start({ deviceId, locale: 'ko-KR' });
    await app.say('상담사 연결해 주세요');
    await eventually(async () => (await service.store.conversations.get(app.conversationId))?.state === 'queued', 10_000, 'queued');
    return app;
  }

  it('marks the queue row and the chat, and refuses to close it as a phone callback', async () => {
    const deaf = await deafResident('deaf-api', '청각장애인인데 수어로 상담받을 수 있나요?');
    const plain = await plainResident('plain-api');
    const queue = await staff.kim!.get<{ items: MarkedItem[] }>('/queue');
    const row = (id: string) => queue.body.items.find((i) => i.conversationId === id);
    expect(row(deaf.conversationId)).toMatchObject({ hearingImpaired: true, priority: 'request' });
    expect(row(plain.conversationId)?.hearingImpaired).toBeUndefined();

    // Leaving a message while waiting: asked for a way to be reached in writing, not a phone number.
    await deaf.say('메시지 남기기', { payload: 'handoff:message' });
    const prompt = await eventually(async () => (await deaf.poll(1)).find((m) => m.author === 'system' && /남겨 주세요/.test(m.text ?? '')), 10_000, 'leave-a-message prompt');
    expect(prompt.text).toMatch(/글로 연락받으실 방법.*전화가 아닌 글로/);

    expect((await staff.kim!.post(`/conversations/${deaf.conversationId}/accept`)).status).toBe(200);
    const chat = await staff.kim!.get<{ conversation: { hearingImpaired?: boolean } }>(`/conversations/${deaf.conversationId}`);
    expect(chat.body.conversation.hearingImpaired).toBe(true);

    const refused = await staff.kim!.post<{ error: { code: string; message: string } }>(`/conversations/${deaf.conversationId}/close`, { resolution: 'callback', confirm: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('text_only');
    expect((await service.store.conversations.get(deaf.conversationId))?.state).toBe('assigned');
    expect((await staff.kim!.post(`/conversations/${deaf.conversationId}/close`, { resolution: 'answered', confirm: true })).status).toBe(200);

    // A resident who can hear may still be closed as a callback.
    await staff.kim!.post(`/conversations/${plain.conversationId}/accept`);
    expect((await staff.kim!.post(`/conversations/${plain.conversationId}/close`, { resolution: 'callback', confirm: true })).status).toBe(200);
  });

  it('shows the marker on the queue row and in the chat header in Chromium, without the callback close code', async () => {
    const deaf = await deafResident('deaf-ui', 'I am deaf and cannot use the phone. Can I get help by text?', 'en-US');
    const plain = await plainResident('plain-ui');
    browser = await launchChromium();
    const page: Page = await (await browser.newContext({ locale: 'ko-KR' })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${service.url}/console/`);
    await page.fill('#login-form [name=login]', 'kim');
    await page.fill('#login-form [name=password]', 'pw-kim-secret');
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('#app:not([hidden])');

    const deafRow = page.locator(`[data-testid=queue-row][data-conversation-id="${deaf.conversationId}"]`);
    await deafRow.waitFor();
    await expect(deafRow.locator('[data-testid=hearing-marker]').innerText()).resolves.toBe(MARKER_KO);
    await page.locator(`[data-testid=queue-row][data-conversation-id="${plain.conversationId}"]`).waitFor();
    expect(await page.locator(`[data-testid=queue-row][data-conversation-id="${plain.conversationId}"] [data-testid=hearing-marker]`).count()).toBe(0);

    await deafRow.locator('[data-testid=accept]').click();
    await page.waitForSelector('#chat-body:not([hidden])');
    await expect(page.locator('[data-testid=chat-marker] [data-testid=hearing-marker]').innerText()).resolves.toBe(MARKER_KO);
    const offered = await page.locator('#resolution option').evaluateAll((options) => (options as HTMLOptionElement[]).filter((o) => !o.hidden && !o.disabled).map((o) => o.value));
    expect(offered).toContain('answered');
    expect(offered).not.toContain('callback');
    await page.selectOption('#resolution', 'answered');
    await page.click('[data-testid=close]');
    const closed = await eventually(async () => (await service.store.conversations.get(deaf.conversationId))?.state === 'closed', 10_000, 'closed from the console');
    expect(closed).toBe(true);
    const episodes = await service.store.episodes.listByConversation(deaf.conversationId);
    expect(episodes.at(-1)?.resolution).toBe('answered');
    expect(errors).toEqual([]);
  });
});
