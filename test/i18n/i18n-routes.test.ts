/** GET /i18n/<namespace>/<lang>.json over real HTTP: whole tables, cacheable, UI namespaces only. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { i18nRouter } from '../../src/i18n/i18n-routes';
import { LOCALES } from '../../src/i18n/locales';
import { MessageCatalog } from '../../src/i18n/message-catalog';

const catalog = new MessageCatalog({
  ...LOCALES,
  // A partial language, as when a front-end adds one key by key.
  console: { ...LOCALES.console, ja: { 'tab.work': '相談' } },
});

describe('the UI texts route', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer(express().use(i18nRouter(catalog)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('serves a language it has as is, with cache headers and an ETag that revalidates', async () => {
    const res = await fetch(`${base}/i18n/webchat/ko.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(LOCALES.webchat.ko);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    // node:http, not fetch: fetch marks a request with its own If-None-Match "no-cache", as browsers do not.
    const again = await new Promise<number | undefined>((resolve, reject) =>
      http.get(`${base}/i18n/webchat/ko.json`, { headers: { 'if-none-match': etag! } }, (r) => {
        r.resume();
        resolve(r.statusCode);
      }).on('error', reject),
    );
    expect(again).toBe(304);
  });

  it('fills the keys a language lacks by the fallback rule (English, then Korean)', async () => {
    const ja = (await (await fetch(`${base}/i18n/console/ja.json`)).json()) as Record<string, string>;
    expect(Object.keys(ja).sort()).toEqual(Object.keys(LOCALES.console.ko).sort());
    expect(ja['tab.work']).toBe('相談');
    expect(ja['tab.dashboard']).toBe(LOCALES.console.en['tab.dashboard']);
  });

  it('serves only the UI namespaces, and only language files', async () => {
    for (const path of ['/i18n/resident/ko.json', '/i18n/staff/en.json', '/i18n/webchat/ko', '/i18n/webchat/korean.json', '/i18n/nothing/ko.json']) {
      const res = await fetch(`${base}${path}`);
      expect([path, res.status]).toEqual([path, 404]);
    }
  });
});
