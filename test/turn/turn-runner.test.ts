/** The turn runner over the in-memory channel: order per conversation, crash recovery, drain, the top-level catch. */
import { textOf } from '../../src/core/message';
import type { TurnContext } from '../../src/core/turn-context';
import { tr } from '../../src/i18n/translate';
import { eventually } from '../console/console-client';
import { startTurnHarness, type TurnHarness } from '../support/turn-harness';

const echo = async (ctx: TurnContext) => ctx.reply(`echo ${ctx.text}`);
const texts = (messages: { content: Parameters<typeof textOf>[0] }[]) => messages.map((m) => textOf(m.content));

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('turn runner', () => {
  let h: TurnHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('answers each conversation in arrival order, and a slow turn holds back only its own conversation', async () => {
    const slow = gate();
    h = await startTurnHarness({
      pipeline: async (ctx) => {
        if (ctx.text === 'slow') await slow.wait;
        await echo(ctx);
      },
    });
    await h.channel.say('alice', 'slow');
    await h.channel.say('alice', 'fast');
    await h.channel.say('bob', 'hello');
    expect(texts(await h.channel.waitForSent('bob', 1))).toEqual(['echo hello']);
    // Alice's second message came before Bob's, but waits behind her first.
    expect(h.channel.sentTo('alice')).toEqual([]);
    slow.open();
    expect(texts(await h.channel.waitForSent('alice', 2))).toEqual(['echo slow', 'echo fast']);
  });

  it('runs the turn of a message stored but never handled, and does not answer twice one that was answered before a crash', async () => {
    h = await startTurnHarness({ pipeline: echo });
    const { store } = h;
    const c = await h.inbound.openConversation({ channel: 'memory', externalUserId: 'carol' });
    const inbound = (id: string, text: string) =>
      store.messages.append({
        conversationId: c.id,
        residentId: c.residentId,
        channel: 'memory',
        channelMessageId: id,
        direction: 'inbound',
        author: 'resident',
        content: { kind: 'text', text },
        createdAt: new Date(),
      });
    const { message: lost } = await inbound('lost-1', 'lost');
    const { message: answered } = await inbound('answered-1', 'answered');
    // The crash came after the reply was stored, before the message was marked handled.
    await h.delivery.send(c, [{ author: 'bot', content: { kind: 'text', text: 'echo answered' } }], { replyToId: answered.id });

    expect(await h.runner.recoverUnhandled(new Date(Date.now() - 60_000))).toBe(2);
    await eventually(async () => {
      const [a, b] = await Promise.all([store.messages.get(lost.id), store.messages.get(answered.id)]);
      return Boolean(a?.handledAt && b?.handledAt);
    });
    const replies = (await store.messages.listByConversation(c.id)).filter((m) => m.direction === 'outbound');
    expect(replies.map((m) => [textOf(m.content), m.replyToId])).toEqual([
      ['echo answered', answered.id],
      ['echo lost', lost.id],
    ]);
    expect(texts(await h.channel.waitForSent('carol', 2))).toEqual(['echo answered', 'echo lost']);
  });

  it('drains the running turns on shutdown, then refuses new messages as unavailable', async () => {
    const slow = gate();
    let finished = false;
    h = await startTurnHarness({
      pipeline: async (ctx) => {
        await slow.wait;
        await echo(ctx);
        finished = true;
      },
    });
    await h.channel.say('dave', 'working');
    const drained = h.runner.drain(10_000).then(() => finished);
    setTimeout(slow.open, 50);
    await expect(h.channel.say('dave', 'late')).rejects.toMatchObject({ code: 'unavailable', retryable: true });
    expect(await drained).toBe(true);
  });

  it('apologises in the resident’s language when a turn fails or takes too long, keeping nothing half-done', async () => {
    h = await startTurnHarness({
      turnTimeoutMs: 200,
      pipeline: async (ctx) => {
        ctx.reply('a reply that must not go out');
        if (ctx.text === 'hang') await new Promise(() => undefined);
        throw new Error('step failed');
      },
    });
    await h.channel.say('erin', 'hang');
    await h.channel.say('erin', 'boom');
    expect(texts(await h.channel.waitForSent('erin', 2))).toEqual([tr('resident.turn.error', 'ko'), tr('resident.turn.error', 'ko')]);
  });
});
