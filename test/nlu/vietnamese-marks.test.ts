/**
 * Vietnamese typed without marks is restored before the crisis head reads it (vietnamese-marks.ts):
 * the syllable bigram model, its language gate, and the crisis judge handing the restored text to
 * the classifier.
 */
import type { CrisisContext } from '../../src/core/crisis-port';
import type { Classification, IntentClassifier } from '../../src/core/nlu-port';
import { ContextualCrisisJudge } from '../../src/nlu/contextual-crisis-judge';
import { CrisisHead } from '../../src/nlu/crisis-head';
import { EverydayPhrases } from '../../src/nlu/everyday-phrases';
import { LexiconCrisisDetector } from '../../src/nlu/lexicon-crisis-detector';
import { VietnameseMarkRestorer } from '../../src/nlu/vietnamese-marks';

const CORPUS = [
  'Tôi muốn hỏi lịch thu gom rác',
  'Em không muốn sống nữa',
  'Cảm ơn anh đã trả lời nhanh',
  'Đường trước nhà tôi có ổ gà',
  'Xe buýt số 5 mấy giờ chạy',
  'Tôi muốn đổi thẻ cư trú',
  'em cảm ơn nhiều lắm',
  'ma là ma, mà không phải má', // "ma" (ghost), "mà" (but), "má" (mum): one bare syllable, three forms
  'Korean only text 한국어', // no marks: teaches nothing
];

describe('VietnameseMarkRestorer', () => {
  const restorer = new VietnameseMarkRestorer(CORPUS);

  it('puts the marks back with the syllable before as context', () => {
    expect(restorer.restore('em khong muon song nua')).toBe('em không muốn sống nữa');
    expect(restorer.restore('duong truoc nha toi co o ga')).toBe('đường trước nhà tôi có ổ gà');
    expect(restorer.restore('cam on anh nhieu lam')).toBe('cảm ơn anh nhiều lắm');
  });

  it('keeps what it does not know, the capitals and the punctuation', () => {
    expect(restorer.restore('Toi muon hoi, xe buyt 5 may gio chay?')).toBe('Tôi muốn hỏi, xe buýt 5 mấy giờ chạy?');
    expect(restorer.restore('TOI MUON doi the cu tru Suwon')).toBe('TÔI MUỐN đổi thẻ cư trú Suwon');
  });

  it('leaves marked text, short text and other languages alone', () => {
    expect(restorer.restore('em không muốn sống nữa')).toBeUndefined();
    expect(restorer.restore('em muon')).toBeUndefined();
    expect(restorer.restore('I am so tired of waiting for the bus')).toBeUndefined();
    expect(restorer.restore('버스 언제 와요 정말')).toBeUndefined();
  });

  it('builds the same model in slices as at once', async () => {
    const sliced = await VietnameseMarkRestorer.build(CORPUS, 2);
    expect(sliced.size).toBe(restorer.size);
    expect(sliced.restore('em khong muon song nua')).toBe(restorer.restore('em khong muon song nua'));
  });
});

describe('the crisis judge reads unmarked Vietnamese restored', () => {
  // A one-dimensional "encoder": 1 for the restored crisis sentence, 0 for anything else. The head
  // says crisis for 1 only, so the verdict shows which text was encoded.
  const restoredCrisis = 'em không muốn sống nữa';
  const classifier: IntentClassifier = {
    name: 'test',
    classify: jest.fn(async (text: string) => ({
      intent: 'other',
      confidence: 0.9,
      top: [{ intent: 'other', confidence: 0.9 }],
      vector: { encoder: 'test', values: Float32Array.of(text === restoredCrisis ? 1 : 0, 1) },
      model: 'test',
    })) as unknown as IntentClassifier['classify'],
  };
  const head = CrisisHead.fit(
    // Rows: the 2-d embedding, then the neighbour features (best crisis cosine, best other, difference).
    { dimension: 5, vectors: Float32Array.of(1, 1, 1, 1, 0, 0, 1, 0, 1, -1, 1, 1, 0.9, 1, -0.1, 0, 1, 0.1, 1, -0.9), labels: Uint8Array.of(1, 0, 1, 0) },
    0.5,
  ).with(0.5, { dimension: 2, vectors: Float32Array.of(1, 0, 0, 1), crisis: Uint8Array.of(1, 0) });
  const lexicon = new LexiconCrisisDetector([]);
  const everyday = new EverydayPhrases({});
  const context = async (): Promise<CrisisContext> => ({ state: 'bot', priority: 'normal' });
  const bare = 'em khong muon song nua';
  const input = (vector: Float32Array): { text: string; classification: Classification; context: () => Promise<CrisisContext> } => ({
    text: bare,
    classification: { intent: 'other', confidence: 0.9, top: [{ intent: 'other', confidence: 0.9 }], model: 'test', vector: { encoder: 'test', values: vector } },
    context,
  });

  it('encodes the restored text for the head', async () => {
    const judge = new ContextualCrisisJudge(lexicon, everyday, () => classifier, () => head, () => new VietnameseMarkRestorer(CORPUS));
    expect(await judge.judge(input(Float32Array.of(0, 1)))).toEqual({ crisis: true, reason: 'crisis-head' });
    expect(classifier.classify).toHaveBeenCalledWith(restoredCrisis, undefined);
  });

  it('reads the text as typed without a restorer', async () => {
    const judge = new ContextualCrisisJudge(lexicon, everyday, () => classifier, () => head);
    expect((await judge.judge(input(Float32Array.of(0, 1)))).crisis).toBe(false);
  });
});
