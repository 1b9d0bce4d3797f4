/**
 * KakaoTalk (issue 12): Kakao signs nothing, so a request holding the secret path could name any
 * callback URL (the service then POSTed answers, counselor replies included, wherever it was told)
 * and read the replies waiting for any user id. Callback URLs must point at a Kakao host
 * (KAKAO_CALLBACK_HOSTS), and waiting replies go only to requests carrying the user keys the
 * conversation was bound to.
 */
import { FakeKakaoServer, kakaoSkillRequest } from '../../channels/kakao/fake-kakao-server';
import { KAKAO_CHECK_PAYLOAD } from '../../channels/kakao/kakao-render';
import { FakeHttpServer } from '../../channels/shared/fake-http-server';
import type { NewMessage } from '../../src/core/store-port';
import type { Service } from '../../src/main';
import { MemoryStore } from '../../src/store/memory-store';
import { conversationOf, postRaw } from '../channels/channel-test-kit';
import { startService } from '../support/service';

const SECRET = 'kakao-skill-secret-0123456789abcdef';

describe('KakaoTalk callback URLs and waiting replies', () => {
  let kakao: FakeKakaoServer;
  let elsewhere: FakeHttpServer;
  let service: Service;

  beforeAll(async () => {
    kakao = new FakeKakaoServer();
    await kakao.start();
    elsewhere = new FakeHttpServer(() => ({ status: 200, body: { status: 'SUCCESS' } }));
    await elsewhere.start();
    // Bot answers take a second, longer than KAKAO_REPLY_WAIT_MS: a usable callback URL is used.
    const store = new MemoryStore();
    const append = store.messages.append.bind(store.messages);
    store.messages.append = async (input: NewMessage) => {
      if (input.direction === 'outbound' && input.author === 'bot') await new Promise((r) => setTimeout(r, 1_000));
      return append(input);
    };
    service = await startService(
      { KAKAO_SKILL_SECRET: SECRET, KAKAO_REPLY_WAIT_MS: '300', KAKAO_CALLBACK_HOSTS: new URL(kakao.http.url).host },
      store,
    );
  });
  afterAll(async () => {
    await service?.close();
    await kakao?.stop();
    await elsewhere?.stop();
  });

  const skill = (body: unknown) => postRaw(`${service.url}/webhooks/kakao/${SECRET}`, JSON.stringify(body));

  it('uses a callback URL on the Kakao host', async () => {
    const callbackUrl = kakao.newCallbackUrl();
    const res = await skill(kakaoSkillRequest({ userId: 'b3f1c0de0101a1b2c3d4e5f6', utterance: '안녕하세요', callbackUrl }));
    expect(res.json).toMatchObject({ useCallback: true });
    await kakao.waitForCallback(callbackUrl);
  });

  it('never calls a callback URL on another host: the answer comes inline instead', async () => {
    const res = await skill(
      kakaoSkillRequest({ userId: 'b3f1c0de0102a1b2c3d4e5f6', utterance: '안녕하세요', callbackUrl: `${elsewhere.url}/v1/callback/abc` }),
    );
    expect(res.status).toBe(200);
    // Answered without useCallback ("the answer is coming; check replies"), so no callback will follow.
    expect(res.json.useCallback).toBeUndefined();
    expect(res.json.template.quickReplies.map((q: { extra?: { payload?: string } }) => q.extra?.payload)).toContain(KAKAO_CHECK_PAYLOAD);
    expect(elsewhere.requests).toEqual([]);
  });

  it('shows a counselor reply only to requests with the user keys the conversation is bound to', async () => {
    const userId = 'b3f1c0de0103a1b2c3d4e5f6';
    await skill(kakaoSkillRequest({ userId, utterance: '안녕하세요' }));
    const conversation = await conversationOf(service, 'kakao', userId);
    await service.gateway.send(conversation, [{ author: 'counselor', authorId: 'c1', content: { text: '주민등록등본은 정부24에서 발급됩니다.' } }]);

    // Someone with the secret path and the user id, but not the resident's other user keys.
    const forged = kakaoSkillRequest({ userId, utterance: '', clientExtra: { payload: KAKAO_CHECK_PAYLOAD } });
    forged.userRequest.user.properties.plusfriendUserKey = 'pf_someone_else';
    const stolen = await skill(forged);
    expect(stolen.status).toBe(403);
    expect(stolen.text).not.toContain('정부24');
    // Leaving the key out does not help either.
    const { plusfriendUserKey: _omitted, ...withoutKey } = forged.userRequest.user.properties;
    forged.userRequest.user.properties = withoutKey as typeof forged.userRequest.user.properties;
    expect((await skill(forged)).status).toBe(403);

    const own = await skill(kakaoSkillRequest({ userId, utterance: '', clientExtra: { payload: KAKAO_CHECK_PAYLOAD } }));
    expect(own.status).toBe(200);
    expect(own.text).toContain('정부24');
  });
});
