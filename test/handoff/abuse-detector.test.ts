/** The lexicon abuse detector: insults in the center's languages, but not frustration. */
import path from 'node:path';
import { LexiconAbuseDetector } from '../../src/nlu/lexicon-abuse-detector';

const detector = LexiconAbuseDetector.fromFile(path.join(__dirname, '..', '..', 'intents', 'lexicons', 'abuse.json'));

describe('lexicon abuse detector', () => {
  it.each([
    '씨발 왜 이렇게 느려',
    '이 개새끼야 빨리 해',
    '병신같은 상담',
    'ㅅㅂ 진짜',
    '닥쳐',
    'you fucking idiot',
    'shut up and do your job',
    '傻逼',
    'đồ ngu',
    '死ね',
  ])('flags %s', (text) => {
    expect(detector.isAbusive(text)).toBe(true);
  });

  it.each([
    '답답해요 왜 안 돼요',
    '이거 너무 불편하네요',
    'this is useless',
    'what the hell is going on with the bus',
    '시발역 가는 버스 몇 번이에요?',
    '상담사 연결해 주세요',
    'shuttle bus schedule',
    'Tôi cần giúp đỡ',
    '죽고 싶어요',
  ])('does not flag %s', (text) => {
    expect(detector.isAbusive(text)).toBe(false);
  });
});
