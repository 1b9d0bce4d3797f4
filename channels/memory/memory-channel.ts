/**
 * An in-memory channel for tests, like Rasa's collecting channel or hubot's test adapter: a test
 * says something as a resident (through the same runtime every channel uses) and reads what the
 * service sent back, without HTTP or a platform. Not registered in channels/registry.ts: tests
 * create it and start it on a runtime themselves.
 */
import type {
  ChannelAdapter,
  ChannelCapabilities,
  ChannelRuntime,
  DispatchResult,
  SendResult,
  SendTarget,
} from '../../src/core/channel-port';
import { contentOf, type ContentParts, type Message } from '../../src/core/message';

/** One platform message the channel "sent": where to, and the stored message it carried. */
export interface SentMessage {
  target: SendTarget;
  message: Message;
}

interface Waiter {
  externalUserId: string;
  count: number;
  resolve: (messages: Message[]) => void;
}

export class MemoryChannel implements ChannelAdapter {
  readonly capabilities: ChannelCapabilities;
  /** Everything sent, in order. */
  readonly sent: SentMessage[] = [];
  private runtime?: ChannelRuntime;
  private readonly waiters = new Set<Waiter>();
  private counter = 0;

  constructor(
    readonly name = 'memory',
    capabilities: Partial<ChannelCapabilities> = {},
  ) {
    this.capabilities = { maxTextLength: 4000, maxQuickReplies: 10, maxButtonLabel: 40, images: true, delivery: 'push', ...capabilities };
  }

  async start(runtime: ChannelRuntime): Promise<void> {
    this.runtime = runtime;
  }

  async send(target: SendTarget, messages: Message[]): Promise<SendResult> {
    for (const message of messages) this.sent.push({ target, message });
    for (const waiter of [...this.waiters]) {
      const got = this.sentTo(waiter.externalUserId);
      if (got.length >= waiter.count) {
        this.waiters.delete(waiter);
        waiter.resolve(got);
      }
    }
    return { channelMessageIds: messages.map(() => `memory-${++this.counter}`) };
  }

  async stop(): Promise<void> {}

  /** A resident writes: text, or any content parts (a button press, a photo...). */
  say(externalUserId: string, what: string | ContentParts, channelMessageId = `in-${++this.counter}`): Promise<DispatchResult> {
    if (!this.runtime) throw new Error('start the memory channel on a runtime first');
    const parts = typeof what === 'string' ? { text: what } : what;
    return this.runtime.dispatch({ channel: this.name, externalUserId, channelMessageId, content: contentOf(parts) });
  }

  /** Messages sent to one resident so far, in order. */
  sentTo(externalUserId: string): Message[] {
    return this.sent.filter((s) => s.target.externalUserId === externalUserId).map((s) => s.message);
  }

  /** Resolves once at least `count` messages were sent to the resident (all of them, in order). */
  waitForSent(externalUserId: string, count: number, timeoutMs = 10_000): Promise<Message[]> {
    const got = this.sentTo(externalUserId);
    if (got.length >= count) return Promise.resolve(got);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { externalUserId, count, resolve };
      this.waiters.add(waiter);
      setTimeout(() => {
        if (!this.waiters.delete(waiter)) return;
        reject(new Error(`${count} messages to ${externalUserId} not sent within ${timeoutMs} ms (sent ${this.sentTo(externalUserId).length})`));
      }, timeoutMs).unref();
    });
  }
}
