// The parent side of the embed pages' postMessage contract (docs/embedding.md), for a host
// page to include (an ES module with no dependencies):
//
//   embedFrame({ src, container, getToken, ... })  frame.html: offers or a gate for the user
//   cardEntry({ src, record, token, ... })         card.html in a modal dialog → the receipt
//   cardFrameSink({ sink, src, getToken })         a sink whose card purchases go through card.html
//
// Messages are accepted only from the iframe this helper created and only from its origin,
// and are posted to that exact origin, never "*".

export const VERSION = 1;

const asError = (m) => Object.assign(new Error(m.message ?? m.code), { name: 'InflowEmbedError', code: m.code ?? 'failed' });

/** The iframe for `src` told who embeds it (?parent=this origin). */
function frameFor(src, title) {
  const url = new URL(src, location.href);
  url.searchParams.set('parent', location.origin);
  const iframe = document.createElement('iframe');
  iframe.src = url.href;
  iframe.title = title;
  iframe.style.cssText = 'border:0;width:100%;display:block;';
  return { iframe, origin: url.origin };
}

/** Listens to `iframe`'s messages (its window, its origin); returns `{ post, stop }`. */
function listen(iframe, origin, onMessage) {
  const handler = (event) => {
    if (event.source !== iframe.contentWindow || event.origin !== origin) return;
    const m = event.data;
    if (!m || typeof m !== 'object' || typeof m.type !== 'string' || m.version !== VERSION) return;
    onMessage(m);
  };
  addEventListener('message', handler);
  return {
    post: (type, fields = {}) => iframe.contentWindow?.postMessage({ ...fields, type, version: VERSION }, origin),
    stop: () => removeEventListener('message', handler),
  };
}

/**
 * Embeds frame.html in `container`:
 * - `src` the frame's URL on the Inflow server (…/embed/frame.html)
 * - `getToken()` → a session token for the user (called again when the frame reports it expired)
 * - `user` the user id the token must belong to (optional check), `view` offers | compact |
 *   gate, `feature` (gate), `theme` neutral | salesforce, `surface`, `max`, `locale`, `title`
 * - `onEvent(name, detail)` each adapter event (offer-shown, purchase-confirmed, …); they are also
 *   dispatched on the iframe as bubbling `inflow:NAME` CustomEvents
 * - `onError(error)` each `inflow:error` (an Error with `code`)
 * Returns `{ iframe, ready, destroy() }`; `ready` resolves with `{ user, view }` or rejects with
 * the first error before it.
 */
export function embedFrame({ src, container, getToken, title = 'Suggested add-ons', onEvent, onError, ...init }) {
  const { iframe, origin } = frameFor(src, title);
  let resolve, reject;
  const ready = new Promise((ok, fail) => ((resolve = ok), (reject = fail)));
  let isReady = false;
  const channel = listen(iframe, origin, async (m) => {
    try {
      switch (m.type) {
        case 'inflow:hello':
          channel.post('inflow:init', { ...init, token: await getToken() });
          break;
        case 'inflow:token-expired':
          channel.post('inflow:token', { token: await getToken({ refresh: true }) });
          break;
        case 'inflow:ready':
          isReady = true;
          resolve({ user: m.user, view: m.view });
          break;
        case 'inflow:resize':
          if (Number.isFinite(m.height) && m.height >= 0) iframe.style.height = `${Math.min(m.height, 4000)}px`;
          break;
        case 'inflow:event':
          onEvent?.(m.name, m.detail);
          iframe.dispatchEvent(new CustomEvent(`inflow:${m.name}`, { detail: m.detail, bubbles: true }));
          break;
        case 'inflow:error': {
          const error = asError(m);
          onError?.(error);
          if (!isReady) reject(error);
          break;
        }
      }
    } catch (error) {
      onError?.(error);
      if (!isReady) reject(error);
    }
  });
  container.append(iframe);
  return {
    iframe,
    ready,
    destroy() {
      channel.stop();
      iframe.remove();
    },
  };
}

/**
 * Opens card.html in a modal dialog for a charge `record` paid by card (`record.funding.route`
 * "card"): `src` …/embed/card.html, `token` the user's session token, `label` what is bought.
 * Resolves with the server's receipt once the card was charged and the charge recorded; rejects
 * with code `card_cancelled` when the person closes it, or with the page's error. A declined
 * card keeps the dialog open (the page says so; `onDeclined(code, message)` is told).
 */
export function cardEntry({ src, record, token, label, locale, title = 'Pay by card', onDeclined, parent = document.body }) {
  return new Promise((resolve, reject) => {
    const dialog = document.createElement('dialog');
    dialog.className = 'inflow-card-entry';
    dialog.setAttribute('aria-label', title);
    dialog.style.cssText = 'width:min(32rem,92vw);padding:0;border:0;border-radius:.5rem;';
    const { iframe, origin } = frameFor(src, title);
    iframe.style.height = '16rem';
    dialog.append(iframe);
    let channel;
    const settle = (fn, value) => {
      channel.stop();
      dialog.close();
      dialog.remove();
      fn(value);
    };
    channel = listen(iframe, origin, (m) => {
      switch (m.type) {
        case 'inflow:hello':
          channel.post('inflow:card-init', { record, token, label, locale });
          break;
        case 'inflow:card-result':
          settle(resolve, m.receipt);
          break;
        case 'inflow:card-declined':
          onDeclined?.(m.code, m.message);
          break;
        case 'inflow:card-cancelled':
          settle(reject, asError({ code: 'card_cancelled', message: 'Card payment cancelled; nothing was charged.' }));
          break;
        case 'inflow:error':
          if (m.id == null) settle(reject, asError(m)); // an error about a payment attempt leaves the form open
          break;
      }
    });
    dialog.addEventListener('cancel', () => settle(reject, asError({ code: 'card_cancelled', message: 'Card payment cancelled; nothing was charged.' })));
    parent.append(dialog);
    dialog.showModal();
  });
}

/**
 * A sink for the adapter's session() in a host page: charges paid by card go through
 * card.html (`src`), the rest to `sink`. `getToken()` → the user's session token;
 * `label(record)` what to call the purchase. Use with card-entry="frame" on the elements.
 */
export function cardFrameSink({ sink, src, getToken, label = (r) => r.module, onDeclined }) {
  return {
    async deliver(record, options) {
      if (record?.funding?.route !== 'card') return sink.deliver(record, options);
      return cardEntry({ src, record, token: await getToken(), label: label(record), onDeclined });
    },
    close: () => sink?.close?.(),
  };
}
