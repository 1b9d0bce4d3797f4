/** Typed text equal to an offered button's label is that button's press. */
import { encodeButton } from '../../src/core/button-payload';
import { asOfferedPress, normalizeLabel } from '../../src/turn/offered-press';
import { MemoryStore } from '../../src/store/memory-store';

describe('asOfferedPress', () => {
  async function conversationWithButtons() {
    const store = new MemoryStore();
    const base = { conversationId: 'c1', residentId: 'r1', channel: 'app' };
    await store.messages.append({ ...base, direction: 'inbound', author: 'resident', content: { kind: 'text', text: '도로가 파였어요' } });
    await store.messages.append({
      ...base,
      direction: 'outbound',
      author: 'bot',
      content: { kind: 'text', text: '사진이 있으면 보내 주세요.', quickReplies: [{ label: '사진 없음', payload: encodeButton({ kind: 'flow', action: 'skip' }) }] },
    });
    return { store, base };
  }

  it('reads typed text equal to an offered label (case, spaces and punctuation aside) as the press', async () => {
    const { store, base } = await conversationWithButtons();
    const { message } = await store.messages.append({ ...base, direction: 'inbound', author: 'resident', content: { kind: 'text', text: ' 사진없음! ' } });
    const seen = await asOfferedPress(store.messages, message);
    expect(seen.content).toEqual({ kind: 'button', payload: encodeButton({ kind: 'flow', action: 'skip' }), text: ' 사진없음! ' });
    expect((await store.messages.get(message.id))?.content.kind).toBe('text');
  });

  it('leaves other text, and labels of buttons no longer offered, as text', async () => {
    const { store, base } = await conversationWithButtons();
    await store.messages.append({ ...base, direction: 'outbound', author: 'bot', content: { kind: 'text', text: '접수할까요?' } });
    const { message } = await store.messages.append({ ...base, direction: 'inbound', author: 'resident', content: { kind: 'text', text: '사진 없음' } });
    expect((await asOfferedPress(store.messages, message)).content.kind).toBe('text');
  });

  it('normalises labels', () => {
    expect(normalizeLabel('No photo!')).toBe(normalizeLabel('no  PHOTO'));
  });
});
