import { textContent } from '../../src/core/message';
import type { Service } from '../../src/main';
import { MemoryStore } from '../../src/store/memory-store';
import { AppClient, startService } from '../support/service';

/**
 * GET /api/app/v1/messages?wait= reads the store, then subscribes to message events. A reply stored
 * (and its event published) between that first read and the subscription must still end the wait
 * at once: the store's first read is hooked to store a counselor reply after it has read, so the
 * handler sees nothing and subscribes only after the event went by. The wait (2 s) is shorter than
 * the long-poll's store re-read (5 s): without a read after subscribing, it answers empty.
 */
describe('long-poll: a reply stored between the first read and the subscription', () => {
  let service: Service;
  const store = new MemoryStore();
  beforeAll(async () => {
    service = await startService({}, store);
  });
  afterAll(async () => {
    await service.close();
  });

  it('is returned by the wait it would otherwise have missed', async () => {
    const app = new AppClient(service.url);
    await app.start();
    const conversation = (await store.conversations.get(app.conversationId))!;
    const read = store.messages.listByConversation.bind(store.messages);
    let hooked = false;
    store.messages.listByConversation = async (conversationId, options) => {
      const found = await read(conversationId, options);
      if (conversationId === app.conversationId && !hooked) {
        hooked = true;
        // Stored and published after this read saw the store, before the handler subscribes.
        await service.outbound.send(conversation, [{ author: 'counselor', content: textContent('담당 상담사입니다. 무엇을 도와드릴까요?') }]);
      }
      return found;
    };
    try {
      const messages = await app.poll(2);
      expect(hooked).toBe(true);
      expect(messages.map((m) => [m.author, m.text])).toEqual([['counselor', '담당 상담사입니다. 무엇을 도와드릴까요?']]);
    } finally {
      store.messages.listByConversation = read;
    }
  });
});
