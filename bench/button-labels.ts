/**
 * Every quick-reply label the bot offers, in every language, read from the text catalogues in src:
 * entries named `…Label: { ko: '…', en: '…', … }` (src/turn/texts.ts, src/handoff/handoff-texts.ts,
 * src/flows/flow-texts.ts, src/knowledge/faq-texts.ts, ticket texts). Read as source text, not
 * imported, so a catalogue may move (e.g. into one src/i18n catalogue) by changing this function only.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface ButtonLabel {
  key: string;
  language: string;
  text: string;
  file: string;
}

const ENTRY = /(\w*Label)\s*:\s*\{([^}]*)\}/g;
const VALUE = /(\w+)\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;

/** Labels from every `*.ts` catalogue under `srcDir` whose name ends in `texts.ts`. */
export function catalogueLabels(srcDir: string): ButtonLabel[] {
  const files = fs
    .readdirSync(srcDir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('texts.ts'))
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
  const out: ButtonLabel[] = [];
  for (const file of files) {
    const source = fs.readFileSync(file, 'utf8');
    for (const [, key, body] of source.matchAll(ENTRY)) {
      for (const [, language, single, double] of body!.matchAll(VALUE)) {
        const text = (single ?? double ?? '').replace(/\\(.)/g, '$1');
        if (text) out.push({ key: key!, language: language!, text, file: path.relative(process.cwd(), file) });
      }
    }
  }
  return out;
}
