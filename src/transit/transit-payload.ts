/**
 * Button payloads of transit answers, as "transit:" strings until the typed payload union in
 * src/core replaces them; encoded and decoded only here. Ids are the feed's own route_id and
 * stop_id, so a button still means the same thing after a reload.
 */
import type { TransitKind } from './transit-question';

export const TRANSIT_PAYLOAD_PREFIX = 'transit:';

export type TransitPayload =
  | { type: 'kind'; kind: TransitKind }
  | { type: 'route'; routeId: string }
  | { type: 'stop'; stopId: string };

const KINDS: readonly TransitKind[] = ['first', 'last', 'next', 'headway'];

export function encodeTransitPayload(p: TransitPayload): string {
  switch (p.type) {
    case 'kind':
      return `${TRANSIT_PAYLOAD_PREFIX}k:${p.kind}`;
    case 'route':
      return `${TRANSIT_PAYLOAD_PREFIX}r:${encodeURIComponent(p.routeId)}`;
    case 'stop':
      return `${TRANSIT_PAYLOAD_PREFIX}s:${encodeURIComponent(p.stopId)}`;
  }
}

/** The payload, or undefined when the string is not a (valid) transit payload. */
export function decodeTransitPayload(payload: string | undefined): TransitPayload | undefined {
  if (!payload?.startsWith(TRANSIT_PAYLOAD_PREFIX)) return undefined;
  const body = payload.slice(TRANSIT_PAYLOAD_PREFIX.length);
  const tag = body.slice(0, 2);
  let value: string;
  try {
    value = decodeURIComponent(body.slice(2));
  } catch {
    return undefined;
  }
  if (!value) return undefined;
  if (tag === 'k:') return KINDS.includes(value as TransitKind) ? { type: 'kind', kind: value as TransitKind } : undefined;
  if (tag === 'r:') return { type: 'route', routeId: value };
  if (tag === 's:') return { type: 'stop', stopId: value };
  return undefined;
}
