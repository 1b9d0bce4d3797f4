import { localizedKey, pickLocalized } from '../../src/core/localized';

describe('language fallback for resident-facing text', () => {
  const map = { ko: '안녕하세요', en: 'Hello', vi: 'Xin chào' };

  it("uses the resident's language when the text has it", () => {
    expect(pickLocalized(map, 'vi')).toBe('Xin chào');
    expect(localizedKey(map, 'ko')).toBe('ko');
  });

  it('falls back to English for other non-Korean languages, then Korean', () => {
    expect(localizedKey(map, 'zh')).toBe('en');
    expect(pickLocalized({ ko: '안녕하세요' }, 'zh')).toBe('안녕하세요');
  });

  it('reads an unknown language as Korean and says when nothing fits', () => {
    expect(pickLocalized(map, undefined)).toBe('안녕하세요');
    expect(localizedKey({ en: 'Hello' }, 'ko')).toBeUndefined();
    expect(pickLocalized(undefined, 'ko')).toBeUndefined();
  });

  it('works on maps of lists too (FAQ question variants)', () => {
    expect(pickLocalized({ ko: ['질문'], en: ['question'] }, 'ja')).toEqual(['question']);
  });
});
