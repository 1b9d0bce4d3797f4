/**
 * Language detection in two stages. The writing system settles most messages at once (Hangul is
 * Korean, kana Japanese, Han characters without kana Chinese, Thai script Thai). Where one script
 * serves several languages, a small character n-gram naive Bayes model decides: Latin script
 * (English, Vietnamese typed with or without tone marks, Indonesian, Tagalog). The model learns
 * from seed sentences plus the intent examples.
 *
 * Han characters without any kana are Chinese: a Japanese sentence almost always has kana (its
 * particles and endings), while the model, trained on far fewer Chinese than Japanese-with-kanji
 * n-grams, took plain Chinese questions ("你喜欢吃火锅吗") for Japanese. The rare kanji-only
 * Japanese message (a place name) keeps a Japanese conversation Japanese: see switchesLanguage.
 */
import type { LanguageDetector } from '../core/nlu-port';
import { LANGUAGE_SAMPLES } from './language-samples';

const HANGUL = /[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]/gu;
const KANA = /[\u3040-\u30ff]/gu;
const HAN = /[\u4e00-\u9fff\u3400-\u4dbf]/gu;
const LATIN = /[a-zA-Z\u00c0-\u024f\u1e00-\u1eff]/gu;
const CYRILLIC = /[\u0400-\u04ff]/gu;
const MONGOLIAN_CYRILLIC = /[өүӨҮ]/u;
const THAI = /[\u0e00-\u0e7f]/gu;
const KHMER = /[\u1780-\u17ff]/gu;
const DEVANAGARI = /[\u0900-\u097f]/gu;
// Letters that occur in Vietnamese and (almost) nowhere else.
const VIETNAMESE_LETTERS = /[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]/u;

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

/** Which languages the model decides between (Latin script). */
const LATIN_LANGUAGES = ['en', 'vi', 'id', 'tl'] as const;

/** A trained detector's model, plain data: built in the training thread, installed on the main one. */
export interface LanguageDetectorState {
  /** Distinct n-grams over every language (the smoothing denominator). */
  vocabularySize: number;
  /** Only the languages the model decides between (LATIN_LANGUAGES); the others are never scored. */
  languages: { language: string; total: number; grams: string[]; counts: Float64Array }[];
}

class NgramNaiveBayes {
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly totals = new Map<string, number>();
  private readonly vocabulary = new Set<string>();
  /** Set by fromState, which keeps the size but not the n-grams themselves. */
  private restoredVocabularySize?: number;

  static fromState(state: LanguageDetectorState): NgramNaiveBayes {
    const model = new NgramNaiveBayes();
    model.restoredVocabularySize = state.vocabularySize;
    for (const { language, total, grams, counts } of state.languages) {
      const table = new Map<string, number>();
      grams.forEach((g, i) => table.set(g, counts[i]!));
      model.counts.set(language, table);
      model.totals.set(language, total);
    }
    return model;
  }

  toState(): LanguageDetectorState {
    const scored = new Set<string>(LATIN_LANGUAGES);
    return {
      vocabularySize: this.vocabularySize,
      languages: [...this.counts]
        .filter(([language]) => scored.has(language))
        .map(([language, table]) => ({
          language,
          total: this.totals.get(language) ?? 0,
          grams: [...table.keys()],
          counts: Float64Array.from(table.values()),
        })),
    };
  }

  private get vocabularySize(): number {
    return this.restoredVocabularySize ?? this.vocabulary.size;
  }

  static grams(text: string): string[] {
    // Without diacritics: residents often type Vietnamese without tone marks, and the model should
    // learn that form from the accented examples too.
    const plain = text
      .toLowerCase()
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .replace(/đ/g, 'd')
      .replace(/[^\p{L}\s]/gu, '')
      .replace(/\s+/g, ' ')
      .trim();
    const chars = [...` ${plain} `];
    const out: string[] = [];
    for (let n = 1; n <= 3; n++)
      for (let i = 0; i + n <= chars.length; i++) out.push(chars.slice(i, i + n).join(''));
    return out;
  }

  add(language: string, text: string): void {
    const table = this.counts.get(language) ?? new Map<string, number>();
    this.counts.set(language, table);
    for (const g of NgramNaiveBayes.grams(text)) {
      table.set(g, (table.get(g) ?? 0) + 1);
      this.totals.set(language, (this.totals.get(language) ?? 0) + 1);
      this.vocabulary.add(g);
    }
  }

  /** Most likely language among `candidates` (uniform prior, additive smoothing). */
  best(text: string, candidates: readonly string[]): string | undefined {
    const grams = NgramNaiveBayes.grams(text);
    let best: string | undefined;
    let bestScore = -Infinity;
    const v = this.vocabularySize + 1;
    for (const language of candidates) {
      const table = this.counts.get(language);
      if (!table) continue;
      const total = this.totals.get(language) ?? 0;
      let score = 0;
      // Light smoothing: languages with few seed sentences should not lose on grams they never saw.
      for (const g of grams) score += Math.log(((table.get(g) ?? 0) + 0.1) / (total + 0.1 * v));
      if (score > bestScore) {
        bestScore = score;
        best = language;
      }
    }
    return best;
  }
}

export class HybridLanguageDetector implements LanguageDetector {
  private readonly model: NgramNaiveBayes;

  /**
   * Trains on the seed sentences plus `examples` (e.g. the intent examples with their language
   * keys), or installs a model trained elsewhere (a state from toState()).
   */
  constructor(examples: { text: string; language: string }[] | LanguageDetectorState = []) {
    if (!Array.isArray(examples)) {
      this.model = NgramNaiveBayes.fromState(examples);
      return;
    }
    this.model = new NgramNaiveBayes();
    for (const [language, texts] of Object.entries(LANGUAGE_SAMPLES))
      for (const text of texts) this.model.add(language, text);
    for (const { text, language } of examples) this.model.add(language, text);
  }

  /** The trained model as plain data (typed arrays), to move between threads. */
  toState(): LanguageDetectorState {
    return this.model.toState();
  }

  detect(text: string): string | undefined {
    const hangul = count(text, HANGUL);
    const kana = count(text, KANA);
    const han = count(text, HAN);
    const latin = count(text, LATIN);
    const cyrillic = count(text, CYRILLIC);
    const thai = count(text, THAI);
    const khmer = count(text, KHMER);
    const devanagari = count(text, DEVANAGARI);
    const total = hangul + kana + han + latin + cyrillic + thai + khmer + devanagari;
    if (total === 0) return undefined;
    // Korean often mixes in Latin (bus numbers, app names): a modest share of Hangul decides.
    if (hangul / total >= 0.2) return 'ko';
    if (kana > 0) return 'ja';
    if (han / total >= 0.3) return 'zh';
    if (thai / total >= 0.3) return 'th';
    if (khmer / total >= 0.3) return 'km';
    if (devanagari / total >= 0.3) return 'ne';
    if (cyrillic / total >= 0.3) return MONGOLIAN_CYRILLIC.test(text) ? 'mn' : 'ru';
    if (latin > 0) {
      if (VIETNAMESE_LETTERS.test(text)) return 'vi';
      // Two or three letters say too little for the model; English is the safe default there.
      if (latin < 4) return 'en';
      return this.model.best(text, LATIN_LANGUAGES) ?? 'en';
    }
    return undefined;
  }
}
