/**
 * The platform context stored on a channel identity's conversation: the open one, else the most
 * recently closed one from the last 7 days (the same conversations Gateway.undelivered reads).
 */
import type { Store } from '../core/store-port';

const RECENTLY_CLOSED_MS = 7 * 24 * 3600_000;

export async function identityChannelContext(
  store: Store,
  channel: string,
  externalUserId: string,
): Promise<Record<string, unknown> | undefined> {
  const open = await store.conversations.findOpen(channel, externalUserId);
  if (open) return open.channelContext ?? {};
  const resident = await store.residents.findOrCreateByIdentity({ channel, externalUserId });
  const closed = (await store.conversations.list({ residentId: resident.id, states: ['closed'] }))
    .filter((c) => c.channel === channel && c.externalUserId === externalUserId)
    .filter((c) => (c.closedAt?.getTime() ?? 0) > Date.now() - RECENTLY_CLOSED_MS)
    .pop();
  return closed ? (closed.channelContext ?? {}) : undefined;
}
