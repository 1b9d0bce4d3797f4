/**
 * The only place that knows the concrete channel adapters. A channel is enabled when its
 * configuration is present; adding a platform means one entry here and a folder beside it.
 */
import type { ChannelAdapter } from '../src/core/channel-port';
import type { Logger } from '../src/core/logger-port';
import type { Translate } from '../src/core/text-port';
import { AppChannelAdapter } from './app/app-adapter';
import { WebchatChannelAdapter } from './webchat/webchat-adapter';
import { telegramFromEnv } from './telegram/telegram-adapter';
import { messengerFromEnv } from './messenger/messenger-adapter';
import { xFromEnv } from './x/x-adapter';
import { kakaoFromEnv } from './kakao/kakao-adapter';
import { botFrameworkFromEnv } from './botframework/botframework-adapter';

export interface ChannelFactory {
  name: string;
  /**
   * Returns the adapter when the environment configures this channel, else undefined. `translate`
   * is the message catalogue's lookup, for the few texts an adapter shows itself.
   */
  create(env: NodeJS.ProcessEnv, logger: Logger, translate: Translate): ChannelAdapter | undefined;
}

export const CHANNEL_FACTORIES: ChannelFactory[] = [
  { name: 'app', create: () => new AppChannelAdapter('app') },
  { name: 'webchat', create: () => new WebchatChannelAdapter() },
  { name: 'telegram', create: telegramFromEnv },
  { name: 'messenger', create: messengerFromEnv },
  { name: 'x', create: xFromEnv },
  { name: 'kakao', create: kakaoFromEnv },
  { name: 'botframework', create: botFrameworkFromEnv },
];

export function createChannels(env: NodeJS.ProcessEnv, logger: Logger, translate: Translate): ChannelAdapter[] {
  const adapters: ChannelAdapter[] = [];
  for (const factory of CHANNEL_FACTORIES) {
    const adapter = factory.create(env, logger, translate);
    if (adapter) adapters.push(adapter);
    else logger.info({ channel: factory.name }, 'channel not configured; disabled');
  }
  return adapters;
}
