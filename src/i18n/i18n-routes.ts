/**
 * Serves browser UIs their texts: `GET /i18n/<namespace>/<lang>.json` gives one UI namespace
 * (`console`, `webchat`) for one language as flat key -> ICU text, complete by the catalogue's
 * fallback rule, so a browser never meets a missing key. Cacheable (ETag, max-age). Next to the
 * tables, the browser module that loads and formats them (`/i18n/ui-texts.js`) and the ICU
 * formatter it uses (`/i18n/intl-messageformat.js`, formatjs' own browser build).
 */
import path from 'node:path';
import express, { Router } from 'express';
import { localizedKey } from '../core/localized';
import { errorBody } from '../http/http-errors';
import { UI_NAMESPACES } from './locales';
import type { MessageCatalog } from './message-catalog';

const FILE = /^([a-z]{2,3})\.json$/;
const MAX_AGE_SECONDS = 300;
/** Public texts and code: embed.js, on other sites' pages, imports the loader and reads the launcher's label. */
const PUBLIC_TO_OTHER_SITES = { 'Access-Control-Allow-Origin': '*' };

export function i18nRouter(catalog: MessageCatalog): Router {
  const router = Router();
  // One table per namespace and language file; bounded by the locale files.
  const tables = new Map<string, Record<string, string>>();
  router.get('/i18n/:namespace/:file', (req, res) => {
    const namespace = UI_NAMESPACES.find((ns) => ns === req.params.namespace);
    const requested = FILE.exec(req.params.file)?.[1];
    if (!namespace || !requested) {
      res.status(404).json(errorBody('not_found', `No UI texts at ${req.path}; try /i18n/webchat/ko.json`));
      return;
    }
    // A language without a file gets the table its residents or staff would get: English, else Korean.
    const language = localizedKey(catalog.languages(namespace), requested)!;
    const cacheKey = `${namespace}:${language}`;
    let table = tables.get(cacheKey);
    if (!table) {
      table = catalog.table(namespace, language)!;
      tables.set(cacheKey, table);
    }
    res.set('Cache-Control', `public, max-age=${MAX_AGE_SECONDS}`);
    res.set('Content-Language', language);
    res.set(PUBLIC_TO_OTHER_SITES);
    res.json(table);
  });
  // The same formatter as the server's, as formatjs builds it for browsers (one self-contained ES module).
  const formatjs = path.join(path.dirname(require.resolve('intl-messageformat')), 'intl-messageformat.esm.js');
  router.get('/i18n/intl-messageformat.js', (_req, res) => res.set(PUBLIC_TO_OTHER_SITES).sendFile(formatjs, { maxAge: '1d' }));
  // Next to this module: src/i18n/public, or dist/src/i18n/public in a build (scripts/copy-assets.mjs).
  router.use('/i18n', express.static(path.join(__dirname, 'public'), { maxAge: '5m', index: false, setHeaders: (res) => res.set(PUBLIC_TO_OTHER_SITES) }));
  return router;
}
