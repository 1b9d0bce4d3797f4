/** Drives the web chat widget in a real browser page, the way a resident would. */
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { hashToken } from '../../channels/app/app-auth';
import { loadWelcome } from '../../src/knowledge/welcome-schema';
import type { Service } from '../../src/main';

/** A message as the widget shows it. */
export interface ShownMessage {
  id?: string;
  author: string;
  text: string;
  state?: string;
  clientId?: string;
}

/** The widget's saved state (localStorage). */
export interface SavedState {
  token?: string;
  cursor?: string;
  lang?: string;
  pending: { clientMessageId: string; text?: string; payload?: string }[];
}

const STATE_KEY = 'dajeong.webchat.v1';

/** The welcome's text in every language (knowledge/welcome.json). */
const WELCOME_TEXTS = new Set(Object.values(loadWelcome(path.join(__dirname, '..', '..', 'knowledge', 'welcome.json'))?.message ?? {}));

/** Whether a shown message is the welcome a conversation opens with. */
export function isWelcome(m: ShownMessage): boolean {
  return m.author === 'bot' && WELCOME_TEXTS.has(m.text);
}

/** The answers among shown messages: from the bot or a counselor, the welcomes left out. */
export function answers(shown: ShownMessage[]): ShownMessage[] {
  return shown.filter((m) => m.author !== 'resident' && !isWelcome(m));
}

/** Polls `check` until it returns a truthy value, or throws `what` after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T> | T,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export class WebchatPage {
  constructor(
    readonly page: Page,
    readonly service: Service,
  ) {}

  /** Opens /webchat/ in a new page of `context` and waits until it is connected and shows the welcome. */
  static async open(context: BrowserContext, service: Service, query = ''): Promise<WebchatPage> {
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('webchat page error:', err));
    const chat = new WebchatPage(page, service);
    await page.goto(`${service.url}/webchat/${query}`);
    await chat.waitForStatus('online');
    await chat.waitForWelcome();
    return chat;
  }

  /** Waits until the welcome the chat opened with is shown; returns it. */
  waitForWelcome(): Promise<ShownMessage> {
    return waitUntil('the welcome', async () => (await this.messages()).find(isWelcome));
  }

  get input(): Locator {
    return this.page.getByRole('textbox', { name: /메시지 입력|Message/ });
  }

  get quickReplies(): Locator {
    return this.page.getByRole('group', { name: /빠른 답변|Quick replies/ }).getByRole('button');
  }

  async waitForStatus(state: 'online' | 'offline' | 'connecting'): Promise<void> {
    await this.page.locator(`#status[data-state="${state}"]`).waitFor({ timeout: 15_000 });
  }

  /** Types a message and presses Enter. */
  async send(text: string): Promise<void> {
    await this.input.fill(text);
    await this.input.press('Enter');
  }

  /** The messages shown, in screen order (notices excluded). */
  messages(): Promise<ShownMessage[]> {
    return this.page.$$eval('#log > li.msg:not(.msg--notice)', (items) =>
      items.map((li) => ({
        id: (li as HTMLElement).dataset.id,
        author: (li as HTMLElement).dataset.author ?? '',
        // The message text only: link lists and location lines are rendered beside it.
        text: (() => {
          const bubble = li.querySelector('.msg__bubble')?.cloneNode(true) as HTMLElement | undefined;
          bubble?.querySelectorAll('.msg__links').forEach((n) => n.remove());
          return bubble?.textContent ?? '';
        })(),
        state: (li as HTMLElement).dataset.state,
        clientId: (li as HTMLElement).dataset.clientId,
      })),
    );
  }

  /**
   * Waits until at least `count` answers (messages from the bot or a counselor, the welcomes left
   * out) are shown; returns every shown message, welcomes included.
   */
  async waitForReplies(count: number): Promise<ShownMessage[]> {
    return waitUntil(`${count} replies`, async () => {
      const shown = await this.messages();
      return answers(shown).length >= count ? shown : undefined;
    });
  }

  savedState(): Promise<SavedState> {
    return this.page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '{"pending":[]}'), STATE_KEY);
  }

  async updateSavedState(patch: Partial<SavedState>): Promise<void> {
    await this.page.evaluate(
      ({ key, patch }) =>
        localStorage.setItem(
          key,
          JSON.stringify({ ...JSON.parse(localStorage.getItem(key) ?? '{}'), ...patch }),
        ),
      { key: STATE_KEY, patch },
    );
  }

  /** The conversation the page's session points at, read from the store. */
  async conversationId(): Promise<string> {
    const { token } = await this.savedState();
    const session = token
      ? await this.service.store.appSessions.findByTokenHash(hashToken(token))
      : undefined;
    if (!session) throw new Error('the page has no valid session');
    return session.conversationId;
  }

  /** What the store holds for the page's conversation, as the resident may see it. */
  async storedMessages() {
    const all = await this.service.store.messages.listByConversation(await this.conversationId());
    return all.filter((m) => !m.flags?.internal);
  }
}
