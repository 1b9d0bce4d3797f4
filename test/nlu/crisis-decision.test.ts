/**
 * The crisis decision in context (src/nlu/crisis-decision.ts) as a pure function, and the two
 * lexicons it reads: the tiered crisis lexicon and the everyday phrases it cuts out.
 */
import path from 'node:path';
import type { CrisisContext } from '../../src/core/crisis-port';
import { surveyAwaiting, withoutCrisisIntent } from '../../src/core/crisis-port';
import type { Classification, IntentClassifier } from '../../src/core/nlu-port';
import { ContextualCrisisJudge } from '../../src/nlu/contextual-crisis-judge';
import { decideCrisis, type CrisisSignals, type ModelCrisisSignal } from '../../src/nlu/crisis-decision';
import { EverydayPhrases, letterCount } from '../../src/nlu/everyday-phrases';
import { LexiconCrisisDetector } from '../../src/nlu/lexicon-crisis-detector';

const LEXICONS = path.join(__dirname, '..', '..', 'intents', 'lexicons');

const none: ModelCrisisSignal = { crisis: false, probability: 0.02, margin: -0.3 };
/** The model sure and its nearest training example a crisis one. */
const strongModel: ModelCrisisSignal = { crisis: true, probability: 0.99, margin: 0.2 };
/** Above the recall-tuned threshold only, nearest example an everyday one. */
const weakModel: ModelCrisisSignal = { crisis: true, probability: 0.3, margin: -0.15 };
/** Sure, but the nearest example is a little closer to an everyday one. */
const sureButNearEveryday: ModelCrisisSignal = { crisis: true, probability: 0.8, margin: -0.05 };

const fresh: CrisisContext = { state: 'bot', priority: 'normal' };
const queued: CrisisContext = { state: 'queued', priority: 'request' };
const surveyComment: CrisisContext = { state: 'bot', priority: 'normal', awaiting: 'survey_comment' };
const flowSlot: CrisisContext = { state: 'bot', priority: 'normal', awaiting: 'flow_slot', lastIntent: 'road_damage_report' };
const afterAnswer: CrisisContext = { state: 'bot', priority: 'normal', lastIntent: 'waste_collection' };

const decide = (signals: CrisisSignals, context: CrisisContext) => decideCrisis(signals, context).crisis;

