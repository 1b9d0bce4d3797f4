import type { ChannelAdapter, ChannelLookup } from '../core/channel-port';

/** Lookup of the enabled channel adapters by name; filled by the composition root. */
export class ChannelDirectory implements ChannelLookup {
  private readonly adapters = new Map<string, ChannelAdapter>();

  add(adapter: ChannelAdapter): void {
    if (this.adapters.has(adapter.name)) throw new Error(`channel ${adapter.name} registered twice`);
    this.adapters.set(adapter.name, adapter);
  }

  get(name: string): ChannelAdapter | undefined {
    return this.adapters.get(name);
  }

  all(): ChannelAdapter[] {
    return [...this.adapters.values()];
  }
}
