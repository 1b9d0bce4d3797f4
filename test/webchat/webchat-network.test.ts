/**
 * The web chat widget through network trouble, in real Chromium against the whole service:
 * nothing the resident writes is lost or stored twice, and no reply is lost or shown twice.
 */
import type { Duplex } from 'node:stream';
import type { Browser } from 'playwright-core';
import type { Service } from '../../src/main';
import { launchChromium } from '../support/browser';
import { hashToken } from '../../src/http/app-auth';
import { startService } from '../support/service';
import { waitUntil, WebchatPage, type ShownMessage } from './webchat-page';

jest.setTimeout(90_000);

describe('web chat widget on an unreliable network', () => {
  let service: Service;
  let browser: Browser;
  const streamSockets = new Set<Duplex>();

  beforeAll(async () => {
    service = await startService();
    browser = await launchChromium();
    // Remember the server side of every stream connection, so a test can cut it like a lost network.
    service.server.prependListener('upgrade', (_req, socket: Duplex) => {
      streamSockets.add(socket);
      socket.once('close', () => streamSockets.delete(socket));
    });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  function cutStreams() {
    for (const socket of streamSockets) socket.destroy();
  }

  /** Shown messages match the store one to one, in order, with no duplicates. */
  async function expectShownExactlyAsStored(chat: WebchatPage): Promise<ShownMessage[]> {
    const shown = await chat.messages();
    const stored = await chat.storedMessages();
    expect(new Set(shown.map((m) => m.id)).size).toBe(shown.length);
    expect(shown.map((m) => m.id)).toEqual(stored.map((m) => m.id));
    expect(shown.map((m) => m.text)).toEqual(stored.map((m) => m.content.text ?? ''));
    return shown;
  }

  it('keeps a message written offline, sends it once when back, and shows every reply once', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const chat = await WebchatPage.open(context, service);
    await chat.send('안녕하세요');
    await chat.waitForReplies(1);

    await context.setOffline(true);
    cutStreams();
    await chat.waitForStatus('offline');
    const question = '생활폐기물 배출 요일이 언제예요?';
    await chat.send(question);

    const waiting = await chat.page.locator('li.msg--pending').first();
    expect(await waiting.getAttribute('data-state')).toBe('waiting');
    expect(await waiting.locator('.msg__state').textContent()).toBe('연결되면 보낼게요');
    expect((await chat.savedState()).pending.map((p) => p.text)).toEqual([question]);
    expect((await chat.storedMessages()).some((m) => m.content.text === question)).toBe(false);

    await context.setOffline(false);
    await chat.waitForStatus('online');
    await chat.waitForReplies(2);
    await waitUntil('the outbox to empty', async () => (await chat.savedState()).pending.length === 0);

    const stored = await chat.storedMessages();
    expect(stored.filter((m) => m.content.text === question)).toHaveLength(1);
    expect(stored.filter((m) => m.author === 'bot')).toHaveLength(2);
    const shown = await expectShownExactlyAsStored(chat);
    // Stored and answered, so shown as read.
    expect(shown.find((m) => m.text === question)?.state).toBe('read');
    await context.close();
  });

  it('survives a reload while offline: the unsent message is kept and sent once after', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const chat = await WebchatPage.open(context, service);
    await chat.send('안녕하세요');
    await chat.waitForReplies(1);

    await context.setOffline(true);
    cutStreams();
    await chat.waitForStatus('offline');
    const question = '여권 발급은 어디서 하나요?';
    await chat.send(question);
    await chat.page.locator('li.msg--pending').waitFor();
    // Sends keep failing across the reload, so the message can only come back from storage.
    await chat.page.route('**/api/app/v1/messages', (route) => route.abort('internetdisconnected'));
    await context.setOffline(false);
    await chat.page.reload();
    expect(await chat.page.locator('li.msg--pending .msg__bubble').textContent()).toBe(question);
    await chat.page.unroute('**/api/app/v1/messages');
    await chat.page.reload();

    await chat.waitForStatus('online');
    await chat.waitForReplies(2);
    await waitUntil('the outbox to empty', async () => (await chat.savedState()).pending.length === 0);
    expect((await chat.storedMessages()).filter((m) => m.content.text === question)).toHaveLength(1);
    await expectShownExactlyAsStored(chat);
    await context.close();
  });

  it('stores a message once when the answer to its send is lost and the widget sends it again', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const chat = await WebchatPage.open(context, service);
    const posted: string[] = [];
    let readsBlocked = false;
    let answerLost = false;
    await chat.page.route(
      (url) => url.pathname === '/api/app/v1/messages',
      async (route) => {
        const request = route.request();
        if (request.method() === 'GET')
          return readsBlocked ? route.abort('internetdisconnected') : route.continue();
        posted.push(JSON.parse(request.postData() ?? '{}').clientMessageId);
        if (answerLost) return route.continue();
        answerLost = true;
        // The connection drops just as the server stores the message: its answer never arrives,
        // and the page cannot read the conversation back for a while.
        readsBlocked = true;
        cutStreams();
        await route.fetch();
        await route.abort('connectionreset');
      },
    );
    const first = '수도 요금은 어떻게 내요?';
    await chat.send(first);
    await chat.waitForStatus('offline');
    expect((await chat.savedState()).pending.map((p) => p.text)).toEqual([first]);

    // The resident keeps writing; the widget sends the unacknowledged message again first.
    const second = '여권 발급은 어디서 하나요?';
    await chat.send(second);
    await waitUntil(
      'both sends to be acknowledged',
      async () => (await chat.savedState()).pending.length === 0,
    );
    expect(posted).toHaveLength(3);
    expect(posted[1]).toBe(posted[0]);
    expect(posted[2]).not.toBe(posted[0]);

    readsBlocked = false;
    await chat.waitForStatus('online');
    await chat.waitForReplies(2);
    const stored = await chat.storedMessages();
    expect(stored.filter((m) => m.content.text === first)).toHaveLength(1);
    expect(stored.filter((m) => m.content.text === second)).toHaveLength(1);
    await expectShownExactlyAsStored(chat);
    await context.close();
  });

  it('shows a counselor’s reply sent while the page was disconnected exactly once', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const chat = await WebchatPage.open(context, service);
    await chat.send('상담사 연결해 주세요');
    await chat.waitForReplies(1);
    const conversationId = await chat.conversationId();

    await context.setOffline(true);
    cutStreams();
    await chat.waitForStatus('offline');
    const conversation = (await service.store.conversations.get(conversationId))!;
    await service.gateway.send(conversation, [
      {
        author: 'counselor',
        authorId: 'counselor-1',
        content: { text: '상담사 김하나입니다. 무엇을 도와드릴까요?' },
      },
    ]);

    await context.setOffline(false);
    await chat.waitForStatus('online');
    const shown = await chat.waitForReplies(2);
    expect(shown.filter((m) => m.author === 'counselor').map((m) => m.text)).toEqual([
      '상담사 김하나입니다. 무엇을 도와드릴까요?',
    ]);
    await expectShownExactlyAsStored(chat);
    await context.close();
  });

  it('follows the resident into a new conversation after a counselor closed the old one', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const chat = await WebchatPage.open(context, service);
    await chat.send('안녕하세요');
    await chat.waitForReplies(1);
    const first = await chat.conversationId();
    await service.store.conversations.update(first, { state: 'closed', closedAt: new Date() });

    // The open stream still watches the closed conversation; the widget must notice and follow.
    const question = '7-2번 버스 첫차가 몇 시예요?';
    await chat.send(question);
    const shown = await chat.waitForReplies(2);
    const second = await chat.conversationId();
    expect(second).not.toBe(first);
    const stored = [
      ...(await service.store.messages.listByConversation(first)),
      ...(await service.store.messages.listByConversation(second)),
    ].filter((m) => !m.flags?.internal);
    expect(shown.map((m) => m.id)).toEqual(stored.map((m) => m.id));
    // Stored and answered, so shown as read.
    expect(shown.at(-2)).toMatchObject({ author: 'resident', text: question, state: 'read' });
    await context.close();
  });

  it('falls back to long-polling when WebSockets cannot get through', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    // A proxy that refuses WebSocket upgrades.
    await page.routeWebSocket(/\/api\/app\/v1\/stream/, (ws) => ws.close({ code: 1011, reason: 'blocked' }));
    await page.goto(`${service.url}/webchat/`);
    const chat = new WebchatPage(page, service);
    await chat.waitForStatus('online');
    expect(
      await page.evaluate(
        () => (window as unknown as { dajeongWebchat: { transport: string } }).dajeongWebchat.transport,
      ),
    ).toBe('long-poll');

    await chat.send('7-2번 버스 첫차가 몇 시예요?');
    await chat.waitForReplies(1);
    await expectShownExactlyAsStored(chat);
    await context.close();
  });

  it('starts a new session when the saved token is refused, without losing what the resident writes', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const chat = await WebchatPage.open(context, service);
    await chat.send('안녕하세요');
    await chat.waitForReplies(1);
    const firstToken = (await chat.savedState()).token;

    // An unknown (expired) token at load.
    await chat.updateSavedState({ token: 'x'.repeat(43) });
    await chat.page.reload();
    await chat.waitForStatus('online');
    await chat.page.getByText('이전 대화가 만료되어 새 대화를 시작했어요.').waitFor();
    const secondToken = (await chat.savedState()).token;
    expect(secondToken).toBeTruthy();
    expect(secondToken).not.toBe(firstToken);
    await chat.send('7-2번 버스 첫차가 몇 시예요?');
    await chat.waitForReplies(1);

    // The session revoked while the page is open: the message written then goes to a new session.
    const revoked = await chat.conversationId();
    const session = (await service.store.appSessions.findByTokenHash(hashToken(secondToken!)))!;
    await service.store.appSessions.deleteByResident(session.residentId);
    const question = '쓰레기 배출 요일 알려주세요';
    await chat.send(question);
    await waitUntil('a third session', async () => {
      const token = (await chat.savedState()).token;
      return (
        token &&
        token !== secondToken &&
        (await chat.storedMessages()).some((m) => m.content.text === question)
      );
    });
    expect(await chat.conversationId()).not.toBe(revoked);
    await chat.waitForReplies(2);
    await waitUntil('the outbox to empty', async () => (await chat.savedState()).pending.length === 0);
    expect((await chat.storedMessages()).filter((m) => m.content.text === question)).toHaveLength(1);
    await context.close();
  });
});