describe('crisis decision', () => {
  it('keeps an explicit lexicon hit a crisis in every context, whatever the model says', () => {
    for (const context of [fresh, queued, surveyComment, flowSlot, afterAnswer])
      expect(decide({ lexicon: 'explicit', model: none }, context)).toBe(true);
  });

  it('calls nothing a crisis without a signal', () => {
    expect(decideCrisis({ model: none }, fresh)).toEqual({ crisis: false, reason: 'no-signal' });
  });

  it('reads any signal as a crisis in a conversation that already is one', () => {
    expect(decide({ model: weakModel }, { ...queued, priority: 'crisis' })).toBe(true);
    expect(decide({ lexicon: 'contextual', model: none }, { ...afterAnswer, lastIntent: 'crisis_support' })).toBe(true);
  });

  it('takes a farewell-like pattern for a crisis out of the blue, for thanks where the conversation explains it', () => {
    expect(decide({ lexicon: 'contextual', model: none }, fresh)).toBe(true);
    for (const context of [surveyComment, queued, afterAnswer, flowSlot])
      expect(decide({ lexicon: 'contextual', model: weakModel }, context)).toBe(false);
    // ...unless the model clearly reads a crisis too.
    expect(decide({ lexicon: 'contextual', model: strongModel }, surveyComment)).toBe(true);
  });

  it('takes an explicit hit the resident takes back (a joke, a resolved past) for a crisis only when the model reads one clearly', () => {
    for (const disclaimed of [['joke_disclaimer'], ['resolved_past']]) {
      expect(decideCrisis({ lexicon: 'explicit', model: none, disclaimed }, fresh)).toMatchObject({ crisis: false });
      expect(decide({ lexicon: 'explicit', model: sureButNearEveryday, disclaimed }, fresh)).toBe(false);
      expect(decide({ lexicon: 'explicit', model: strongModel, disclaimed }, fresh)).toBe(true);
      // A conversation that already is a crisis stays one.
      expect(decide({ lexicon: 'explicit', model: none, disclaimed }, { ...fresh, priority: 'crisis' })).toBe(true);
    }
    expect(decide({ lexicon: 'explicit', model: none, disclaimed: [] }, fresh)).toBe(true);
  });

  it('needs a strong model right after an answer: follow-up complaints are about the answer', () => {
    expect(decide({ model: sureButNearEveryday }, afterAnswer)).toBe(false);
    expect(decide({ model: { crisis: true, probability: 0.2, margin: 0.15 } }, afterAnswer)).toBe(false);
    expect(decide({ model: strongModel }, afterAnswer)).toBe(true);
    // Not after out-of-scope talk, where nothing was served.
    expect(decide({ model: sureButNearEveryday }, { ...afterAnswer, lastIntent: 'out_of_scope' })).toBe(true);
  });

  it('needs a strong model where everyday talk is expected (queue, survey, flow step)', () => {
    for (const context of [queued, surveyComment, flowSlot]) {
      expect(decide({ model: strongModel }, context)).toBe(true);
      expect(decide({ model: weakModel }, context)).toBe(false);
      expect(decide({ model: sureButNearEveryday }, context)).toBe(false);
    }
  });

  it('out of such a context, keeps a model verdict the nearest examples do not contradict', () => {
    expect(decide({ model: strongModel }, fresh)).toBe(true);
    expect(decide({ model: sureButNearEveryday }, fresh)).toBe(true);
    expect(decide({ model: weakModel }, fresh)).toBe(false);
    // Near certainty, or a message clearly closest to a crisis example, is enough on its own.
    expect(decide({ model: { crisis: true, probability: 0.98, margin: -0.2 } }, fresh)).toBe(true);
    expect(decide({ model: { crisis: true, probability: 0.2, margin: 0.15 } }, fresh)).toBe(true);
  });

  it('judges a message with everyday phrasing on what is left without it', () => {
    const waiting = (rest: ModelCrisisSignal, share = 0.7) => ({
      model: strongModel,
      everyday: { kinds: ['waiting'], share, model: rest },
    });
    // "너무 오래 기다렸어요": the wait was all there was.
    expect(decide(waiting(strongModel, 0.3), queued)).toBe(false);
    // The rest reads as everyday.
    expect(decide(waiting(none), fresh)).toBe(false);
    // The rest is a crisis: "기다리다 지쳤어요 이제 다 의미 없어요".
    expect(decide(waiting(strongModel), queued)).toBe(true);
    expect(decide(waiting(strongModel), fresh)).toBe(true);
    expect(decide({ model: strongModel, everyday: { kinds: ['waiting'], share: 0.1, lexicon: 'explicit', model: none } }, queued)).toBe(true);
  });

  it('keeps the verdict of a classifier without nearest-example margins (the lexical fallback)', () => {
    const lexical: ModelCrisisSignal = { crisis: true, probability: 0.25 };
    expect(decide({ model: lexical }, fresh)).toBe(true);
    expect(decide({ model: lexical }, queued)).toBe(true);
  });
});

describe('crisis port helpers', () => {
  it('gives a cleared crisis verdict the runner-up intent', () => {
    const c = {
      intent: 'crisis_support',
      confidence: 0.4,
      top: [
        { intent: 'crisis_support', confidence: 0.4 },
        { intent: 'counselor_request', confidence: 0.35 },
      ],
      model: 'm',
    };
    expect(withoutCrisisIntent(c)).toMatchObject({ intent: 'counselor_request', confidence: 0.35 });
    expect(withoutCrisisIntent({ ...c, top: [c.top[0]!] })).toMatchObject({ intent: 'out_of_scope', confidence: 0 });
  });

  it('reads what a pending survey waits for', () => {
    expect(surveyAwaiting({ step: 'comment' })).toBe('survey_comment');
    expect(surveyAwaiting({ step: 'kindness' })).toBe('survey_score');
    expect(surveyAwaiting({ step: 'helpful' })).toBe('survey_score');
    expect(surveyAwaiting({})).toBeUndefined();
    expect(surveyAwaiting(undefined)).toBeUndefined();
  });
});

