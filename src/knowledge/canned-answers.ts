/**
 * Canned answers for counselors from the same versioned FAQ the bot answers from: BM25 over each
 * entry's questions and answer, answer text in the requested language with the usual fallback
 * (English for other languages, then Korean). The index follows the FAQ: an admin edit reaches
 * counselors as soon as the bot's index is rebuilt.
 */
import type { CannedAnswer, CannedAnswerSearch, FaqEntry } from '../core/knowledge-port';
import { localizedKey } from '../core/localized';
import { Bm25Index } from './bm25-index';
import { matchesEveryWord, queryWords } from '../core/word-match';
import { tokenize } from './text-tokenizer';

/** The text for `lang` by the shared fallback rule (core/localized), with the language it is in. */
const pick = (map: Record<string, string> | undefined, lang: string) => {
  const language = localizedKey(map, lang);
  return language === undefined ? undefined : { text: map![language]!, language };
};

/** The words a query must all find in an entry: its questions, answers and topic. */
const haystack = (e: FaqEntry) => [...Object.values(e.questions).flat(), ...Object.values(e.answer), e.topic].join('\n');

export class CannedAnswers implements CannedAnswerSearch {
  /** The index of one list of entries; rebuilt when the FAQ hands out a new list. */
  private built?: { entries: readonly FaqEntry[]; index: Bm25Index };

  /** @param faq the current FAQ entries (KnowledgeService.entries: a new list after each reload). */
  constructor(private readonly faq: { entries(): readonly FaqEntry[] }) {}

  /**
   * Best matches for a query (or the first entries when the query is empty). BM25 ranks, but only
   * entries containing every query word are kept: character bigrams alone matched 예방접종 for 자살 예방.
   */
  search(query: string, language: string, limit = 8): CannedAnswer[] {
    const { entries, index } = this.current();
    const tokens = tokenize(query);
    const words = queryWords(query);
    const ranked = tokens.length
      ? [...index.score(tokens)]
          .sort((a, b) => b[1] - a[1])
          .map(([doc]) => entries[doc]!)
          .filter((e) => matchesEveryWord(haystack(e), words))
      : entries;
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

  private current(): { entries: readonly FaqEntry[]; index: Bm25Index } {
    const entries = this.faq.entries();
    if (this.built?.entries === entries) return this.built;
    const index = new Bm25Index();
    for (const e of entries) {
      index.add(tokenize([...Object.values(e.questions).flat(), ...Object.values(e.answer), e.topic, e.intent].join(' ')));
    }
    this.built = { entries, index };
    return this.built;
  }
}
