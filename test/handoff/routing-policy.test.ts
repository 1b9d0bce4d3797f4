/** The routing policy and the shift schedule as pure functions. */
import type { Conversation } from '../../src/core/conversation';
import type { HandoffEpisode } from '../../src/core/handoff-port';
import type { ConsoleUser } from '../../src/core/user-port';
import { percentile } from '../../src/handoff/dashboard-service';
import { inServingOrder, type QueueEntry } from '../../src/handoff/queue-order';
import { chooseCounselor } from '../../src/handoff/routing-policy';
import { isOnShift, koreaDay, nextShiftStart } from '../../src/handoff/shift-schedule';

const now = new Date('2025-03-04T03:00:00Z'); // 12:00 in Korea

function user(id: string, languages: string[], extra: Partial<ConsoleUser> = {}): ConsoleUser {
  return {
    id,
    login: id,
    passwordHash: 'x',
    role: 'counselor',
    displayName: id,
    languages,
    teams: [],
    presence: 'available',
    presenceAt: now,
    failedLogins: 0,
    createdAt: now,
    updatedAt: now,
    ...extra,
  };
}

function entry(id: string, language: string, priority: Conversation['priority'], waitedMs: number, episode: Partial<HandoffEpisode> = {}): QueueEntry {
  const queuedAt = new Date(now.getTime() - waitedMs);
  return {
    conversation: { id, residentId: 'r', channel: 'app', externalUserId: id, language, state: 'queued', priority, handoffSeq: 1, slots: {}, misses: 0, queuedAt, createdAt: queuedAt, updatedAt: queuedAt },
    episode: { id: `${id}:1`, conversationId: id, handoffSeq: 1, residentId: 'r', channel: 'app', language, priority, reason: priority, queuedAt, ...episode },
  };
}

const pick = (e: QueueEntry, counselors: ConsoleUser[], loads: Record<string, number> = {}, skillFallbackMs = 120_000) =>
  chooseCounselor({ entry: e, counselors, loads: new Map(Object.entries(loads)), capOf: (u) => u.maxConcurrent ?? 3, now, skillFallbackMs })?.id;

describe('routing policy', () => {
  it('orders the queue by priority, then first come first served', () => {
    const order = inServingOrder([
      entry('late-normal', 'ko', 'normal', 1_000),
      entry('early-request', 'ko', 'request', 90_000),
      entry('crisis', 'ko', 'crisis', 10),
      entry('failure', 'ko', 'bot_failure', 5_000),
      entry('late-request', 'ko', 'request', 30_000),
    ]).map((e) => e.conversation.id);
    expect(order).toEqual(['crisis', 'failure', 'early-request', 'late-request', 'late-normal']);
  });

  it('prefers the language skill over a lighter load, then the least loaded, then the longest idle', () => {
    const ko = user('ko', ['ko']);
    const vi = user('vi', ['ko', 'vi']);
    expect(pick(entry('a', 'vi', 'request', 0), [ko, vi], { vi: 2 })).toBe('vi');
    expect(pick(entry('b', 'ko', 'request', 0), [ko, vi], { vi: 2 })).toBe('ko');
    const idleLong = user('x', ['ko'], { lastAssignedAt: new Date(now.getTime() - 3_600_000) });
    const idleShort = user('y', ['ko'], { lastAssignedAt: new Date(now.getTime() - 60_000) });
    expect(pick(entry('c', 'ko', 'normal', 0), [idleShort, idleLong])).toBe('x');
  });

  it('waits for a skilled counselor until the fallback, then takes anyone available', () => {
    const ko = user('ko', ['ko']);
    expect(pick(entry('a', 'vi', 'request', 10_000), [ko])).toBeUndefined();
    expect(pick(entry('a', 'vi', 'request', 130_000), [ko])).toBe('ko');
  });

  it('never exceeds a counselor’s cap and keeps team transfers within the team', () => {
    const capped = user('capped', ['ko'], { maxConcurrent: 2 });
    expect(pick(entry('a', 'ko', 'crisis', 0), [capped], { capped: 2 })).toBeUndefined();
    expect(pick(entry('a', 'ko', 'crisis', 0), [capped], { capped: 1 })).toBe('capped');
    const welfare = user('w', ['ko'], { teams: ['welfare'] });
    const other = user('o', ['ko']);
    expect(pick(entry('t', 'ko', 'request', 600_000, { team: 'welfare' }), [other, welfare], { w: 2 })).toBe('w');
    expect(pick(entry('t', 'ko', 'request', 600_000, { team: 'welfare' }), [other])).toBeUndefined();
  });

  it('offers a transfer to the named counselor first', () => {
    const a = user('a', ['ko']);
    const b = user('b', ['ko']);
    expect(pick(entry('t', 'ko', 'request', 0, { preferredCounselorId: 'b' }), [a, b], { b: 2 })).toBe('b');
  });
});

describe('shift schedule (Korea time)', () => {
  it('knows who is on shift and when the next shift starts', () => {
    expect(isOnShift('day', now)).toBe(true);
    expect(isOnShift('graveyard', now)).toBe(false);
    expect(nextShiftStart(['night'], now)).toBe('16:00');
    expect(nextShiftStart(['graveyard', 'night'], now)).toBe('16:00');
    expect(nextShiftStart(['day'], now)).toBe('08:00');
    expect(nextShiftStart([], now)).toBeUndefined();
    expect(koreaDay(new Date('2025-03-04T16:00:00Z'))).toBe('2025-03-05');
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    expect(percentile([], 90)).toBeNull();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5, 100], 90)).toBe(10);
  });
});
