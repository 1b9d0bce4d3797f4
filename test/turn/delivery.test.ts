/** Delivery (the Outbound port) and synchronous answers over the in-memory channel. */
import { MemoryChannel } from '../../channels/memory/memory-channel';
import { textOf, type Message } from '../../src/core/message';
import type { TurnContext } from '../../src/core/turn-context';
import { eventually } from '../console/console-client';
import { startTurnHarness, type TurnHarness } from '../support/turn-harness';

const texts = (messages: Message[]) => messages.map((m) => textOf(m.content));

describe('delivery', () => {
  let h: TurnHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('stores outbound messages in order and sends each once; internal notes are stored, never sent', async () => {
    h = await startTurnHarness({ pipeline: async () => undefined });
    const c = await h.inbound.openConversation({ channel: 'memory', externalUserId: 'fay' });
    const published: string[] = [];
    h.bus.subscribe('message', (m) => published.push(textOf(m.content)));
    const stored = await h.delivery.send(c, [
      { author: 'counselor', authorId: 'c1', content: { kind: 'text', text: 'one' } },
      { author: 'counselor', authorId: 'c1', content: { kind: 'text', text: 'note' }, flags: { internal: true } },
      { author: 'counselor', authorId: 'c1', content: { kind: 'text', text: 'two' } },
    ]);
    await h.delivery.noteForStaff(c.id, 'system note');
    expect(stored.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(published).toEqual(['one', 'note', 'two', 'system note']);
    expect(texts(await h.channel.waitForSent('fay', 2))).toEqual(['one', 'two']);
    // Once the outbox has recorded both as sent, nothing more goes out.
    await eventually(async () => (await h!.store.outbox.listByStatus('sent', 10)).length === 2);
    expect(await h.store.outbox.listByStatus('pending', 10)).toEqual([]);
    expect(h.channel.sentTo('fay')).toHaveLength(2);
    expect((await h.store.conversations.get(c.id))?.lastOutboundAt).toBeInstanceOf(Date);
    const all = await h.store.messages.listByConversation(c.id);
    expect(all.filter((m) => m.flags?.internal).map((m) => [m.author, textOf(m.content)])).toEqual([
      ['counselor', 'note'],
      ['system', 'system note'],
    ]);
  });

  it('leaves messages of a pull channel in the store and holds inline ones until told to deliver them', async () => {
    h = await startTurnHarness({ pipeline: async () => undefined, channel: new MemoryChannel('memory', { delivery: 'pull' }) });
    const c = await h.inbound.openConversation({ channel: 'memory', externalUserId: 'gus' });
    await h.delivery.send(c, [{ author: 'bot', content: { kind: 'text', text: 'read me from the store' } }]);
    expect(await h.store.outbox.listByStatus('pending', 10)).toEqual([]);
    expect(texts(await h.store.messages.listByConversation(c.id))).toEqual(['read me from the store']);
  });

  it('sends inline replies only when delivered afterwards', async () => {
    h = await startTurnHarness({ pipeline: async () => undefined });
    const c = await h.inbound.openConversation({ channel: 'memory', externalUserId: 'hal' });
    const held = await h.delivery.send(c, [{ author: 'bot', content: { kind: 'text', text: 'held' } }], { inline: true });
    expect(await h.store.outbox.listByStatus('pending', 10)).toEqual([]);
    await h.delivery.deliverStored(c, held);
    expect(texts(await h.channel.waitForSent('hal', 1))).toEqual(['held']);
  });

  it('gives a synchronous channel the replies of a quick turn, and sends those of a slow one later', async () => {
    let open!: () => void;
    const slow = new Promise<void>((resolve) => (open = resolve));
    h = await startTurnHarness({
      pipeline: async (ctx: TurnContext) => {
        if (ctx.text === 'slow') await slow;
        ctx.reply(`answer to ${ctx.text}`);
      },
    });
    const quick = await h.inbound.dispatchAndWait(
      { channel: 'memory', externalUserId: 'ivy', channelMessageId: 'q-1', content: { kind: 'text', text: 'quick' } },
      5000,
    );
    expect(quick.complete).toBe(true);
    expect(texts(quick.replies)).toEqual(['answer to quick']);
    const late = await h.inbound.dispatchAndWait(
      { channel: 'memory', externalUserId: 'ivy', channelMessageId: 'q-2', content: { kind: 'text', text: 'slow' } },
      50,
    );
    expect(late).toMatchObject({ complete: false, replies: [] });
    open();
    // Only the late reply goes through the outbox: the quick one was in the answer already.
    expect(texts(await h.channel.waitForSent('ivy', 1))).toEqual(['answer to slow']);
    const again = await h.inbound.dispatchAndWait(
      { channel: 'memory', externalUserId: 'ivy', channelMessageId: 'q-1', content: { kind: 'text', text: 'quick' } },
      5000,
    );
    expect(again).toMatchObject({ duplicate: true, replies: [], complete: true });
  });
});
