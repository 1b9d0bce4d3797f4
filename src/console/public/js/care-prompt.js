// Counselor care in the work view: after a chat ends, the break the server offers (only after an
// abusive or crisis chat) is asked in the page's dialog; taking it keeps new chats away until it ends.
import { get, post } from './api.js';
import { confirmDialog, time, toast } from './dom.js';
import { t } from './i18n.js';

/** Asks whether to take the offered break, if one is offered. Never throws: care must not block work. */
export async function offerBreak() {
  try {
    const { offer } = await get('/care/me');
    if (!offer) return;
    if (!(await confirmDialog(t(offer.kind === 'crisis' ? 'care.offerCrisis' : 'care.offerAbuse', { minutes: offer.minutes })))) return;
    const { breakUntil } = await post('/care/break');
    toast(t('care.taken', { time: time(breakUntil) }));
  } catch (err) {
    toast(err.message);
  }
}
