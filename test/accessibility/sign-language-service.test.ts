/**
 * The sign-language service settings (SIGN_LANGUAGE_SERVICE_*): the default is Korea's relay
 * service for the deaf, each setting replaces its part, '' removes it, bad values stop the start
 * naming the variable; and what a resident reads of it in their language.
 */
import { serviceLines } from '../../src/accessibility/sign-language-step';
import { loadConfig } from '../../src/config';

const problem = (env: NodeJS.ProcessEnv) => {
  try {
    loadConfig(env);
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
};

describe('SIGN_LANGUAGE_SERVICE_* settings', () => {
  it('defaults to 손말이음센터: 107, https://107.kr, 24 hours every day', () => {
    const service = loadConfig({}).signLanguageService!;
    expect(service).toMatchObject({ phone: '107', url: 'https://107.kr', hours: 'always' });
    expect(service.name.ko).toBe('손말이음센터');
    const ko = serviceLines(service, 'ko');
    expect(ko.lines.join('\n')).toMatch(/손말이음센터를 이용하세요\. 운영 시간: 24시간 연중무휴\. 스마트폰에서 107번으로 영상통화/);
    expect(ko.links).toEqual([{ title: '손말이음센터', url: 'https://107.kr' }]);
    expect(serviceLines(service, 'en').lines.join('\n')).toMatch(/video relay service for the deaf, Korea Relay Service \(손말이음센터\)\. Hours: 24 hours a day, every day\. .*to 107\./);
  });

  it('takes a name and hours as text or by language, and leaves out what is set empty', () => {
    const service = loadConfig({
      SIGN_LANGUAGE_SERVICE_NAME: '{"ko":"경기도수어통역센터","en":"Gyeonggi Sign Language Center"}',
      SIGN_LANGUAGE_SERVICE_HOURS: '평일 09:00-18:00',
      SIGN_LANGUAGE_SERVICE_PHONE: '',
      SIGN_LANGUAGE_SERVICE_URL: 'https://sign.example.kr/video',
    }).signLanguageService!;
    expect(service).toEqual({
      name: { ko: '경기도수어통역센터', en: 'Gyeonggi Sign Language Center' },
      hours: { ko: '평일 09:00-18:00' },
      url: 'https://sign.example.kr/video',
    });
    const en = serviceLines(service, 'en').lines.join('\n');
    expect(en).toMatch(/Gyeonggi Sign Language Center\. Hours: 평일 09:00-18:00\.$/);
    expect(en).not.toMatch(/smartphone/);
    // Korean particles follow the configured name (센터 + 를).
    expect(serviceLines(service, 'ko').lines.join('\n')).toMatch(/경기도수어통역센터를 이용하세요/);
  });

  it('offers no sign-language service when the name is empty', () => {
    expect(loadConfig({ SIGN_LANGUAGE_SERVICE_NAME: '' }).signLanguageService).toBeUndefined();
  });

  it('refuses bad values, naming the variable', () => {
    expect(problem({ SIGN_LANGUAGE_SERVICE_NAME: '{"en":"Relay"}' })).toMatch(/SIGN_LANGUAGE_SERVICE_NAME: needs a "ko" text/);
    expect(problem({ SIGN_LANGUAGE_SERVICE_HOURS: '{"ko": 24}' })).toMatch(/SIGN_LANGUAGE_SERVICE_HOURS: the ko text must be a non-empty string/);
    expect(problem({ SIGN_LANGUAGE_SERVICE_NAME: '{not json' })).toMatch(/SIGN_LANGUAGE_SERVICE_NAME: not valid JSON/);
    expect(problem({ SIGN_LANGUAGE_SERVICE_URL: 'javascript:alert(1)' })).toMatch(/SIGN_LANGUAGE_SERVICE_URL/);
    expect(problem({ SIGN_LANGUAGE_SERVICE_PHONE: 'call me' })).toMatch(/SIGN_LANGUAGE_SERVICE_PHONE: digits/);
  });
});
