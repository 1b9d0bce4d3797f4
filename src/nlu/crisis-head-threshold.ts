/**
 * The crisis head's threshold stored with its data: `intents/crisis-head/threshold.json`, written
 * offline by `npm run --silent bench:crisis-head -- --write` (leave-one-set-out cross-validation,
 * 11+ head fits). Training uses it instead of cross-validating when it was computed for exactly the
 * current recipe, settings, target recall, encoder and crisis-head files; intent examples are not
 * part of the match (they change with every intent edit and move the threshold little).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CRISIS_HEAD_FORMAT, type CrisisHeadFitOptions } from './crisis-head';
import type { CrisisHeadFold } from './crisis-head-job';

export const CRISIS_HEAD_THRESHOLD_FILE = 'threshold.json';
/** The command that rewrites the stored threshold (named in logs and test failures). */
export const CRISIS_HEAD_THRESHOLD_COMMAND = 'npm run --silent bench:crisis-head -- --write';

const storedSchema = z.object({
  threshold: z.number().min(0).max(1),
  targetRecall: z.number(),
  format: z.string(),
  settings: z.record(z.string(), z.unknown()),
  encoder: z.string(),
  dataHash: z.string(),
  folds: z.array(z.unknown()),
  computedAt: z.string(),
});

export interface StoredCrisisHeadThreshold {
  threshold: number;
  targetRecall: number;
  format: string;
  settings: CrisisHeadFitOptions;
  /** Fingerprint of the encoder's weights. */
  encoder: string;
  /** crisisHeadDataHash of the folder when it was computed. */
  dataHash: string;
  folds: CrisisHeadFold[];
  computedAt: string;
}

/** What a stored threshold must have been computed for. */
export interface CrisisHeadThresholdInputs {
  targetRecall: number;
  settings: CrisisHeadFitOptions;
  fingerprint: string;
  dataHash: string;
}

/** SHA-256 over the folder's `*.jsonl` files in name order (name and content; CRLF read as LF). */
export function crisisHeadDataHash(dir: string): string {
  const hash = crypto.createHash('sha256');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort() : [];
  for (const file of files) hash.update(`${file}\u0000${fs.readFileSync(path.join(dir, file), 'utf8').replace(/\r\n/g, '\n')}\u0000`);
  return hash.digest('hex');
}

/** The folder's stored threshold, or why there is none usable to read. */
export function readStoredThreshold(dir: string): StoredCrisisHeadThreshold | { missing: string } {
  const file = path.join(dir, CRISIS_HEAD_THRESHOLD_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return { missing: (err as NodeJS.ErrnoException).code === 'ENOENT' ? `no ${file}` : `${file} is not JSON` };
  }
  const parsed = storedSchema.safeParse(raw);
  return parsed.success ? (parsed.data as StoredCrisisHeadThreshold) : { missing: `${file}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}` };
}

/** Key-order independent JSON of plain settings. */
const canonical = (o: object) => JSON.stringify(Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b))));

/** Why the stored threshold does not fit these inputs, or undefined when it does. */
export function staleness(stored: StoredCrisisHeadThreshold, current: CrisisHeadThresholdInputs): string | undefined {
  if (stored.format !== CRISIS_HEAD_FORMAT) return `format ${stored.format}, now ${CRISIS_HEAD_FORMAT}`;
  if (canonical(stored.settings) !== canonical(current.settings)) return `settings ${canonical(stored.settings)}, now ${canonical(current.settings)}`;
  if (stored.targetRecall !== current.targetRecall) return `target recall ${stored.targetRecall}, now ${current.targetRecall}`;
  if (stored.encoder !== current.fingerprint) return `encoder ${stored.encoder}, now ${current.fingerprint}`;
  if (stored.dataHash !== current.dataHash) return 'the crisis-head data files changed';
  return undefined;
}

/** The stored threshold when it fits the folder's current files and these inputs, else why not. */
export function resolveStoredThreshold(dir: string, current: Omit<CrisisHeadThresholdInputs, 'dataHash'>): { threshold: number } | { stale: string } {
  const stored = readStoredThreshold(dir);
  if ('missing' in stored) return { stale: stored.missing };
  const why = staleness(stored, { ...current, dataHash: crisisHeadDataHash(dir) });
  return why ? { stale: why } : { threshold: stored.threshold };
}
