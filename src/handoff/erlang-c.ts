/**
 * Erlang C: how many counselors a queue needs so that a target share of chats is answered within a
 * target wait. Pure arithmetic, used by the staffing forecast (dashboard) and tested against a
 * hand-computed example.
 *
 * Model: arrivals are Poisson at `arrivalsPerHour`, handle times exponential with mean
 * `handleSeconds`, `agents` identical servers, nobody abandons. A counselor working several chats
 * at once is approximated as `concurrency` servers (the floor's COUNSELOR_MAX_CHATS), which
 * overstates capacity a little because concurrent chats also slow each other down.
 */

/** Offered load in Erlangs: arrivals per second times mean handle time. */
export function offeredLoad(arrivalsPerHour: number, handleSeconds: number): number {
  return (arrivalsPerHour / 3600) * handleSeconds;
}

/**
 * Probability that an arriving chat has to wait (Erlang C) with `servers` servers and `load` Erlangs.
 * Returns 1 when the queue is unstable (servers <= load). Computed with the stable recurrence of
 * Erlang B, so large server counts do not overflow factorials.
 */
export function waitProbability(servers: number, load: number): number {
  if (!Number.isInteger(servers) || servers < 0) throw new RangeError(`servers must be a whole number >= 0, got ${servers}`);
  if (!(load >= 0)) throw new RangeError(`load must be >= 0, got ${load}`);
  if (load === 0) return 0;
  if (servers <= load) return 1;
  // Erlang B by recurrence: B(0) = 1, B(n) = A·B(n-1) / (n + A·B(n-1)).
  let b = 1;
  for (let n = 1; n <= servers; n++) b = (load * b) / (n + load * b);
  // Erlang C from Erlang B.
  return (servers * b) / (servers - load * (1 - b));
}

/** Share of chats answered within `targetSeconds`. */
export function serviceLevel(servers: number, load: number, handleSeconds: number, targetSeconds: number): number {
  if (servers <= load) return 0;
  const pWait = waitProbability(servers, load);
  return 1 - pWait * Math.exp((-(servers - load) * targetSeconds) / handleSeconds);
}

/** Average speed of answer in seconds (Infinity when unstable). */
export function averageWaitSeconds(servers: number, load: number, handleSeconds: number): number {
  if (servers <= load) return Infinity;
  return (waitProbability(servers, load) * handleSeconds) / (servers - load);
}

export interface StaffingTarget {
  /** e.g. 0.8 for 80 % answered within targetSeconds. */
  serviceLevel: number;
  targetSeconds: number;
  /** Chats one counselor handles at once (1 = voice-like). */
  concurrency?: number;
  /** Upper bound on the search; a forecast beyond it is reported as not reachable. */
  maxAgents?: number;
}

export interface StaffingResult {
  /** Counselors needed (0 when no chats are expected). */
  agents: number;
  load: number;
  serviceLevel: number;
  averageWaitSeconds: number;
  /** False when even maxAgents cannot meet the target. */
  reachable: boolean;
}

/** Smallest number of counselors meeting the target for one interval's arrivals and handle time. */
export function requiredAgents(arrivalsPerHour: number, handleSeconds: number, target: StaffingTarget): StaffingResult {
  const concurrency = target.concurrency ?? 1;
  const maxAgents = target.maxAgents ?? 500;
  const load = offeredLoad(arrivalsPerHour, handleSeconds);
  if (load === 0) return { agents: 0, load, serviceLevel: 1, averageWaitSeconds: 0, reachable: true };
  let agents = Math.max(1, Math.floor(load / concurrency));
  for (; agents <= maxAgents; agents++) {
    const servers = agents * concurrency;
    const sl = serviceLevel(servers, load, handleSeconds, target.targetSeconds);
    if (sl >= target.serviceLevel) {
      return { agents, load, serviceLevel: sl, averageWaitSeconds: averageWaitSeconds(servers, load, handleSeconds), reachable: true };
    }
  }
  const servers = maxAgents * concurrency;
  return {
    agents: maxAgents,
    load,
    serviceLevel: serviceLevel(servers, load, handleSeconds, target.targetSeconds),
    averageWaitSeconds: averageWaitSeconds(servers, load, handleSeconds),
    reachable: false,
  };
}
