/** Canned-answer search for counselors matches words, not shared characters. */
import path from 'node:path';
import { CannedAnswers } from '../../src/handoff/canned-answers';
import { matchesEveryWord, queryWords, wordScore } from '../../src/handoff/word-match';

describe('canned answer word search', () => {
  const canned = CannedAnswers.fromDir(path.join(__dirname, '..', '..', 'knowledge', 'faq'));

  it('finds the suicide-prevention answer for 자살 예방 and never vaccination', () => {
    const found = canned.search('자살 예방', 'ko');
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.text).toContain('109');
    expect(found.map((f) => f.text).join('\n')).not.toContain('예방접종');
  });

  it('still finds vaccination when asked for it, and ignores a particle on a query word', () => {
    expect(canned.search('예방접종', 'ko')[0]?.text).toContain('예방접종');
    expect(canned.search('자살을 예방', 'ko')[0]?.text).toContain('109');
  });

  it('needs every word, inside compounds too, case-insensitively', () => {
    expect(matchesEveryWord('자살예방상담전화 109', queryWords('자살 예방'))).toBe(true);
    expect(matchesEveryWord('국가예방접종 대상', queryWords('자살 예방'))).toBe(false);
    expect(matchesEveryWord('Call 120 for Help', queryWords('help 120'))).toBe(true);
    expect(wordScore('인사말', '안녕하세요', queryWords('인사'))).toBeGreaterThan(wordScore('다른 것', '인사드립니다', queryWords('인사')));
    expect(wordScore('a', 'b', queryWords('zzz'))).toBe(0);
  });
});
