/** The web chat widget in real headless Chromium against the whole service: talking, history, quick replies, language. */
import type { Browser } from 'playwright-core';
import type { Service } from '../../src/main';
import { launchChromium } from '../support/browser';
import { startService } from '../support/service';
import { waitUntil, WebchatPage } from './webchat-page';

jest.setTimeout(60_000);

describe('web chat widget', () => {
  let service: Service;
  let browser: Browser;
  beforeAll(async () => {
    service = await startService();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('sends a message, shows the reply, and still shows the history after a reload', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const chat = await WebchatPage.open(context, service);
    const question = '7-2번 버스 첫차가 몇 시예요?';
    await chat.send(question);

    const shown = await chat.waitForReplies(1);
    // Answered, so shown as read.
    expect(shown[0]).toMatchObject({ author: 'resident', text: question, state: 'read' });
    const stored = await chat.storedMessages();
    const reply = stored.find((m) => m.author === 'bot');
    expect(reply?.content.text).toBeTruthy();
    expect(shown[1]).toMatchObject({ author: 'bot', id: reply!.id, text: reply!.content.text });

    await chat.page.reload();
    await chat.waitForStatus('online');
    const afterReload = await chat.waitForReplies(1);
    expect(afterReload.map((m) => m.id)).toEqual(stored.map((m) => m.id));
    expect(afterReload.map((m) => m.text)).toEqual([question, reply!.content.text]);
    await context.close();
  });

  it('offers a counselor after two misses and queues the conversation when the button is pressed', async () => {
    // A widget-sized window, for the screenshot.
    const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 420, height: 720 } });
    const chat = await WebchatPage.open(context, service);
    await chat.send('뷁뚫햏 퓌퓌 쀍');
    await chat.waitForReplies(1);
    expect(await chat.quickReplies.count()).toBe(0);
    await chat.send('꿻뛣 쀍쀍 퓨퓨');
    await chat.waitForReplies(2);

    const connect = chat.quickReplies.filter({ hasText: '상담사 연결' });
    await connect.waitFor();
    await chat.page.screenshot({ path: '/tmp/webchat.png', animations: 'disabled' });
    await connect.click();

    const shown = await chat.waitForReplies(3);
    expect(shown.filter((m) => m.author === 'resident').at(-1)?.text).toBe('상담사 연결');
    const conversationId = await chat.conversationId();
    expect(await service.store.conversations.get(conversationId)).toMatchObject({
      state: 'queued',
      priority: 'bot_failure',
    });
    const pressed = (await chat.storedMessages()).filter((m) => m.author === 'resident').at(-1);
    expect(pressed?.content).toMatchObject({ text: '상담사 연결', payload: 'intent:counselor_request' });
    // The offer is answered, so its buttons are gone (later messages may offer their own).
    expect(await chat.quickReplies.filter({ hasText: '상담사 연결' }).count()).toBe(0);
    await context.close();
  });

  it('follows the browser language and keeps the resident’s own choice across reloads', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const chat = await WebchatPage.open(context, service);
    const page = chat.page;
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('button', { name: 'Send', exact: true }).count()).toBe(1);
    expect(await page.locator('#status-text').textContent()).toBe('Connected');

    const menu = page.getByRole('combobox', { name: 'Language' });
    await menu.selectOption('ko');
    // The Korean texts may still be on their way from /i18n/webchat/ko.json.
    await waitUntil('Korean', async () => (await page.getAttribute('html', 'lang')) === 'ko');
    expect(await page.getByRole('button', { name: '보내기', exact: true }).count()).toBe(1);
    expect(await page.getByRole('textbox', { name: '메시지 입력' }).getAttribute('placeholder')).toBe(
      '메시지를 입력하세요',
    );
    expect(await page.locator('#status-text').textContent()).toBe('연결됨');

    await page.reload();
    await chat.waitForStatus('online');
    expect(await page.getAttribute('html', 'lang')).toBe('ko');
    expect(await page.getByRole('combobox', { name: '언어' }).inputValue()).toBe('ko');
    // Every language names itself, in its own voice.
    expect(await page.$$eval('#lang option', (o) => o.map((x) => `${x.getAttribute('lang')}:${x.textContent}`))).toEqual([
      'ko:한국어',
      'en:English',
      'zh:中文',
      'vi:Tiếng Việt',
    ]);
    await context.close();
  });

  it('shows a Vietnamese resident the widget in Vietnamese and starts the bot in Vietnamese', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const chat = await WebchatPage.open(context, service);
    expect(await chat.page.getAttribute('html', 'lang')).toBe('vi');
    expect(await chat.page.getByRole('button', { name: 'Gửi', exact: true }).count()).toBe(1);
    const conversation = await service.store.conversations.get(await chat.conversationId());
    expect(conversation?.language).toBe('vi');
    await context.close();
  });

  it('shows a resident from another country the widget in English', async () => {
    const context = await browser.newContext({ locale: 'th-TH' });
    const chat = await WebchatPage.open(context, service);
    expect(await chat.page.getAttribute('html', 'lang')).toBe('en');
    await context.close();
  });

  it('shows text as text, never as markup', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const chat = await WebchatPage.open(context, service);
    const markup = '<img src=x onerror="window.__pwned=1">안녕 <b>하세요</b>';
    await chat.send(markup);
    const shown = await waitUntil('the message to be stored', async () => {
      const list = await chat.messages();
      return list.find((m) => m.id && m.author === 'resident') ? list : undefined;
    });
    expect(shown.find((m) => m.author === 'resident')?.text).toBe(markup);
    expect(await chat.page.locator('#log img, #log b').count()).toBe(0);
    expect(
      await chat.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    await context.close();
  });
});
