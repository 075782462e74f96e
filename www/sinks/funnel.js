// Reports the suggestion funnel a page sees (an offer shown, opened, tried, bought) to the
// server's `POST /v1/me/events`, where the supplier's insights count it. It listens to the
// adapter's `inflow:*` events for one user and posts them in batches; raw usage telemetry is
// never sent (it stays in the browser).
//
// funnelReporter(options):
// - `user` the user whose events are reported (the token acts for them only)
// - `baseUrl` the server's origin (and path prefix); default the page's origin
// - `token` a bearer token, or `getToken({ refresh })` → token (asked again after a 401)
// - `target` where the adapter dispatches its events (default `document`)
// - `delay` ms to gather events before a post (default 2000); at most 200 events a post
// - `fetch`, `setTimeout`, `clearTimeout`, `uuid` for tests
// Returns `{ flush(), close(), pending() }`. Events are queued until the server has them: a
// failed post (server away, network) keeps them for the next one; a refused post (4xx but 401)
// can never succeed, so its events are dropped with a console warning. An id per event makes a
// retried post count once. Posts are `keepalive` (they finish when the page is left), and on
// `pagehide` what is queued is posted at once.

import { randomId } from '../random-id.js';

/** The adapter's events and the funnel stage each reports. */
const STAGES = {
  'inflow:offer-shown': 'shown',
  'inflow:offer-opened': 'opened',
  'inflow:trial-started': 'trial',
  'inflow:purchase-confirmed': 'bought',
};
// Small enough for the browser's 64 KB allowance for `keepalive` requests in flight.
const MAX_BATCH = 200;

/** The funnel events one adapter event stands for (an `offer-shown` names several offers). */
export function funnelEvents(type, detail, at, uuid) {
  const stage = STAGES[type];
  if (!stage || !detail) return [];
  const surface = String(detail.surface || 'page').slice(0, 64);
  const event = (module, probability) => ({
    id: uuid(),
    module,
    surface,
    stage,
    ...(typeof probability === 'number' && probability >= 0 && probability <= 1 ? { probability } : {}),
    at,
  });
  if (stage === 'shown') return (detail.offers ?? []).map((o) => event(o.module, o.probability));
  if (stage === 'opened') return detail.offer?.module ? [event(detail.offer.module, detail.offer.probability)] : [];
  const module = detail.module ?? detail.record?.module;
  return module ? [event(module)] : [];
}

export function funnelReporter(options = {}) {
  const { user, baseUrl, token, getToken, delay = 2000 } = options;
  const target = options.target === undefined ? globalThis.document ?? null : options.target;
  const fetchFn = options.fetch ?? globalThis.fetch?.bind(globalThis);
  const setTimer = options.setTimeout ?? globalThis.setTimeout.bind(globalThis);
  const clearTimer = options.clearTimeout ?? globalThis.clearTimeout.bind(globalThis);
  const uuid = options.uuid ?? randomId;
  const url = baseUrl ? `${String(baseUrl).replace(/\/+$/, '')}/v1/me/events` : '/v1/me/events';
  let queue = [];
  let timer = null;
  let cachedToken = null;

  const bearer = async (refresh) => {
    if (!getToken) return token;
    if (refresh || cachedToken == null) cachedToken = await getToken({ refresh: !!refresh });
    return cachedToken;
  };

  /** Posts one batch; true when the server took it or refused it for good (drop it), false to keep it. */
  async function post(batch, refresh = false) {
    let auth;
    try {
      auth = await bearer(refresh);
    } catch {
      return false;
    }
    let res;
    try {
      res = await fetchFn(url, {
        method: 'POST',
        keepalive: true,
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
        body: JSON.stringify({ events: batch }),
      });
    } catch {
      return false;
    }
    if (res.status === 401 && getToken && !refresh) return post(batch, true);
    if (res.ok) return true;
    if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 408 && res.status !== 429) {
      const body = await res.json().catch(() => ({}));
      console.warn(`Inflow: the server refused ${batch.length} funnel events (${body.error?.message ?? `HTTP ${res.status}`}); they are dropped.`);
      return true;
    }
    return false;
  }

  /**
   * Posts everything queued now, a batch a request, without waiting for posts already under
   * way; resolves when these are answered. A batch that failed is queued again, first.
   */
  function flush() {
    if (timer) clearTimer(timer);
    timer = null;
    const posts = [];
    while (queue.length) {
      const batch = queue.splice(0, MAX_BATCH);
      posts.push(post(batch).then((taken) => taken || queue.unshift(...batch)));
    }
    return Promise.all(posts).then(() => undefined);
  }

  const listen = (event) => {
    if (user && event.detail?.user !== user) return;
    const added = funnelEvents(event.type, event.detail, Date.now(), uuid);
    if (!added.length) return;
    queue.push(...added);
    timer ??= setTimer(() => flush(), delay);
  };
  // The token is asked for now, so a post when the page is left (`pagehide`) starts at once:
  // a request still waiting for a token when the page goes is never sent.
  if (getToken) bearer(false).catch(() => {});
  const onHide = () => queue.length && flush();
  for (const type of Object.keys(STAGES)) target?.addEventListener(type, listen);
  globalThis.addEventListener?.('pagehide', onHide);

  return {
    flush,
    /** The events not yet taken by the server. */
    pending: () => [...queue],
    /** Stops listening and posts what is queued. */
    close() {
      for (const type of Object.keys(STAGES)) target?.removeEventListener(type, listen);
      globalThis.removeEventListener?.('pagehide', onHide);
      return flush();
    },
  };
}