describe('crisis lexicon tiers', () => {
  const lexicon = LexiconCrisisDetector.fromFile(path.join(LEXICONS, 'crisis.json'));

  it.each([
    ['죽고 싶어요', 'explicit'],
    ['I want to kill myself', 'explicit'],
    ['그동안 고마웠어요', 'contextual'],
    ['This is my last message', 'contextual'],
    ['버스 첫차 몇 시예요?', undefined],
  ])('%s -> %s', (text, tier) => {
    expect(lexicon.match(text)).toBe(tier);
    expect(lexicon.isCrisis(text)).toBe(tier !== undefined);
  });

  it.each([
    '이사 가면서 쓰던 책상 필요한 분께 나눠주고 싶어요',
    '시험 망해서 인생 끝났다 ㅋㅋ',
    'Nóng muốn chết luôn',
    'Mệt muốn chết, mấy giờ đóng cửa?',
  ])('does not flag the everyday wording %s', (text) => {
    expect(lexicon.match(text)).toBeUndefined();
  });

  it.each(['주고싶다 진짜', '인생 끝났다', 'Tôi muốn chết'])('still flags %s', (text) => {
    expect(lexicon.match(text)).toBe('explicit');
  });

  it.each([
    'em muon chet lam roi',
    'toi khong muon song nua',
    'e uong het thuoc ngu roi',
    'em dinh tu tu',
    'chong toi danh toi, cuu voi',
  ])('reads Vietnamese typed without diacritics: %s', (text) => {
    expect(lexicon.match(text)).toBe('explicit');
  });

  it.each(['nong muon chet luon', 'met muon chet, may gio dong cua?', 'cho em hoi lich thu gom rac'])(
    'keeps the everyday exceptions without diacritics too: %s',
    (text) => {
      expect(lexicon.match(text)).toBeUndefined();
    },
  );
});

describe('crisis lexicon, round 6 classes', () => {
  const lexicon = LexiconCrisisDetector.fromFile(path.join(LEXICONS, 'crisis.json'));

  it.each([
    // meant to die (past intent), told next to a request
    ['여권 발급 물어보려 했는데 사실 어제 죽으려고 했어요', 'explicit'],
    // gone by the time a counselor answers
    ['순서 올 때까지 저 없을 수도 있어요', 'explicit'],
    ['客服接通的时候 轮到我估计已经不在了', 'explicit'],
    ['đợi tổng đài chắc tôi chẳng còn ở đây', 'explicit'],
    ['cho tong dai chac toi khong con nua', 'explicit'],
    // at the place, or asking for an unguarded one
    ['sitting between the railway tracks right now', 'explicit'],
    ['any overpass around here without a railing?', 'explicit'],
    ['哪座桥上没有护栏', 'explicit'],
    ['펜스 낮은 옥상 어디 있나요', 'explicit'],
    // method searches, with a filler word
    ['一直在搜怎么死', 'explicit'],
    ['怎样死才不疼', 'explicit'],
  ])('flags %s', (text, tier) => {
    expect(lexicon.match(text)).toBe(tier);
  });

  it('reads "gone after this week" as farewell-like (contextual), not as explicit', () => {
    expect(lexicon.match('짐 정리하고 있어요 다음 주 지나면 저 없을 거예요')).toBe('contextual');
  });

  it.each([
    '대기하는 동안 서류 작성 끝낼 수도 있어요',
    'the bridge railing near the park is broken, who fixes it',
    '等到周一的时候窗口可能已经关门了',
    'the train tracks near my house are noisy at night',
  ])('leaves the everyday wording %s', (text) => {
    expect(lexicon.match(text)).toBeUndefined();
  });
});

