/**
 * Every resident-facing text in the data is written in the four languages the bot answers in
 * (issue 14 "Every language whole"): FAQ answers and questions, flow texts, intent examples and
 * replies, and the welcome message with its starter topics. Translations keep the facts: the phone
 * numbers and web addresses of an answer are the same in every language.
 */
import fs from 'node:fs';
import path from 'node:path';
import { INTENTS } from '../../src/core/nlu-port';
import { loadFlows } from '../../src/flows/flow-schema';
import { loadFaqFiles } from '../../src/knowledge/faq-loader';
import { loadIntentData } from '../../src/nlu/intent-data';

const ROOT = path.join(__dirname, '..', '..');
const LANGUAGES = ['ko', 'en', 'zh', 'vi'] as const;

/** Languages of `texts` that are missing or blank. */
function missing(texts: Record<string, unknown> | undefined): string[] {
  return LANGUAGES.filter((l) => {
    const v = texts?.[l];
    return Array.isArray(v) ? v.length === 0 : typeof v !== 'string' || v.trim() === '';
  });
}

/** Every `{ko, en, ...}` text map inside a flow definition, with its path. */
function localizedTexts(value: unknown, at: string, out: Array<[string, Record<string, unknown>]>) {
  if (Array.isArray(value)) value.forEach((v, i) => localizedTexts(v, `${at}[${i}]`, out));
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.ko === 'string') out.push([at, record]);
    else for (const [k, v] of Object.entries(record)) localizedTexts(v, `${at}.${k}`, out);
  }
  return out;
}

// National service numbers without a hyphen that answers cite; hyphenated numbers are always facts.
const SERVICE_NUMBERS = new Set([
  '107',
  '109',
  '110',
  '112',
  '117',
  '119',
  '120',
  '123',
  '126',
  '129',
  '1339',
  '1345',
  '1355',
  '1366',
  '1388',
]);

/** Phone numbers and web addresses a text cites. */
function facts(text: string): string[] {
  const numbers = (text.match(/\d+(?:-\d+)+|\d+/g) ?? []).filter(
    (n) => n.includes('-') || SERVICE_NUMBERS.has(n),
  );
  const sites = (text.match(/[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:kr|com|net|org)\b/gi) ?? []).map((s) =>
    s.toLowerCase().replace(/^www\./, ''),
  );
  return [...new Set([...numbers, ...sites])].sort();
}

describe('FAQ entries in every language', () => {
  const entries = loadFaqFiles(path.join(ROOT, 'knowledge', 'faq'));

  it('have an answer and questions in ko, en, zh and vi', () => {
    const gaps = entries.flatMap((e) => [
      ...missing(e.answer).map((l) => `${e.id}: answer.${l}`),
      ...missing(e.questions).map((l) => `${e.id}: questions.${l}`),
    ]);
    expect(gaps).toEqual([]);
  });

  it('cite the same phone numbers and web addresses in every language', () => {
    const differences = entries.flatMap((e) =>
      LANGUAGES.filter((l) => l !== 'ko')
        .filter((l) => facts(e.answer[l] ?? '').join(' ') !== facts(e.answer.ko ?? '').join(' '))
        .map(
          (l) => `${e.id}: ${l} cites [${facts(e.answer[l] ?? '')}], ko cites [${facts(e.answer.ko ?? '')}]`,
        ),
    );
    expect(differences).toEqual([]);
  });

  it('find a difference in cited numbers (the check above can fail)', () => {
    expect(facts('다누리콜센터(1577-1366), 120, gov.kr')).toEqual(['120', '1577-1366', 'gov.kr']);
    expect(facts('Danuri (1577-1336)')).not.toEqual(facts('다누리(1577-1366)'));
  });
});

describe('flows in every language', () => {
  const flows = loadFlows(path.join(ROOT, 'knowledge', 'flows'));

  it('have every text (title, intro, prompts, invalid, done) in ko, en, zh and vi', () => {
    expect(flows.size).toBeGreaterThan(0);
    const gaps: string[] = [];
    for (const [name, flow] of flows) {
      const texts = localizedTexts(flow, name, []);
      expect(texts.length).toBeGreaterThanOrEqual(flow.steps.length + 2);
      for (const [at, text] of texts) for (const l of missing(text)) gaps.push(`${at}.${l}`);
    }
    expect(gaps).toEqual([]);
  });
});

describe('intents in every language', () => {
  const data = loadIntentData(path.join(ROOT, 'intents'));

  it('have examples and a reply in ko, en, zh and vi for every intent', () => {
    const gaps: string[] = [];
    for (const intent of INTENTS) {
      const def = data.definitions.get(intent);
      if (!def) gaps.push(`${intent}: no intent file`);
      else
        gaps.push(
          ...missing(def.examples).map((l) => `${intent}: examples.${l}`),
          ...missing(def.reply).map((l) => `${intent}: reply.${l}`),
        );
    }
    expect(gaps).toEqual([]);
  });
});

describe('welcome data', () => {
  const welcome = JSON.parse(fs.readFileSync(path.join(ROOT, 'knowledge', 'welcome.json'), 'utf8')) as {
    message: Record<string, string>;
    topics: Array<{ id: string; intent: string; label: Record<string, string> }>;
    updatedAt: string;
  };

  it('has a welcome message in ko, en, zh and vi', () => {
    expect(missing(welcome.message)).toEqual([]);
    expect(welcome.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('offers the starter topics the issue names, each selecting a known intent', () => {
    expect(welcome.topics.map((t) => t.intent)).toEqual([
      'transport_schedule',
      'road_damage_report',
      'waste_collection',
      'counselor_request',
    ]);
    for (const t of welcome.topics)
      expect([t.id, (INTENTS as readonly string[]).includes(t.intent)]).toEqual([t.id, true]);
    expect(new Set(welcome.topics.map((t) => t.id)).size).toBe(welcome.topics.length);
  });

  it('labels every topic in ko, en, zh and vi with at most 20 characters', () => {
    for (const t of welcome.topics) {
      expect([t.id, missing(t.label)]).toEqual([t.id, []]);
      for (const [l, label] of Object.entries(t.label)) {
        const length = [...label].length;
        expect([t.id, l, length >= 1 && length <= 20]).toEqual([t.id, l, true]);
      }
    }
  });
});
