/** Reading messages as answers to flow steps, and the Korean particle choice in shared texts. */
import type { FlowStep } from '../../src/flows/flow-schema';
import { controlIntent, readStepInput } from '../../src/flows/flow-inputs';
import { resolveParticles } from '../../src/i18n/korean-particles';

const step = (s: Record<string, unknown>) =>
  ({ id: 'x', prompt: { ko: '?', en: '?' }, ...s }) as unknown as FlowStep;

describe('flow inputs', () => {
  it('takes a shared location or a typed address, but not any sentence', () => {
    const location = step({ type: 'location' });
    expect(readStepInput(location, { location: { latitude: 37.1, longitude: 127.1 } })).toEqual({
      kind: 'location',
      value: { latitude: 37.1, longitude: 127.1 },
    });
    for (const t of ['수원시 팔달구 효원로 1', '영통역 3번 출구 앞', '시청 근처', 'near Suwon station']) {
      expect(readStepInput(location, { text: t })).toEqual({ kind: 'location', value: { address: t } });
    }
    for (const t of ['도로에 구멍이 났어요', '네', 'hello there'])
      expect(readStepInput(location, { text: t })).toBeUndefined();
  });

  it('checks description length, photos and the skip button, yes/no, and references', () => {
    expect(
      readStepInput(step({ type: 'text', minLength: 5, maxLength: 20 }), { text: '짧음' }),
    ).toBeUndefined();
    expect(
      readStepInput(step({ type: 'text', minLength: 5, maxLength: 20 }), { text: '가로등이 꺼졌어요' }),
    ).toEqual({ kind: 'text', value: '가로등이 꺼졌어요' });
    const photo = step({ type: 'photo', optional: true });
    expect(readStepInput(photo, { images: [{ url: 'https://example.org/a.jpg' }] })).toEqual({
      kind: 'photo',
      value: [{ url: 'https://example.org/a.jpg' }],
    });
    expect(readStepInput(photo, { payload: 'flow:skip' })).toEqual({ kind: 'photo', value: [] });
    expect(readStepInput(photo, { text: '사진 없음' })).toEqual({ kind: 'photo', value: [] });
    expect(readStepInput(step({ type: 'photo', optional: false }), { text: '사진 없음' })).toBeUndefined();
    const confirm = step({ type: 'confirm' });
    expect(readStepInput(confirm, { text: '네' })).toEqual({ kind: 'confirm', value: true });
    expect(readStepInput(confirm, { payload: 'flow:no' })).toEqual({ kind: 'confirm', value: false });
    expect(readStepInput(confirm, { text: '글쎄요' })).toBeUndefined();
    const ref = step({ type: 'ticket_reference' });
    expect(readStepInput(ref, { text: 'gg-20261127-0042요' })).toEqual({
      kind: 'reference',
      value: 'GG-20261127-0042',
    });
    expect(readStepInput(ref, { text: '내 민원 보여줘' })).toEqual({ kind: 'mine' });
  });

  it('recognises cancel and continue in several languages', () => {
    expect(controlIntent({ text: '취소' })).toBe('cancel');
    expect(controlIntent({ text: 'Cancel' })).toBe('cancel');
    expect(controlIntent({ text: 'hủy' })).toBe('cancel');
    expect(controlIntent({ payload: 'flow:resume' })).toBe('resume');
    expect(controlIntent({ text: '계속' })).toBe('resume');
    expect(controlIntent({ text: '취소 수수료가 있나요?' })).toBeUndefined();
  });

  it('picks Korean particles by the final consonant', () => {
    expect(resolveParticles('도로 파손 신고은(는)')).toBe('도로 파손 신고는');
    expect(resolveParticles('민원 신청을(를) 취소')).toBe('민원 신청을 취소');
    expect(resolveParticles('Report을(를)')).toBe('Report을(를)');
  });
});
