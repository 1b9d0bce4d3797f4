/**
 * The one message catalogue is whole: every key in every required language, every text valid ICU
 * MessageFormat, the same placeholders in every language of a key.
 */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { LOCALES, REQUIRED_LANGUAGES, type Namespace } from '../../src/i18n/locales';
import { ICU_OPTIONS } from '../../src/i18n/message-catalog';

const namespaces = Object.keys(LOCALES) as Namespace[];
const tables = (ns: Namespace) => LOCALES[ns] as Record<string, Record<string, string>>;

/** Names of every argument in a parsed message, nested ones (plural/select branches) included. */
function placeholders(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
    out.add(el.value);
    if (el.type === TYPE.select || el.type === TYPE.plural) {
      for (const option of Object.values(el.options)) placeholders(option.value, out);
    }
    if (el.type === TYPE.tag) placeholders(el.children, out);
  }
  return out;
}

describe.each(namespaces)('the %s namespace', (ns) => {
  const languages = tables(ns);
  const reference = Object.keys(languages.ko!);

  it.each(REQUIRED_LANGUAGES[ns].map((l) => [l]))('has every key in %s', (language) => {
    const table = languages[language];
    expect(table).toBeDefined();
    expect(reference.filter((key) => !(key in table!))).toEqual([]);
  });

  it('has no key in another language that Korean lacks', () => {
    const orphans = Object.entries(languages).flatMap(([language, table]) =>
      Object.keys(table).filter((key) => !(key in languages.ko!)).map((key) => `${language}:${key}`),
    );
    expect(orphans).toEqual([]);
  });

  it('has no empty text', () => {
    const empty = Object.entries(languages).flatMap(([language, table]) =>
      Object.entries(table).filter(([, text]) => !text.trim()).map(([key]) => `${language}:${key}`),
    );
    expect(empty).toEqual([]);
  });

  it('parses every text as ICU MessageFormat, with the same placeholders in every language', () => {
    const problems: string[] = [];
    for (const key of reference) {
      const expected = [...placeholders(parse(languages.ko![key]!, ICU_OPTIONS))].sort();
      for (const [language, table] of Object.entries(languages)) {
        const text = table[key];
        if (text === undefined) continue;
        try {
          const found = [...placeholders(parse(text, ICU_OPTIONS))].sort();
          if (found.join() !== expected.join()) problems.push(`${language}:${key} has {${found}} where ko has {${expected}}`);
        } catch (err) {
          problems.push(`${language}:${key} does not parse: ${(err as Error).message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the resident namespace for other languages', () => {
  it.each(['ja', 'ru', 'th', 'mn', 'uz', 'tl', 'ne', 'km', 'id'])(
    'tells a %s-speaking resident in their own language that answers come in English',
    (language) => {
      const notice = tables('resident')[language]?.['fallback.englishNotice'];
      expect(notice).toBeDefined();
      expect(notice).not.toBe(tables('resident').en!['fallback.englishNotice']);
    },
  );
});
