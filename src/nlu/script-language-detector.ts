/** Language detection from writing system, with Vietnamese told apart from English by its letters. */
import type { LanguageDetector } from '../core/nlu-port';

const HANGUL = /[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]/gu;
const KANA = /[\u3040-\u30ff]/gu;
const HAN = /[\u4e00-\u9fff\u3400-\u4dbf]/gu;
const LATIN = /[a-zA-Z\u00c0-\u024f\u1e00-\u1eff]/gu;
const CYRILLIC = /[\u0400-\u04ff]/gu;
const THAI = /[\u0e00-\u0e7f]/gu;
// Letters that occur in Vietnamese and (almost) nowhere else.
const VIETNAMESE = /[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]/gu;
const VIETNAMESE_WORDS = /\b(không|tôi|của|được|người|xin|chào|cảm ơn|bao nhiêu|ở đâu|làm sao|giúp)\b/iu;

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

export class ScriptLanguageDetector implements LanguageDetector {
  detect(text: string): string | undefined {
    const hangul = count(text, HANGUL);
    const kana = count(text, KANA);
    const han = count(text, HAN);
    const latin = count(text, LATIN);
    const cyrillic = count(text, CYRILLIC);
    const thai = count(text, THAI);
    const total = hangul + kana + han + latin + cyrillic + thai;
    if (total === 0) return undefined;
    // Korean often mixes in Latin (bus numbers, app names): a modest share of Hangul decides.
    if (hangul / total >= 0.2) return 'ko';
    if (kana > 0) return 'ja';
    if (han / total >= 0.3) return 'zh';
    if (thai / total >= 0.3) return 'th';
    if (cyrillic / total >= 0.3) return 'ru';
    if (latin > 0) {
      if (count(text, VIETNAMESE) >= 1 || VIETNAMESE_WORDS.test(text)) return 'vi';
      return 'en';
    }
    return undefined;
  }
}
