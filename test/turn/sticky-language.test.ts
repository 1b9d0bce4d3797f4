/** Sticky language: what is enough evidence to switch a conversation's language. */
import { awaitsAnswer, switchesLanguage } from '../../src/turn/steps/detect-language';

describe('switchesLanguage', () => {
  it('keeps the language for short or ambiguous messages', () => {
    expect(switchesLanguage('Ask again', 'en', 'id', false)).toBe(false);
    expect(switchesLanguage('No photo', 'en', 'vi', false)).toBe(false);
    expect(switchesLanguage('ok', 'ko', 'en', false)).toBe(false);
    expect(switchesLanguage('Continue', 'en', 'it', false)).toBe(false);
    expect(switchesLanguage('네', 'en', 'ko', false)).toBe(false);
  });

  it('switches for a clear sentence in another writing system', () => {
    expect(switchesLanguage('버스 시간 알려주세요', 'en', 'ko', false)).toBe(true);
    expect(switchesLanguage('我想问公交车时间', 'ko', 'zh', false)).toBe(true);
    expect(switchesLanguage('Can I talk to a real person in English please?', 'ko', 'en', false)).toBe(true);
  });

  it('needs a whole sentence to switch between Latin-script languages', () => {
    expect(switchesLanguage('Tôi muốn hỏi giờ xe buýt số 7', 'en', 'vi', false)).toBe(true);
    expect(switchesLanguage('Cảm ơn', 'en', 'vi', false)).toBe(false);
  });

  it('moves to a Latin-script language without resident texts only on a long sentence', () => {
    expect(switchesLanguage('blorp zib zab quux', 'en', 'tl', true)).toBe(false);
    expect(switchesLanguage('Ask again', 'en', 'id', true)).toBe(false);
    expect(switchesLanguage('Saya ingin bertanya tentang jadwal bus nomor tujuh di kota Suwon', 'en', 'id', false)).toBe(true);
  });

  it('keeps a Japanese conversation Japanese for kanji written alone', () => {
    expect(switchesLanguage('東京都庁舎', 'ja', 'zh', false)).toBe(false);
    expect(switchesLanguage('东京都政府大楼在哪里', 'ko', 'zh', false)).toBe(true);
  });

  it('lets the first words of a conversation decide', () => {
    expect(switchesLanguage('Xin chào', 'ko', 'vi', true)).toBe(true);
    expect(switchesLanguage('vi', 'ko', 'vi', true)).toBe(true);
    expect(switchesLanguage('Xin chào bạn', 'en', 'vi', true)).toBe(true);
  });

  it("keeps a language the conversation carries for first words as short as 'ok' in its own script", () => {
    // A Vietnamese resident's new conversation after a survey starts in vi: "ok" is not English.
    expect(switchesLanguage('ok', 'vi', 'en', true)).toBe(false);
    expect(switchesLanguage('ok', 'ko', 'en', true)).toBe(true);
  });
});

describe('awaitsAnswer (an answer to the bot\'s question never switches the language)', () => {
  it('holds while a guided flow asks for a value, or the transit dialogue asks which stop', () => {
    const flow = { name: 'illegal_parking_report', step: 'location', retries: 0, startedAt: '2026-12-01T00:00:00Z' };
    expect(awaitsAnswer({ flow, slots: {} })).toBe(true);
    expect(awaitsAnswer({ slots: { transit: { awaiting: 'stop', at: '2026-12-01T00:00:00Z' } } })).toBe(true);
  });

  it('does not hold in free conversation, or once the transit question was answered', () => {
    expect(awaitsAnswer({ slots: {} })).toBe(false);
    expect(awaitsAnswer({ slots: { transit: { routeId: 'r1', at: '2026-12-01T00:00:00Z' } } })).toBe(false);
  });
});
