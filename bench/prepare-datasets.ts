/**
 * Converts the public benchmarks in ../shared/datasets (read-only) into the `{"text","intent"}`
 * JSONL that `nlu:eval` reads, under .cache/datasets/. Out-of-scope labels become `out_of_scope`.
 *
 *   npx tsx bench/prepare-datasets.ts [--datasets <dir>] [--out <dir>]
 *
 * Splits (fit on train, tune on valid, report test):
 *   clinc150-{train,valid,test}   data_full.json; oos_* folded in as out_of_scope
 *   banking77-{train,valid,test}  train/valid: jianguoz split (for tuning); train-full: PolyAI train.csv
 *   hwu64-{train,valid,test}      jianguoz HWU64
 *   massive-ko-test               Korean MASSIVE subset (labels compatible with HWU64)
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';

export interface Row {
  text: string;
  intent: string;
}

const ROOT = path.resolve(__dirname, '..');

function writeJsonl(file: string, rows: Row[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    rows.map((r) => JSON.stringify({ text: r.text, intent: r.intent })).join('\n') + '\n',
  );
}

function lines(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l, i, all) => l.length > 0 || i < all.length - 1);
}

function seqIn(dir: string): Row[] {
  const texts = lines(path.join(dir, 'seq.in'));
  const labels = lines(path.join(dir, 'label'));
  if (texts.length !== labels.length) throw new Error(`${dir}: seq.in and label differ in length`);
  return texts.map((text, i) => ({ text: text.trim(), intent: labels[i]!.trim() })).filter((r) => r.text);
}

/** Writes every split; returns the file names and counts. */
export function prepareDatasets(datasets: string, out: string): Record<string, number> {
  const written: Record<string, number> = {};
  const put = (name: string, rows: Row[]) => {
    writeJsonl(path.join(out, `${name}.jsonl`), rows);
    written[name] = rows.length;
  };

  const clinc = JSON.parse(
    fs.readFileSync(path.join(datasets, 'clinc150', 'data', 'data_full.json'), 'utf8'),
  ) as Record<string, [string, string][]>;
  const clincRows = (split: string, oos: string) => [
    ...(clinc[split] ?? []).map(([text, intent]) => ({ text, intent })),
    ...(clinc[oos] ?? []).map(([text]) => ({ text, intent: 'out_of_scope' })),
  ];
  put('clinc150-train', clincRows('train', 'oos_train'));
  put('clinc150-valid', clincRows('val', 'oos_val'));
  put('clinc150-test', clincRows('test', 'oos_test'));

  const banking = path.join(datasets, 'banking77');
  const csv = (file: string) =>
    (
      parse(fs.readFileSync(path.join(banking, 'banking_data', file), 'utf8'), { columns: true }) as {
        text: string;
        category: string;
      }[]
    ).map((r) => ({
      text: r.text.trim(),
      intent: r.category,
    }));
  put('banking77-train-full', csv('train.csv'));
  put('banking77-test', csv('test.csv'));
  put('banking77-train', seqIn(path.join(banking, 'jianguoz-splits', 'Datasets', 'BANKING77', 'train')));
  put('banking77-valid', seqIn(path.join(banking, 'jianguoz-splits', 'Datasets', 'BANKING77', 'valid')));

  const hwu = path.join(datasets, 'hwu64', 'Datasets', 'HWU64');
  for (const split of ['train', 'valid', 'test']) put(`hwu64-${split}`, seqIn(path.join(hwu, split)));

  const massive = lines(path.join(datasets, 'massive-ko-test500', 'massive_ko-KR_test500.jsonl')).map((l) => {
    const row = JSON.parse(l) as { utt: string; intent: string };
    return { text: row.utt, intent: row.intent };
  });
  put('massive-ko-test', massive);
  return written;
}

if (require.main === module) {
  const { values } = parseArgs({
    options: { datasets: { type: 'string' }, out: { type: 'string' } },
  });
  const datasets = values.datasets ?? path.resolve(ROOT, '..', 'shared', 'datasets');
  const out = values.out ?? path.join(ROOT, '.cache', 'datasets');
  const written = prepareDatasets(datasets, out);
  for (const [name, n] of Object.entries(written)) console.log(`${path.join(out, name)}.jsonl\t${n}`);
}
