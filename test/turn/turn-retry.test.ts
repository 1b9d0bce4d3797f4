/**
 * Issue 12 (high): a message stored and acknowledged during a database outage, whose turn could not
 * run, is answered once the database is back — without a restart — and exactly once.
 *
 * The service reaches FerretDB through a TCP proxy; cutting the proxy is the outage. While it lasts,
 * the test stores a resident's message straight into FerretDB (as the app API did just before the
 * link went down: stored, acknowledged, turn failed). After the link is restored the service must run
 * that turn by itself.
 */
import type { Service } from '../../src/main';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { AppClient, startService } from '../support/service';
import { useFerretDB } from '../support/ferretdb';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { waitUntil } from '../channels/channel-test-kit';

describe('unanswered turns after a database outage', () => {
  const db = useFerretDB();
  let proxy: TcpProxy;
  let service: Service;
  let direct: MongoStore;

  beforeAll(async () => {
    proxy = await startTcpProxy(db().port);
    const dbName = new URL(db().uri).pathname;
    service = await startService({
      MONGODB_URI: `${proxy.url('mongodb')}${dbName}`,
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '1000',
      TURN_RETRY_SECONDS: '1',
    });
    direct = await MongoStore.connect(db().uri);
  }, 300_000);
  afterAll(async () => {
    await service?.close();
    await direct?.close();
    await proxy?.close();
  });

  it('answers a message stored during the outage once the database is back, exactly once', async () => {
    const resident = new AppClient(service.url);
    await resident.start();
    await resident.say('안녕하세요');
    await resident.nextReply();

    proxy.cut();
    const { message } = await direct.messages.append({
      conversationId: resident.conversationId,
      residentId: resident.residentId,
      channel: 'app',
      channelMessageId: 'during-the-outage-1',
      direction: 'inbound',
      author: 'resident',
      content: { text: '너무 힘들어서 죽고 싶어요' },
    });
    proxy.restore();

    const handled = await waitUntil(async () => (await direct.messages.get(message.id))?.handledAt, 'the turn to run again', 60_000);
    expect(handled).toBeInstanceOf(Date);
    const replies = (await direct.messages.listByConversation(resident.conversationId, { afterSeq: message.seq })).filter((m) => m.replyToId === message.id);
    expect(replies.length).toBeGreaterThan(0);
    // The crisis message escalated: the chat waits for a counselor with crisis priority.
    const conversation = await direct.conversations.get(resident.conversationId);
    expect(conversation).toMatchObject({ state: 'queued', priority: 'crisis' });
    // Answered once: the crisis lines went out one time, not once per retry round.
    expect(replies.filter((m) => /109/.test(m.content.text ?? ''))).toHaveLength(1);
  }, 120_000);

  it('claims each re-run once per round across instances', async () => {
    const resident = new AppClient(service.url);
    await resident.start();
    const { message } = await direct.messages.append({
      conversationId: resident.conversationId,
      residentId: resident.residentId,
      channel: 'app',
      channelMessageId: 'claim-race-1',
      direction: 'inbound',
      author: 'resident',
      content: { text: 'hello' },
    });
    const claims = await Promise.all([1, 2, 3, 4].map((i) => direct.messages.claimRetry(message.id, 7, `instance-${i}`)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await direct.messages.claimRetry(message.id, 8, 'instance-1')).toBe(true);
  });
});
