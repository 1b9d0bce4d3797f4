/**
 * Every quick-reply label the bot offers, in every language: the resident catalogue's buttons
 * (`resident.button.*`, transit's `resident.transit.kind*`) in src/i18n/locales/resident/<lang>.json,
 * and any `label`/`labels` object ({ko, en, zh, vi}) in the knowledge data (welcome topics, flow
 * options). Read as data, not imported, so the catalogue may move by changing this function only.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface ButtonLabel {
  key: string;
  language: string;
  text: string;
  file: string;
}

/** Catalogue keys that are button labels. */
const BUTTON_KEY = /^(button\.|transit\.kind)/;

function jsonFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.json'))
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}

/** `label`/`labels` objects whose values are all strings, anywhere in a JSON document. */
function dataLabels(value: unknown, where: string, file: string, out: ButtonLabel[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => dataLabels(v, `${where}[${i}]`, file, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const texts = v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : [];
      if ((k === 'label' || k === 'labels') && texts.length && texts.every(([, t]) => typeof t === 'string')) {
        for (const [language, text] of texts) out.push({ key: `${where}.${k}`, language, text: text as string, file });
      } else dataLabels(v, `${where}.${k}`, file, out);
    }
  }
}

/** Labels from the resident catalogue under `srcDir` and the knowledge data beside it. */
export function catalogueLabels(srcDir: string, knowledgeDir = path.join(path.dirname(path.resolve(srcDir)), 'knowledge')): ButtonLabel[] {
  const out: ButtonLabel[] = [];
  for (const file of jsonFiles(path.join(srcDir, 'i18n', 'locales', 'resident'))) {
    const language = path.basename(file, '.json');
    const table = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    for (const [key, text] of Object.entries(table))
      if (BUTTON_KEY.test(key) && text) out.push({ key, language, text, file: path.relative(process.cwd(), file) });
  }
  for (const file of jsonFiles(knowledgeDir)) {
    const relative = path.relative(process.cwd(), file);
    dataLabels(JSON.parse(fs.readFileSync(file, 'utf8')), path.basename(file, '.json'), relative, out);
  }
  return out;
}
