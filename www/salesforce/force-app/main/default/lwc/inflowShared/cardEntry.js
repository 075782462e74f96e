// Card purchases from the components: the card is typed into the Inflow server's own card page
// (/embed/card.html, on the supplier's origin) shown in an iframe, never into Lightning's DOM.
// The page and the component talk postMessage version 1 (docs/embedding.md): the page says
// `inflow:hello`, the component answers `inflow:card-init` with the charge record and a
// 15-minute token (Apex `cardEntry`, so the Named Credential's token never reaches the browser),
// the page posts the purchase to the server itself and reports `inflow:card-declined`,
// `inflow:card-result` (the server's receipt), `inflow:card-cancelled` or `inflow:error`.
// Messages are accepted only from the server's exact origin and about this record; the
// component posts only to that origin.
import cardEntryApex from '@salesforce/apex/InflowChargeController.cardEntry';

export const VERSION = 1;

const cardError = (code, message) => Object.assign(new Error(message), { name: 'InflowCardError', code });

/**
 * One card payment at a time for a component. `onChange(view)` receives what to render
 * (`{ src, origin, text, isError }`, or null when closed); `frame()` returns the rendered
 * iframe; `label(record)` and `locale()` what the card page shows.
 */
export class CardEntry {
  constructor({ onChange, frame, label = (r) => r.module, locale = () => undefined }) {
    Object.assign(this, { onChange, frame, label, locale });
    this.view = null;
    this._stop = null;
  }

  /** Opens the card page for `record`; resolves with the server's receipt once it is charged. */
  async pay(record) {
    if (this._stop) throw cardError('card_busy', 'Another card payment is open: finish or cancel it first.');
    const reply = await cardEntryApex();
    const { url, token } = typeof reply === 'string' ? JSON.parse(reply) : reply;
    const src = new URL(url);
    if (src.protocol !== 'https:' && src.hostname !== 'localhost') {
      throw cardError('card_entry_unconfigured', `The card page ${url} is not served over https.`);
    }
    src.searchParams.set('parent', window.location.origin);
    const origin = src.origin;
    return new Promise((resolve, reject) => {
      const finish = (settle, value) => {
        this.close();
        settle(value);
      };
      const onMessage = (event) => {
        if (event.origin !== origin) return; // anyone else: ignored without an answer
        const m = event.data;
        if (!m || typeof m !== 'object' || m.version !== VERSION || typeof m.type !== 'string') return;
        if (m.id != null && m.id !== record.id) return; // about another payment
        switch (m.type) {
          case 'inflow:hello':
            if (m.page === 'card') {
              this.frame()?.contentWindow?.postMessage(
                { type: 'inflow:card-init', version: VERSION, record, token, label: this.label(record), locale: this.locale() },
                origin,
              );
            }
            break;
          case 'inflow:card-declined':
            this._show(m.message || 'Your card was declined. Nothing was charged.', true);
            break;
          case 'inflow:card-result':
            this._show('Card charged. Recording the purchase…');
            resolve(m.receipt);
            this._detach();
            break;
          case 'inflow:card-cancelled':
            finish(reject, cardError('card_cancelled', 'You cancelled the card payment.'));
            break;
          case 'inflow:error':
            if (m.id == null) finish(reject, cardError(m.code ?? 'failed', m.message ?? 'The card page failed.'));
            else this._show(m.message ?? 'The payment failed.', true); // the form stays for another try
            break;
          default:
        }
      };
      window.addEventListener('message', onMessage);
      this._detach = () => window.removeEventListener('message', onMessage);
      this._stop = () => reject(cardError('card_cancelled', 'You cancelled the card payment.'));
      this.view = { src: src.href, origin, text: `Enter your card in ${origin}'s secure form below.`, isError: false };
      this.onChange(this.view);
    });
  }

  /** The person closed the card panel from the component's side. */
  cancel() {
    const stop = this._stop;
    this.close();
    stop?.();
  }

  /** Removes the listener and the panel. */
  close() {
    this._detach?.();
    this._detach = null;
    this._stop = null;
    this.view = null;
    this.onChange(null);
  }

  _show(text, isError = false) {
    if (!this.view) return;
    this.view = { ...this.view, text, isError };
    this.onChange(this.view);
  }
}

/**
 * A sink whose card purchases go through `card` (a CardEntry) and the rest to `sink`. After the
 * card page's success, `sink` (Apex recordCharge) records the purchase in Salesforce: the server
 * answers a charge it already recorded with its stored receipt, without charging again. Should
 * that fail, the purchase stands (the server recorded it) and the receipt carries a warning.
 */
export function cardSink({ sink, card, receiptOf }) {
  return {
    async deliver(record, options) {
      if (record?.funding?.route !== 'card') return sink.deliver(record, options);
      const serverReceipt = await card.pay(record);
      try {
        return await sink.deliver(record, options);
      } catch (e) {
        const why = e?.body?.message ?? e?.message ?? String(e);
        return { ...receiptOf(record, serverReceipt), warning: `The Inflow server recorded it; the Salesforce record could not be written (${why}).` };
      } finally {
        card.close();
      }
    },
  };
}
