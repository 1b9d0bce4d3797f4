/**
 * Erlang C against an example computed by hand (the closed form with factorials):
 * A = 2 Erlangs (40 chats/hour x 180 s), target 80 % within 60 s.
 *  N = 3: A^3/3! · 3/(3-2) = 4;   sum_{k<3} A^k/k! = 1 + 2 + 2 = 5;      P(wait) = 4/9      = 0.444444
 *         SL = 1 - 4/9 · e^(-1·60/180) = 0.681569;  ASA = 4/9 · 180 / 1 = 80 s
 *  N = 4: A^4/4! · 4/(4-2) = 4/3; sum_{k<4} = 5 + 4/3 = 19/3;            P(wait) = 4/23     = 0.173913
 *         SL = 1 - 4/23 · e^(-2·60/180) = 0.910712;  ASA = 4/23 · 180 / 2 = 15.652 s
 * so 4 counselors are needed (3 give 68 %).
 */
import { averageWaitSeconds, offeredLoad, requiredAgents, serviceLevel, waitProbability } from '../../src/handoff/erlang-c';

describe('Erlang C', () => {
  const load = offeredLoad(40, 180);

  it('offered load is arrivals per second times handle time', () => {
    expect(load).toBeCloseTo(2, 12);
  });

  it('matches the hand-computed wait probabilities, service levels and average waits', () => {
    expect(waitProbability(3, load)).toBeCloseTo(4 / 9, 9);
    expect(waitProbability(4, load)).toBeCloseTo(4 / 23, 9);
    expect(serviceLevel(3, load, 180, 60)).toBeCloseTo(1 - (4 / 9) * Math.exp(-1 / 3), 9);
    expect(serviceLevel(4, load, 180, 60)).toBeCloseTo(1 - (4 / 23) * Math.exp(-2 / 3), 9);
    expect(averageWaitSeconds(3, load, 180)).toBeCloseTo(80, 9);
    expect(averageWaitSeconds(4, load, 180)).toBeCloseTo((4 / 23) * 90, 9);
  });

  it('finds the smallest staff meeting 80 % within 60 s', () => {
    const result = requiredAgents(40, 180, { serviceLevel: 0.8, targetSeconds: 60 });
    expect(result).toMatchObject({ agents: 4, reachable: true });
    expect(result.serviceLevel).toBeCloseTo(0.910712, 5);
    // A stricter target needs more.
    expect(requiredAgents(40, 180, { serviceLevel: 0.95, targetSeconds: 60 }).agents).toBe(5);
  });

  it('treats concurrent chats as extra servers', () => {
    // 3 chats at once: 2 counselors = 6 servers for 2 Erlangs.
    expect(requiredAgents(40, 180, { serviceLevel: 0.8, targetSeconds: 60, concurrency: 3 }).agents).toBe(2);
  });

  it('needs nobody without chats, and says when the target is out of reach', () => {
    expect(requiredAgents(0, 180, { serviceLevel: 0.8, targetSeconds: 60 })).toMatchObject({ agents: 0, reachable: true });
    expect(requiredAgents(10_000, 600, { serviceLevel: 0.8, targetSeconds: 60, maxAgents: 10 })).toMatchObject({ agents: 10, reachable: false });
    expect(waitProbability(2, 2)).toBe(1);
  });

  it('stays finite for a large floor (no factorial overflow)', () => {
    const p = waitProbability(400, 380);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
  });
});
