/**
 * The platform-outage fault script decides pass or fail by matching each chat's accepted Bot API
 * calls to the replies the service stored; these cases make sure that matching catches a lost, a
 * doubled, a reordered and a foreign send, so the script cannot pass on a broken outbox.
 */
import { matchChat } from '../../scripts/faults/telegram-delivery-check';

// Reply 0 is one call, reply 1 two calls (a split text), reply 2 repeats reply 0's text (the same FAQ asked twice).
const expected = [
  { key: 'a', reply: 0 },
  { key: 'b1', reply: 1 },
  { key: 'b2', reply: 1 },
  { key: 'a', reply: 2 },
];

describe('fault script delivery matching', () => {
  it('accepts every call once in the stored order, repeated texts included', () => {
    expect(matchChat(expected, ['a', 'b1', 'b2', 'a'])).toEqual({
      duplicates: 0,
      unexpected: 0,
      outOfOrder: 0,
      undelivered: new Set(),
      matchedTo: [0, 1, 2, 3],
    });
  });

  it('reports a reply of which a call never arrived as undelivered', () => {
    expect(matchChat(expected, ['a', 'b1', 'a']).undelivered).toEqual(new Set([1]));
  });

  it('does not call a later copy of a lost reply reordered', () => {
    const r = matchChat(expected, ['b1', 'b2', 'a']);
    expect(r.outOfOrder).toBe(0);
    expect(r.undelivered).toEqual(new Set([0]));
  });

  it('counts a call accepted twice as a duplicate', () => {
    const r = matchChat(expected, ['a', 'b1', 'b1', 'b2', 'a']);
    expect(r.duplicates).toBe(1);
    expect(r.undelivered.size).toBe(0);
  });

  it('counts a call that arrived after a later-stored one as out of order', () => {
    expect(matchChat(expected, ['b1', 'b2', 'a', 'a']).outOfOrder).toBe(1);
    expect(matchChat(expected, ['a', 'b2', 'b1', 'a']).outOfOrder).toBe(1);
  });

  it('counts a call that matches no stored reply as unexpected', () => {
    expect(matchChat(expected, ['a', 'b1', 'b2', 'a', 'zzz']).unexpected).toBe(1);
  });
});
