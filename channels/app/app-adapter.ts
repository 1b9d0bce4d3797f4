/**
 * The province mobile app channel. Residents read replies through the app API (long-poll or
 * WebSocket) straight from the store, so this adapter never pushes anything.
 */
import type { ChannelAdapter, ChannelCapabilities, ChannelRuntime, SendResult } from '../../src/core/channel-port';

export class AppChannelAdapter implements ChannelAdapter {
  readonly capabilities: ChannelCapabilities = {
    maxTextLength: 4000,
    maxQuickReplies: 10,
    maxButtonLabel: 40,
    images: true,
    delivery: 'pull',
  };

  constructor(readonly name: 'app' | 'webchat' = 'app') {}

  async start(_runtime: ChannelRuntime): Promise<void> {}

  async send(): Promise<SendResult> {
    // Pull channel: the stored message is the delivery.
    return { channelMessageIds: [] };
  }

  async stop(): Promise<void> {}
}
