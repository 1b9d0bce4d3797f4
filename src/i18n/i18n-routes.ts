/**
 * Serves a browser UI's texts: `GET /i18n/<namespace>/<lang>.json` gives one UI namespace
 * (`console`, `webchat`) for one language as flat key -> ICU text, complete by the catalogue's
 * fallback rule, so a browser never meets a missing key. Cacheable (ETag, max-age).
 */
import { Router } from 'express';
import { localizedKey } from '../core/localized';
import { errorBody } from '../http/http-errors';
import { UI_NAMESPACES } from './locales';
import type { MessageCatalog } from './message-catalog';

const FILE = /^([a-z]{2,3})\.json$/;
const MAX_AGE_SECONDS = 300;

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
    res.json(table);
  });
  return router;
}
