/** Keyboard-only use, screen-reader semantics, contrast and reduced motion of the web chat widget, in real Chromium. */
import type { Browser, Page } from 'playwright-core';
import type { Service } from '../../src/main';
import { launchChromium } from '../support/browser';
import { startService } from '../support/service';
import { blend, contrastRatio, parseCssColor, type Rgba } from './contrast';
import { waitUntil, WebchatPage } from './webchat-page';

jest.setTimeout(60_000);

/** What has keyboard focus: its tag, text, id and whether a focus indicator is drawn. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const style = el ? getComputedStyle(el) : undefined;
    return {
      tag: el?.tagName.toLowerCase(),
      id: el?.id,
      text: el?.textContent?.trim(),
      indicator:
        !!style &&
        ((style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) ||
          style.boxShadow !== 'none'),
    };
  });
}

/** Presses `key` until `match` holds for the focused element (at most `max` presses). */
async function pressUntil(
  page: Page,
  key: string,
  match: (f: Awaited<ReturnType<typeof focused>>) => boolean,
  max = 12,
) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    if (match(now)) return now;
  }
  throw new Error(`${key} never reached the element; focus is on ${JSON.stringify(await focused(page))}`);
}

describe('web chat widget accessibility', () => {
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

  it('can be used with the keyboard only: Tab to the input, Enter to send, Tab to quick replies, Space to press', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const chat = await WebchatPage.open(context, service);
    const page = chat.page;

    const input = await pressUntil(page, 'Tab', (f) => f.id === 'input');
    expect(input.indicator).toBe(true);
    await page.keyboard.type('뷁뚫햏 퓌퓌 쀍');
    await page.keyboard.press('Enter');
    await chat.waitForReplies(1);
    expect((await focused(page)).id).toBe('input');
    await page.keyboard.type('꿻뛣 쀍쀍 퓨퓨');
    await page.keyboard.press('Enter');
    await chat.waitForReplies(2);
    await chat.quickReplies.first().waitFor();

    // The quick replies sit just above the input, so they are one Shift+Tab away.
    const button = await pressUntil(page, 'Shift+Tab', (f) => f.tag === 'button' && f.text === '상담사 연결');
    expect(button.indicator).toBe(true);
    await page.keyboard.press('Space');

    await chat.waitForReplies(3);
    expect(await service.store.conversations.get(await chat.conversationId())).toMatchObject({
      state: 'queued',
    });
    // The pressed button is gone; focus moved to the input rather than falling to the page start.
    expect((await focused(page)).id).toBe('input');

    // The language menu is reachable and works with the arrow keys.
    await pressUntil(page, 'Shift+Tab', (f) => f.id === 'lang', 16);
    await page.keyboard.press('ArrowDown');
    await waitUntil('English', async () => (await page.getAttribute('html', 'lang')) === 'en');
    await context.close();
  });

  it('exposes a polite live log, labelled controls and a text status to assistive technology', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const chat = await WebchatPage.open(context, service);
    const page = chat.page;

    const log = page.getByRole('log', { name: '대화 내용' });
    expect(await log.getAttribute('aria-live')).toBe('polite');
    expect(await log.getAttribute('aria-busy')).toBe('false');
    expect(await page.getByRole('textbox', { name: '메시지 입력' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: '보내기', exact: true }).count()).toBe(1);
    expect(await page.getByRole('status').textContent()).toContain('연결됨');

    await chat.send('뷁뚫햏 퓌퓌 쀍');
    await chat.waitForReplies(1);
    await chat.send('꿻뛣 쀍쀍 퓨퓨');
    await chat.waitForReplies(2);
    await chat.quickReplies.first().waitFor();

    // Every message says who wrote it; every button has a name.
    const tree = await page.locator('body').ariaSnapshot();
    expect(tree).toContain('log "대화 내용"');
    expect(tree).toContain('group "빠른 답변"');
    expect(tree).toContain('button "상담사 연결"');
    expect(tree).toMatch(/listitem:\s*\n\s*- text: 다정이\(챗봇\)/);
    const unnamed = await page.$$eval('button:not([hidden])', (buttons) =>
      buttons
        .filter((b) => !(b.getAttribute('aria-label') ?? b.textContent ?? '').trim())
        .map((b) => b.outerHTML),
    );
    expect(unnamed).toEqual([]);
    // New messages land inside the live region.
    expect(await log.locator('li[data-author="bot"]').count()).toBe(2);
    await context.close();
  });

  it('meets WCAG 2.1 AA contrast for text and controls (measured on the computed colours)', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const chat = await WebchatPage.open(context, service);
    const page = chat.page;
    await chat.send('뷁뚫햏 퓌퓌 쀍');
    await chat.waitForReplies(1);
    await chat.send('꿻뛣 쀍쀍 퓨퓨');
    await chat.waitForReplies(2);
    await chat.quickReplies.first().waitFor();

    type Sample = { name: string; selector: string; pseudo?: string };
    /** Text colour and the background layers (element up to the root) of each sample. */
    const measure = (list: Sample[]) =>
      page.evaluate((list) => {
        return list.map(({ name, selector, pseudo }) => {
          const el = document.querySelector(selector);
          const layers: string[] = [];
          for (let node = el; node; node = node.parentElement)
            layers.push(getComputedStyle(node).backgroundColor);
          return { name, missing: !el, color: el ? getComputedStyle(el, pseudo).color : '', layers };
        });
      }, list);

    const samples = await measure([
      { name: 'title', selector: '.bar__title' },
      { name: 'status', selector: '#status-text' },
      { name: 'language menu', selector: '#lang' },
      { name: 'counselor button', selector: '#counselor' },
      { name: 'hotline link', selector: '#intro-text a' },
      { name: 'intro', selector: '.intro__text' },
      { name: 'bot author', selector: 'li[data-author="bot"] .msg__author' },
      { name: 'bot message', selector: 'li[data-author="bot"] .msg__bubble' },
      { name: 'resident message', selector: 'li[data-author="resident"] .msg__bubble' },
      { name: 'message time', selector: 'li[data-author="bot"] .msg__meta' },
      { name: 'message state', selector: 'li[data-author="resident"] .msg__state' },
      { name: 'quick reply', selector: '.chip' },
      { name: 'input', selector: '#input' },
      { name: 'placeholder', selector: '#input', pseudo: '::placeholder' },
      { name: 'send button', selector: '#send' },
    ]);
    // A message written while offline is drawn differently ("will send when connected").
    await context.setOffline(true);
    await chat.waitForStatus('offline');
    await chat.send('연결이 끊긴 동안 쓴 메시지');
    await page.locator('li.msg--pending').waitFor();
    samples.push(
      ...(await measure([
        { name: 'unsent message', selector: 'li.msg--pending .msg__bubble' },
        { name: 'unsent state', selector: 'li.msg--pending .msg__state' },
        { name: 'offline status', selector: '#status-text' },
      ])),
    );
    await context.setOffline(false);

    const ratios = samples.map((s) => {
      expect(s).toMatchObject({ missing: false });
      // Compose the background layers from the canvas (white) up to the element.
      let background: Rgba = [255, 255, 255, 1];
      for (const layer of [...s.layers].reverse()) background = blend(parseCssColor(layer), background);
      return {
        name: s.name,
        ratio: Math.round(contrastRatio(parseCssColor(s.color), background) * 100) / 100,
      };
    });
    if (process.env.WEBCHAT_CONTRAST_REPORT) console.log(ratios);
    expect(ratios.filter((r) => r.ratio < 4.5)).toEqual([]);
    await context.close();
  });

  it('the contrast helper agrees with WCAG reference values', () => {
    expect(contrastRatio([0, 0, 0, 1], [255, 255, 255, 1])).toBeCloseTo(21, 5);
    expect(contrastRatio([119, 119, 119, 1], [255, 255, 255, 1])).toBeCloseTo(4.48, 2);
    expect(contrastRatio([255, 255, 255, 1], [255, 255, 255, 1])).toBeCloseTo(1, 5);
    expect(parseCssColor('rgba(10, 74, 143, 0.5)')).toEqual([10, 74, 143, 0.5]);
  });

  it('drops animation for residents who ask for reduced motion', async () => {
    const animationOf = async (reducedMotion: 'reduce' | 'no-preference') => {
      const context = await browser.newContext({ locale: 'ko-KR', reducedMotion });
      const chat = await WebchatPage.open(context, service);
      await chat.send('안녕하세요');
      await chat.waitForReplies(1);
      const name = await chat.page.$eval('li[data-author="bot"]', (li) => getComputedStyle(li).animationName);
      await context.close();
      return name;
    };
    expect(await animationOf('no-preference')).not.toBe('none');
    expect(await animationOf('reduce')).toBe('none');
  });

  it('shows the connection state in words, not colour alone', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const chat = await WebchatPage.open(context, service);
    const online = await chat.page.locator('#status-text').textContent();
    await context.setOffline(true);
    await chat.waitForStatus('offline');
    const offline = await waitUntil('offline text', () => chat.page.locator('#status-text').textContent());
    expect(offline).toContain('연결 끊김');
    expect(offline).not.toBe(online);
    await context.setOffline(false);
    await chat.waitForStatus('online');
    await context.close();
  });
});
