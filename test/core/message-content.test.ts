import { contentOf, normalizeContent, partsOf, textOf, type MessageContent } from '../../src/core/message';

describe('message content', () => {
  it('makes one kind from loose parts: button, then location, then images, then text', () => {
    expect(contentOf({ text: '상담사 연결', payload: 'intent:counselor_request' })).toEqual({
      kind: 'button',
      text: '상담사 연결',
      payload: 'intent:counselor_request',
    });
    // A client that sends only the payload gives no words to read (language detection keeps the conversation's).
    expect(contentOf({ payload: 'retry' })).toEqual({ kind: 'button', text: '', payload: 'retry' });
    expect(contentOf({ location: { latitude: 37.26, longitude: 127.03 }, text: '수원역 앞' })).toEqual({
      kind: 'location',
      location: { latitude: 37.26, longitude: 127.03 },
      text: '수원역 앞',
    });
    expect(contentOf({ images: [{ url: 'https://x/a.jpg' }], text: '구멍' })).toEqual({
      kind: 'image',
      images: [{ url: 'https://x/a.jpg' }],
      caption: '구멍',
    });
    expect(contentOf({ text: '안내', links: [{ title: 'a', url: 'https://a' }], quickReplies: [] })).toEqual({
      kind: 'text',
      text: '안내',
      links: [{ title: 'a', url: 'https://a' }],
    });
    expect(contentOf({})).toEqual({ kind: 'text', text: '' });
  });

  it('reads contents stored before they had a kind, and leaves current ones alone', () => {
    expect(normalizeContent({ text: '예전 메시지' })).toEqual({ kind: 'text', text: '예전 메시지' });
    expect(normalizeContent({ text: '네', payload: 'flow:yes' })).toEqual({ kind: 'button', text: '네', payload: 'flow:yes' });
    const current: MessageContent = { kind: 'location', location: { latitude: 1, longitude: 2 } };
    expect(normalizeContent(current)).toBe(current);
  });

  it('gives the words of every kind and flattens back to parts', () => {
    const contents: MessageContent[] = [
      { kind: 'text', text: 'a', quickReplies: [{ label: 'l', payload: 'p' }] },
      { kind: 'image', images: [{ url: 'u' }], caption: 'b' },
      { kind: 'location', location: { latitude: 1, longitude: 2 }, text: 'c' },
      { kind: 'button', payload: 'retry', text: 'd' },
    ];
    expect(contents.map(textOf)).toEqual(['a', 'b', 'c', 'd']);
    for (const content of contents) expect(contentOf(partsOf(content))).toEqual(content);
  });
});