describe('everyday phrases, round 6 classes', () => {
  const everyday = EverydayPhrases.fromFile(path.join(LEXICONS, 'everyday.json'));

  it('reads Vietnamese everyday phrasing typed without diacritics, as whole words only', () => {
    expect(everyday.cut('lanh muon chet, may suoi hong roi').kinds).toContain('hyperbole');
    expect(everyday.cut('lạnh muốn chết, máy sưởi hỏng rồi').kinds).toContain('hyperbole');
    // "tệ" without its marks is "te": not inside "texting"
    expect(everyday.cut('I keep texting and nothing').residual).toContain('texting');
  });

  it('cuts giving up on an unanswered line, idioms of anger and deceased relatives\' paperwork', () => {
    expect(letterCount(everyday.cut('전화 안 받네요 그냥 포기할래요').residual)).toBeLessThan(3);
    expect(everyday.cut('no one is picking up, forget it').kinds).toContain('complaint');
    expect(everyday.cut('아 미치고 팔짝 뛰겠어요').kinds).toContain('hyperbole');
    expect(everyday.cut('my brain is fried from this website').kinds).toContain('complaint');
    expect(everyday.cut('帮我注销妈妈的银行卡').kinds).toContain('death_paperwork');
    expect(everyday.cut('hủy số của mẹ em, mẹ em mất tháng trước').kinds).toContain('death_paperwork');
    expect(everyday.cut('반려견 장례 업체 추천해 주세요').kinds).toContain('death_paperwork');
    expect(everyday.cut('아 현타 오네 이거 몇 번째야').kinds).toContain('complaint');
  });

  it('finds a hard time told as past with "better now", not one that is back', () => {
    expect(everyday.cut('a few years ago I was in a bad place but I am much better now', ['resolved_past']).kinds).toEqual(['resolved_past']);
    expect(everyday.cut('years ago I was in a bad place, better now, but lately it came back', ['resolved_past']).kinds).toEqual([]);
  });
});

describe('everyday phrases', () => {
  const everyday = EverydayPhrases.fromFile(path.join(LEXICONS, 'everyday.json'));

  it('cuts hyperbole, waiting and thanks out and says which kinds it found', () => {
    const cut = everyday.cut('기다리다 지쳐 죽겠네요');
    expect(cut.kinds).toEqual(expect.arrayContaining(['hyperbole']));
    expect(letterCount(cut.residual)).toBeLessThan(3);
    expect(everyday.cut('I am so tired of waiting').kinds).toContain('waiting');
    expect(everyday.cut('热死了').kinds).toContain('hyperbole');
    expect(everyday.cut('Cảm ơn nhiều, tạm biệt').kinds).toContain('thanks_goodbye');
  });

  it('leaves the crisis part of a message in the residual', () => {
    const cut = everyday.cut('너무 오래 기다렸어요 이제 다 의미 없어요');
    expect(cut.kinds).toContain('waiting');
    expect(cut.residual).toContain('의미 없어요');
  });

  it('cuts names of prevention services only when asked for mentions', () => {
    const text = '자살예방센터 자원봉사 신청하고 싶어요';
    const mentions = everyday.cut(text, ['mention']);
    expect(mentions.kinds).toEqual(['mention']);
    expect(mentions.residual).not.toContain('자살');
    expect(everyday.cut('버스 시간 알려주세요', ['mention']).kinds).toEqual([]);
  });

  it('takes "等…就" and "đợi … rồi" for "once", not for waiting', () => {
    for (const text of ['等下周发了工资我就去办', '等孩子们都睡着以后 我一个人去江边', 'đợi con ngủ rồi em sẽ làm']) {
      expect(everyday.cut(text).kinds).not.toContain('waiting');
    }
    expect(everyday.cut('我在等客服').kinds).toContain('waiting');
    expect(everyday.cut('em chờ lâu lắm rồi').kinds).toContain('waiting');
  });

  it('cuts degree hyperbole, aching body parts and fiction scenes', () => {
    expect(everyday.cut('这个手续办得我要死了').kinds).toContain('hyperbole');
    expect(everyday.cut('my knees are killing me after the queue').kinds).toContain('hyperbole');
    expect(everyday.cut("it's so hot in this office I'm literally dying").kinds).toContain('hyperbole');
    expect(everyday.cut('드라마에서 주인공이 옥상에서 뛰어내리는 장면 나왔어요', ['mention']).kinds).toEqual(['mention']);
    expect(everyday.cut('社区想办预防自杀的宣传活动', ['mention']).residual).not.toContain('自杀');
  });

  it("does not take one's own funeral for funeral paperwork", () => {
    expect(everyday.cut('아무도 제 장례식엔 안 올 거예요').kinds).not.toContain('death_paperwork');
    expect(everyday.cut('who would even show up at my funeral').kinds).not.toContain('death_paperwork');
    expect(everyday.cut('어머니 장례식 끝나고 사망신고 하려고요').kinds).toContain('death_paperwork');
  });

  it('finds a joke owned as one, not one denied', () => {
    for (const text of ['월요일 생각하면 죽고 싶다 ㅋㅋ 농담이에요', 'this form makes me want to die lol jk', '想跳楼 开玩笑的', 'chắc em nhảy lầu mất, đùa thôi'])
      expect(everyday.cut(text, ['joke_disclaimer']).kinds).toEqual(['joke_disclaimer']);
    for (const text of ['농담 아니고 진짜 죽고 싶어요', "I want to die and I'm not kidding", '想死 不是开玩笑的', 'em muốn chết, không phải đùa thôi đâu'])
      expect(everyday.cut(text, ['joke_disclaimer']).kinds).toEqual([]);
  });

  it('finds a crisis told as past and resolved, not one that came back', () => {
    for (const text of [
      '예전에 자해한 적 있는데 지금은 괜찮아요 흉터 치료 지원 있나요',
      'my brother overdosed years ago and now he is doing fine',
      '以前想过轻生 现在早就走出来了',
      'năm ngoái em bị chồng đánh, giờ em ly hôn rồi và sống ổn',
    ])
      expect(everyday.cut(text, ['resolved_past']).kinds).toEqual(['resolved_past']);
    for (const text of [
      '예전에 시도했었고 지금은 괜찮았는데 요즘 다시 죽고 싶어요',
      'I attempted years ago, I was fine for a while but lately it is back',
      '以前想过轻生 后来好了 最近又想死',
      '예전엔 힘들었고 지금은 괜찮지 않아요',
    ])
      expect(everyday.cut(text, ['resolved_past']).kinds).toEqual([]);
  });

  it('finds nothing in a plain request', () => {
    expect(everyday.cut('주민등록등본 발급하려면 뭐가 필요해요').kinds).toEqual([]);
  });
});

