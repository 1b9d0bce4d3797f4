/**
 * twitter-api-v2 has no base-URL setting; this plugin redirects its requests to X_API_BASE (a
 * proxy, or a local fake in tests). It runs after the OAuth 1.0a signature is computed, so the
 * signature still covers the official https://api.x.com URL, as X (and our fake) verify it.
 */
import http from 'node:http';
import type { ITwitterApiClientPlugin } from 'twitter-api-v2';

/** The plugin, or undefined when the base is the library's own (https://api.x.com). */
export function baseUrlPlugin(apiBase: string): ITwitterApiClientPlugin | undefined {
  const target = new URL(apiBase);
  if (target.origin === 'https://api.x.com' && (target.pathname === '/' || target.pathname === ''))
    return undefined;
  // The library calls https.request; with an http.Agent that request speaks plain http.
  const agent = target.protocol === 'http:' ? new http.Agent({ keepAlive: true }) : undefined;
  const prefix = target.pathname.replace(/\/+$/, '');
  return {
    onBeforeRequest({ computedParams, requestOptions }) {
      const url = computedParams.url;
      url.protocol = target.protocol;
      url.host = target.host;
      if (prefix && !url.pathname.startsWith(`${prefix}/`)) url.pathname = `${prefix}${url.pathname}`;
      if (agent) requestOptions.agent = agent;
    },
  };
}
