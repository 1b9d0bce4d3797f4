/**
 * The key that recognises a platform's retried delivery (channel + the platform's message id),
 * hashed: it is kept after the message itself is deleted (retention, privacy erasure) so a replay
 * is not stored again, and a hash keeps no chat id or user id readable.
 */
import { createHash } from 'node:crypto';

export function deliveryKeyHash(channel: string, channelMessageId: string): string {
  return createHash('sha256').update(`${channel}\u0000${channelMessageId}`).digest('base64url');
}
