/** The web chat widget: static files that talk to the app API; conversations use channel 'webchat'. */
import path from 'node:path';
import type { ChannelRuntime } from '../../src/core/channel-port';
import { AppChannelAdapter } from '../app/app-adapter';

export class WebchatChannelAdapter extends AppChannelAdapter {
  constructor() {
    super('webchat');
  }

  override async start(runtime: ChannelRuntime): Promise<void> {
    runtime.serveStatic('/webchat', path.join(__dirname, 'public'));
  }
}
