/**
 * The one missing-key rule: the requested language, then English for other non-Korean languages,
 * then Korean; a key no language has is an error, never `{key}` or '' shown to someone.
 */
import { MessageCatalog, MissingTextError } from '../../src/i18n/message-catalog';
import { tr } from '../../src/i18n/translate';

const catalog = new MessageCatalog({
  resident: {
    ko: { 'hello': '안녕하세요 {name}님', 'onlyKo': '한국어만', 'title': '{what}을(를) 취소했어요' },
    en: { 'hello': 'Hello {name}', 'title': '{what} cancelled' },
    vi: { 'hello': 'Xin chào {name}' },
  },
});

describe('the missing-key rule', () => {
  it("gives the resident's language when the key has it", () => {
    expect(catalog.format('resident.hello', 'vi', { name: 'Lan' })).toBe('Xin chào Lan');
  });

  it('gives English to other non-Korean languages, Korean to Korean and to no language', () => {
    expect(catalog.format('resident.hello', 'zh', { name: 'Li' })).toBe('Hello Li');
    expect(catalog.format('resident.hello', 'ko', { name: '민수' })).toBe('안녕하세요 민수님');
    expect(catalog.format('resident.hello', undefined, { name: '민수' })).toBe('안녕하세요 민수님');
  });

  it('gives Korean when neither the language nor English has the key', () => {
    expect(catalog.format('resident.onlyKo', 'vi')).toBe('한국어만');
  });

  it('throws for a key no language has, and for a placeholder without a value', () => {
    expect(() => catalog.format('resident.nowhere', 'ko')).toThrow(MissingTextError);
    expect(() => catalog.format('staff.hello', 'ko')).toThrow(MissingTextError);
    expect(() => catalog.format('resident.hello', 'en')).toThrow(/name/);
  });

  it('resolves Korean particles after the placeholder is filled', () => {
    expect(catalog.format('resident.title', 'ko', { what: '도로 파손 신고' })).toBe('도로 파손 신고를 취소했어요');
    expect(catalog.format('resident.title', 'ko', { what: '민원 조회' })).toBe('민원 조회를 취소했어요');
    expect(catalog.format('resident.title', 'ko', { what: '불법 주정차 신고접수' })).toBe('불법 주정차 신고접수를 취소했어요');
    expect(catalog.format('resident.title', 'ko', { what: '신청' })).toBe('신청을 취소했어요');
  });

  it('serves a whole table for a language, falling back per key', () => {
    expect(catalog.table('resident', 'vi')).toEqual({
      hello: 'Xin chào {name}',
      onlyKo: '한국어만',
      title: '{what} cancelled',
    });
    expect(catalog.table('nowhere', 'vi')).toBeUndefined();
  });
});

describe('the real catalogue', () => {
  it('answers a language it has no file for in English, and a Japanese resident in Japanese where it can', () => {
    expect(tr('resident.button.cancel', 'fr')).toBe('Cancel');
    expect(tr('resident.faq.languageFallback', 'ja')).toBe('（この回答は現在韓国語のみです。）');
    expect(tr('resident.fallback.englishNotice', 'ru')).toMatch(/английском/);
  });

  it('keeps quotes around a placeholder (ICU apostrophes are escaped in the files)', () => {
    expect(tr('resident.ticket.statusChanged', 'en', { reference: 'R-1', status: 'Resolved' })).toBe(
      "[Report R-1] Status changed to 'Resolved'.",
    );
  });
});
