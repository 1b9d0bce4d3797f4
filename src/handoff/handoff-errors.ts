/**
 * Errors of handoff actions with a stable code and HTTP status, so the console can tell a
 * counselor exactly what happened ("someone else accepted it", "reply first"). The text is a
 * `staff` catalogue key: `message` is in the staff default language (Korean), and the console
 * answers in the language it asks for (`messageIn`).
 */
import type { TextValues } from '../core/text-port';
import type { StaffKey } from '../i18n/locales';
import { STAFF_LANGUAGE, tr } from '../i18n/translate';

/** A staff text: its catalogue key and placeholder values. */
export interface StaffText {
  key: StaffKey;
  values?: TextValues;
}

export class HandoffError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 423 | 429,
    readonly code: string,
    readonly text: StaffText,
    readonly details?: Record<string, unknown>,
  ) {
    super(tr(text.key, STAFF_LANGUAGE, text.values));
    this.name = 'HandoffError';
  }

  /** The message in a console language (Korean unless the console asks for English). */
  messageIn(language: string | undefined): string {
    return tr(this.text.key, language, this.text.values);
  }
}
