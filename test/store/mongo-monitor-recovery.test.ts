/**
 * A MongoDB connection whose server monitor stops finishing heartbeats is reopened by the store
 * itself (src/store/mongo/monitor-watchdog.ts). The driver bug behind it (a heartbeat written to a
 * socket the network has just reset never ends) is a race this test cannot start at will, so it
 * stops the monitor the way a half-open link does: the proxy freezes every open connection (bytes
 * stop, no reset ever arrives) and the driver's own heartbeat timeout is set far away. New
 * connections pass, as they would after the real bug.
 */
import type { Logger } from '../../src/core/logger-port';
import { textContent } from '../../src/core/message';
import { StoreUnavailableError } from '../../src/core/errors';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { useFerretDB } from '../support/ferretdb';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { waitUntil } from '../channels/channel-test-kit';

function recordingLogger(lines: string[]): Logger {
  const logger = {
    trace: () => undefined,
    debug: () => undefined,
    info: (_o: unknown, msg?: string) => void lines.push(`info ${msg ?? String(_o)}`),
    warn: (_o: unknown, msg?: string) => void lines.push(`warn ${msg ?? String(_o)}`),
    error: (_o: unknown, msg?: string) => void lines.push(`error ${msg ?? String(_o)}`),
    fatal: () => undefined,
    child: () => logger,
  };
  return logger as unknown as Logger;
}

describe('MongoStore with a stuck server monitor', () => {
  const db = useFerretDB();
  let proxy: TcpProxy;
  let store: MongoStore | undefined;

  beforeAll(async () => {
    proxy = await startTcpProxy(db().port);
  });
  afterAll(async () => {
    await store?.close();
    await proxy?.close();
  });

  it('reopens its connection and answers again, keeping what was stored', async () => {
    const lines: string[] = [];
    store = await MongoStore.connect(`${proxy.url('mongodb')}/monitor`, {
      logger: recordingLogger(lines),
      serverSelectionTimeoutMS: 1_000,
      heartbeatFrequencyMS: 300,
      // The driver would end a frozen heartbeat after connectTimeoutMS by itself: not within this test.
      connectTimeoutMS: 120_000,
      monitorStuckAfterMS: 2_000,
    });
    const resident = await store.residents.findOrCreateByIdentity({ channel: 'app', externalUserId: 'monitor-1' });
    const conversation = await store.conversations.create({
      residentId: resident.id,
      channel: 'app',
      externalUserId: 'monitor-1',
      language: 'ko',
      state: 'bot',
      priority: 'normal',
    });
    const { message } = await store.messages.append({
      conversationId: conversation.id,
      residentId: resident.id,
      channel: 'app',
      channelMessageId: 'before-the-freeze',
      direction: 'inbound',
      author: 'resident',
      content: textContent('도로가 파였어요'),
    });

    expect(store.connectionReopens()).toBe(0);
    proxy.freeze();
    // An operation caught on a frozen connection ends (answered or unavailable) once the client is replaced.
    const caught = store.messages.get(message.id).then(
      (m) => (m ? 'answered' : 'missing'),
      (err: unknown) => (err instanceof StoreUnavailableError ? 'unavailable' : `failed: ${String(err)}`),
    );
    const answered = await waitUntil(
      async () => (await store!.messages.get(message.id).catch(() => undefined))?.id,
      'the store to answer again',
      60_000,
    );
    expect(answered).toBe(message.id);
    expect(['answered', 'unavailable']).toContain(await caught);
    expect(lines).toContain('error mongodb server monitor stuck in a heartbeat; reopening the connection');
    expect(lines).toContain('info mongodb connection reopened');
    expect(store.connectionReopens()).toBe(1);
    expect(await store.healthy()).toBe(true);
    // Writes work too, and nothing stored before was lost or doubled.
    await store.messages.append({
      conversationId: conversation.id,
      residentId: resident.id,
      channel: 'app',
      channelMessageId: 'after-the-reopen',
      direction: 'inbound',
      author: 'resident',
      content: textContent('감사합니다'),
    });
    const stored = await store.messages.listByConversation(conversation.id);
    expect(stored.map((m) => m.channelMessageId)).toEqual(['before-the-freeze', 'after-the-reopen']);
  }, 120_000);
});
