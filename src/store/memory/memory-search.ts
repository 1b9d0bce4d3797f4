/** MessageSearchStore over the embedded store's messages: a scan, fine for development sizes. */
import type { Message } from '../../core/message';
import type { MessageSearchQuery, MessageSearchStore } from '../../core/search-port';
import { clone } from './clone';

export class MemoryMessageSearch implements MessageSearchStore {
  constructor(private readonly all: () => Iterable<Message>) {}

  async find(q: MessageSearchQuery): Promise<Message[]> {
    const words = (q.words ?? []).map((w) => w.toLowerCase());
    const out: Message[] = [];
    for (const m of this.all()) {
      if (q.residentId && m.residentId !== q.residentId) continue;
      if (q.conversationId && m.conversationId !== q.conversationId) continue;
      if (q.from && m.createdAt < q.from) continue;
      if (q.to && m.createdAt >= q.to) continue;
      const text = (m.content.text ?? '').toLowerCase();
      if (words.some((w) => !text.includes(w))) continue;
      out.push(m);
    }
    out.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.seq - a.seq);
    return clone(out.slice(0, q.limit));
  }
}
