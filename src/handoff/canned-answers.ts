/**
 * Canned answers for counselors, pulled from the knowledge base (the same FAQ entries the bot
 * answers from): BM25 over each entry's questions and answer, answer text in the requested
 * language with the usual fallback (English for other languages, then Korean).
 */
import type { FaqEntry } from '../core/knowledge-port';
import { localizedKey } from '../core/localized';
import { Bm25Index } from '../knowledge/bm25-index';
import { loadFaqFiles } from '../knowledge/faq-loader';
import { tokenize } from '../knowledge/text-tokenizer';
import { matchesEveryWord, queryWords } from './word-match';

export interface CannedAnswer {
  id: string;
  topic: string;
  intent: string;
  title: string;
  text: string;
  language: string;
  links: { title: string; url: string }[];
}

/** The text for `lang` by the shared fallback rule (core/localized), with the language it is in. */
const pick = (map: Record<string, string> | undefined, lang: string) => {
  const language = localizedKey(map, lang);
  return language === undefined ? undefined : { text: map![language]!, language };
};

export class CannedAnswers {
  private readonly index = new Bm25Index();

  constructor(private readonly entries: FaqEntry[]) {
    for (const e of entries) {
      const text = [...Object.values(e.questions).flat(), ...Object.values(e.answer), e.topic, e.intent].join(' ');
      this.index.add(tokenize(text));
    }
  }

  private haystack(e: FaqEntry): string {
    return [...Object.values(e.questions).flat(), ...Object.values(e.answer), e.topic].join('\n');
  }

  /** Loads the FAQ data files; a missing folder gives an empty list. */
  static fromDir(dir: string): CannedAnswers {
    return new CannedAnswers(loadFaqFiles(dir));
  }

  /**
   * Best matches for a query (or the first entries when the query is empty). BM25 ranks, but only
   * entries containing every query word are kept: character bigrams alone matched 예방접종 for 자살 예방.
   */
  search(query: string, language: string, limit = 8): CannedAnswer[] {
    const tokens = tokenize(query);
    const words = queryWords(query);
    const ranked = tokens.length
      ? [...this.index.score(tokens)]
          .sort((a, b) => b[1] - a[1])
          .map(([doc]) => this.entries[doc]!)
          .filter((e) => matchesEveryWord(this.haystack(e), words))
      : this.entries;
    const out: CannedAnswer[] = [];
    for (const e of ranked) {
      const answer = pick(e.answer, language);
      if (!answer) continue;
      const questions = e.questions[answer.language] ?? e.questions.ko ?? [];
      out.push({ id: e.id, topic: e.topic, intent: e.intent, title: questions[0] ?? e.id, text: answer.text, language: answer.language, links: e.links });
      if (out.length >= limit) break;
    }
    return out;
  }
}
