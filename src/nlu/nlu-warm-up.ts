/**
 * Runs the per-message NLU code once before residents' messages reach it.
 *
 * V8 compiles a regular expression only when it first runs, once per string representation of the
 * subject (one-byte Latin-1 text, two-byte text such as Korean), and compiles it again to machine
 * code on a later run; the classifier's and the FAQ search's loops are optimized only after they
 * ran. With ~460 crisis patterns and ~75 abuse patterns tested against every message, the first
 * Korean turn after a start took ~540 ms and the first English one ~120 ms (3-10 ms each after),
 * and a burst of residents right after a start or a deploy queued behind them (issue 15).
 *
 * The work is cut into slices of a few milliseconds that yield to the event loop, so probes and
 * requests are answered meanwhile; nothing is stored and no result is kept.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** Subjects of both representations, twice each: the first run compiles, the second tiers up. */
const SUBJECTS = ['warm up', 'warm up', '준비 중', '준비 중'];

export interface WarmUpPlan {
  /** Regular expressions run against every message (lexicons); each is tested on both representations. */
  patterns: readonly (readonly RegExp[])[];
  /** Texts a resident might send (a few per language), each given to every call. */
  samples: readonly string[];
  /** What a turn does with a message's text: each call is one slice. */
  calls: readonly ((text: string) => unknown)[];
}

export interface WarmUpOptions {
  /** Checked between slices: stop early (the service is closing). */
  shouldStop?: () => boolean;
  /** Longest run of pattern tests between two yields, in ms. */
  sliceMs?: number;
}

/** What the warm-up did (logged). */
export interface WarmUpReport {
  patterns: number;
  calls: number;
  ms: number;
}

/**
 * Tests every pattern on both string representations and makes every call on every sample,
 * yielding to the event loop between slices. A failing call is ignored (it fails again, and is
 * handled, when a resident's message makes it).
 */
export async function warmUp(plan: WarmUpPlan, options: WarmUpOptions = {}): Promise<WarmUpReport> {
  const started = performance.now();
  const sliceMs = options.sliceMs ?? 8;
  const stop = options.shouldStop ?? (() => false);
  let patterns = 0;
  let calls = 0;
  let sliceStart = performance.now();
  for (const list of plan.patterns) {
    for (const pattern of list) {
      if (stop()) return { patterns, calls, ms: performance.now() - started };
      // A global or sticky pattern keeps its position between tests: put it back as it was.
      const lastIndex = pattern.lastIndex;
      for (const subject of SUBJECTS) pattern.test(subject);
      pattern.lastIndex = lastIndex;
      patterns++;
      if (performance.now() - sliceStart >= sliceMs) {
        await yieldToLoop();
        sliceStart = performance.now();
      }
    }
  }
  for (const text of plan.samples) {
    for (const call of plan.calls) {
      await yieldToLoop();
      if (stop()) return { patterns, calls, ms: performance.now() - started };
      try {
        await call(text);
      } catch {
        // See the doc comment: a warm-up call changes nothing, and its failure is no one's answer.
      }
      calls++;
    }
  }
  return { patterns, calls, ms: performance.now() - started };
}

/** Up to `perLanguage` texts of each language, spread over the list (the examples are grouped by intent). */
export function warmUpSamples(
  examples: readonly { text: string; language: string }[],
  perLanguage = 3,
): string[] {
  const byLanguage = new Map<string, string[]>();
  for (const e of examples) {
    const list = byLanguage.get(e.language) ?? [];
    list.push(e.text);
    byLanguage.set(e.language, list);
  }
  const samples: string[] = [];
  for (const texts of byLanguage.values()) {
    const n = Math.min(perLanguage, texts.length);
    for (let i = 0; i < n; i++) samples.push(texts[Math.floor((i * texts.length) / n)]!);
  }
  return samples;
}
