/**
 * The three public Korean abusive-language sets in ../shared/datasets, as `{text, abusive}` splits.
 * Fit and tune only on the `train`/`dev` parts; report the `test` parts.
 *
 *   curse-detection-ko  dataset.txt `text|label` (1 = abusive), no split: fixed seeded 80/20 train/test
 *   korean-hate-speech  labeled/train.tsv (tune) and labeled/dev.tsv (report; test has no labels);
 *                       abusive = hate or offensive
 *   k-mhas              kmhas_valid.txt (tune) and kmhas_test.txt (report); abusive = any label but 8
 */
import fs from 'node:fs';
import path from 'node:path';
import { seededRandom } from '../src/nlu/softmax-head';

export interface AbuseRow {
  text: string;
  abusive: boolean;
}

export interface AbuseDataset {
  name: string;
  /** For fitting and tuning. */
  train: AbuseRow[];
  /** For reporting only. */
  test: AbuseRow[];
  testSplit: string;
}

export const DEFAULT_DATASETS = path.resolve(__dirname, '..', '..', 'shared', 'datasets');

function lines(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim().length > 0);
}

/** Strips the CSV-style quotes some TSV cells carry. */
function unquote(text: string): string {
  const t = text.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t;
}

export function curseDetection(root = DEFAULT_DATASETS): AbuseDataset {
  const rows = lines(path.join(root, 'curse-detection-ko', 'dataset.txt')).map((line) => {
    const cut = line.lastIndexOf('|');
    return { text: line.slice(0, cut).trim(), abusive: line.slice(cut + 1).trim() === '1' };
  });
  // Fixed, seeded split: the same 20% is the test part on every machine.
  const rand = seededRandom(20240501);
  const train: AbuseRow[] = [];
  const test: AbuseRow[] = [];
  for (const row of rows) (rand() < 0.8 ? train : test).push(row);
  return { name: 'curse-detection-ko', train, test, testSplit: 'seeded 20% (seed 20240501)' };
}

export function koreanHateSpeech(root = DEFAULT_DATASETS): AbuseDataset {
  const read = (file: string) =>
    lines(path.join(root, 'korean-hate-speech', 'labeled', file))
      .slice(1)
      .map((line) => {
        const cells = line.split('\t');
        return { text: unquote(cells[0] ?? ''), abusive: (cells[3] ?? 'none').trim() !== 'none' };
      });
  return {
    name: 'korean-hate-speech',
    train: read('train.tsv'),
    test: read('dev.tsv'),
    testSplit: 'dev (test has no labels)',
  };
}

export function kMhas(root = DEFAULT_DATASETS): AbuseDataset {
  const read = (file: string) =>
    lines(path.join(root, 'k-mhas', 'data', file))
      .slice(1)
      .map((line) => {
        const tab = line.lastIndexOf('\t');
        const labels = line
          .slice(tab + 1)
          .trim()
          .split(',');
        return { text: unquote(line.slice(0, tab)), abusive: !labels.includes('8') };
      });
  return { name: 'k-mhas', train: read('kmhas_valid.txt'), test: read('kmhas_test.txt'), testSplit: 'test' };
}

export function allAbuseDatasets(root = DEFAULT_DATASETS): AbuseDataset[] {
  return [curseDetection(root), koreanHateSpeech(root), kMhas(root)];
}
