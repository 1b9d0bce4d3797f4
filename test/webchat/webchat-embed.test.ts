/** embed.js on another site's page: launcher, framed chat, closing with Escape, in real Chromium. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import type { Service } from '../../src/main';
import { launchChromium } from '../support/browser';
import { startService } from '../support/service';
import { createStaff } from '../console/console-client';
import { hashToken } from '../../src/http/app-auth';
import { waitUntil } from './webchat-page';

jest.setTimeout(60_000);

describe('embeddable web chat (embed.js)', () => {
  let service: Service;
  let browser: Browser;
  let host: http.Server;
  let hostUrl: string;

  beforeAll(async () => {
    service = await startService({ ROUTING: 'manual', ADMIN_LOGIN: 'admin', ADMIN_PASSWORD: 'admin-password-1', LOGIN_RATE_LIMIT: '1000' });
    browser = await launchChromium();
    // A host site on its own origin, with styles that would wreck an unprotected widget.
    host = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="ko"><head><title>경기도청</title>
        <style>button { background: yellow !important; font-size: 40px; } iframe { border: 10px solid red; }</style></head>
        <body><h1>경기도청 누리집</h1><a href="#">다른 링크</a>
        <script src="${service.url}/webchat/embed.js" data-lang="ko" async></script></body></html>`);
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => host?.close(r));
    await service?.close();
  });

  it('opens the chat from a launcher button, talks through the frame, and closes with Escape', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await page.goto(hostUrl);

    const launcher = page.getByRole('button', { name: '채팅 상담' });
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    // The host page's styles do not reach into the widget.
    expect(await launcher.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe('rgb(255, 255, 0)');
    // No frame (and no session) until the resident asks for the chat.
    expect(await page.locator('iframe').count()).toBe(0);

    await launcher.click();
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    const frame = page.frameLocator('iframe[title="경기도 120 다정이 채팅 상담"]');
    await frame.locator('#status[data-state="online"]').waitFor();
    const input = frame.getByRole('textbox', { name: '메시지 입력' });
    // Opening moves focus into the chat's message box.
    await waitUntil('focus in the message box', () =>
      input.evaluate((el) => el === document.activeElement && document.hasFocus()),
    );

    await page.keyboard.type('7-2번 버스 첫차가 몇 시예요?');
    await page.keyboard.press('Enter');
    await frame.locator('li[data-author="bot"]').first().waitFor();
    expect(await frame.locator('#close').isVisible()).toBe(true);

    await page.keyboard.press('Escape');
    await waitUntil(
      'the panel to close',
      async () => (await launcher.getAttribute('aria-expanded')) === 'false',
    );
    expect(await page.locator('iframe').isVisible()).toBe(false);
    // Focus returns to the launcher, so keyboard users are not stranded.
    expect(await launcher.evaluate((b) => (b.getRootNode() as ShadowRoot).activeElement === b)).toBe(true);

    // Reopening shows the same conversation.
    await launcher.click();
    await frame.locator('li[data-author="bot"]').first().waitFor();
    expect(await frame.locator('li[data-author="resident"]').count()).toBe(1);
    await context.close();
  });

  it('counts replies that arrive while the chat is closed on the launcher, until it is opened again', async () => {
    const { kim } = await createStaff(service.url, { login: 'admin', password: 'admin-password-1' }, [{ login: 'kim', role: 'counselor' }]);
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await page.goto(hostUrl);
    const launcher = page.getByRole('button', { name: /채팅 상담/ });
    await launcher.click();
    const frame = page.frameLocator('iframe[title="경기도 120 다정이 채팅 상담"]');
    await frame.locator('#status[data-state="online"]').waitFor();
    await frame.getByRole('button', { name: '상담사 연결' }).first().click();
    await frame.locator('li[data-author="bot"], li[data-author="system"]').first().waitFor();
    await page.keyboard.press('Escape');
    await waitUntil('closed', async () => (await launcher.getAttribute('aria-expanded')) === 'false');
    const badge = page.locator('#dajeong-webchat .badge');
    expect(await badge.isVisible()).toBe(false);

    // A counselor answers while the panel is closed.
    const sessions = await frame.locator('body').evaluate(() => JSON.parse(localStorage.getItem('dajeong.webchat.v1') ?? '{}').token as string);
    const session = await service.store.appSessions.findByTokenHash(hashToken(sessions));
    await waitUntil('queued', async () => (await service.store.conversations.get(session!.conversationId))?.state === 'queued');
    expect((await kim!.post(`/conversations/${session!.conversationId}/accept`)).status).toBe(200);
    expect((await kim!.post(`/conversations/${session!.conversationId}/messages`, { text: '상담사 김입니다.' })).status).toBe(200);
    await badge.waitFor({ state: 'visible' });
    // The "counselor connected" notice and the counselor's message (and any queue notice after closing).
    const count = await waitUntil('two unread', async () => {
      const n = Number.parseInt((await badge.textContent()) ?? '', 10);
      return n >= 2 ? n : undefined;
    });
    expect(await launcher.evaluate((b) => b.textContent)).toContain(`읽지 않은 메시지 ${count}개`);

    await launcher.click();
    expect(await badge.isVisible()).toBe(false);
    await frame.locator('li[data-author="counselor"]').waitFor();
    await context.close();
  });
});