describe('contextual crisis judge', () => {
  const lexicon = LexiconCrisisDetector.fromFile(path.join(LEXICONS, 'crisis.json'));
  const everyday = EverydayPhrases.fromFile(path.join(LEXICONS, 'everyday.json'));
  /** The model reading no crisis at all (nearest example an everyday one). */
  const calm = (): Classification & { crisisProbability: number; crisisMargin: number } => ({
    intent: 'out_of_scope',
    confidence: 0.6,
    top: [{ intent: 'out_of_scope', confidence: 0.6 }],
    model: 'test',
    crisisProbability: 0.05,
    crisisMargin: -0.2,
  });
  const classifier: IntentClassifier = { name: 'test', classify: () => Promise.resolve(calm()) };
  const judge = new ContextualCrisisJudge(lexicon, everyday, () => classifier);
  const verdict = (text: string) => judge.judge({ text, classification: calm(), context: () => Promise.resolve(fresh) });

  it('lets the model decide an explicit phrase the resident owns as a joke or tells as past and resolved', async () => {
    await expect(verdict('월요일 생각하면 죽고 싶다 ㅋㅋ 농담이에요 거주자 주차 신청 언제 해요')).resolves.toMatchObject({ crisis: false });
    await expect(verdict('this form makes me want to die, just kidding, where do I hand it in')).resolves.toMatchObject({ crisis: false });
    await expect(verdict('以前有过轻生的念头 现在早就走出来了 想问心理咨询中心在哪')).resolves.toMatchObject({ crisis: false });
  });

  it('keeps an explicit phrase a crisis when the joke is denied or the past came back', async () => {
    await expect(verdict('농담 아니고 진짜 죽고 싶어요')).resolves.toMatchObject({ crisis: true, reason: 'lexicon' });
    await expect(verdict("I want to kill myself and I'm not kidding")).resolves.toMatchObject({ crisis: true });
    await expect(verdict('예전에 자해했었고 지금은 괜찮았는데 요즘 다시 죽고 싶어요')).resolves.toMatchObject({ crisis: true });
  });
});
