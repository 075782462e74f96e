// The HTTP sink: delivers charge records to the Inflow server (POST /v1/charges) through the
// persisted outbox (../outbox.js). A record is written to the outbox before it is sent, then
// sent (always the stored body, so one id never goes out with two bodies) and retried with
// exponential backoff and jitter on network errors, timeouts, 5xx, 408 and 429 until the
// server acknowledges it; 4xx refusals are final. The server is idempotent by the record's id,
// so a retry of an answer lost on the way back returns the first receipt.
//
// On creation the sink resumes the outbox's pending entries (a reload, a crash, a closed tab);
// `flush()` retries the due ones and picks up entries written by other tabs; the browser's
// `online` event retries all of them at once.
//
// The receipt is the server's: { charge_id, status: "recorded" | "pending_approval", route,
// total, currency, source, text, grant? }. A refusal rejects deliver() with an Error carrying
// the server's `code` and `message` (and `status`, `kind`: "declined" | "failed").
//
// Every change of a charge's state is a `charge` event on the sink (an EventTarget) and an
// `inflow:charge` event on `target` (default `document`), detail:
//   { id, user, state, ui, attempts, nextAt?, receipt?, error? }
// with `state` one of queued, sending, retrying, recorded, pending_approval, declined, failed
// and `ui` the element state: pending, approved, declined or failed (see uiState).

import { outbox as openOutbox, outboxError } from '../outbox.js';

/** Refusal codes that mean "no" on the merits (the element shows "declined"). */
export const DECLINED = new Set([
  'card_declined',
  'insufficient_funds',
  'expired_card',
  'incorrect_cvc',
  'over_budget',
  'over_cap',
  'not_offered',
  'funding_not_allowed',
  'denied',
]);

/** Backoff defaults: 0.5 s doubling to 30 s, each delay cut by up to half at random. */
export const BACKOFF = Object.freeze({ base: 500, factor: 2, max: 30_000, jitter: 0.5 });

/**
 * The delay in ms before retry number `attempt` (1 = the first retry):
 * min(max, base · factor^(attempt−1)), lowered by a random part of up to `jitter` of it
 * ("equal jitter": never below (1 − jitter) of the step). A server's Retry-After (ms) is
 * honoured up to `max`.
 */
export function backoffDelay(attempt, { base, factor, max, jitter } = BACKOFF, random = Math.random, retryAfterMs) {
  const n = Math.max(1, Math.floor(attempt));
  const step = Math.min(max, base * factor ** (n - 1));
  const delay = step * (1 - jitter * random());
  const floor = retryAfterMs > 0 ? Math.min(max, retryAfterMs) : 0;
  return Math.round(Math.max(delay, floor));
}

/** Retry-After (seconds or an HTTP date) in ms, or undefined. */
export function retryAfterMs(value, now = Date.now()) {
  if (value == null || value === '') return undefined;
  const s = Number(value);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/**
 * What to do with a response: `{ kind: "ack", receipt }`, `{ kind: "retry", error }`, or
 * `{ kind: "refuse", error }`. `status` is the HTTP status (0 or absent for a network error),
 * `body` the parsed JSON body (or undefined). `error` is `{ code, message, status }`.
 */
export function classify({ status, body, networkError } = {}) {
  if (networkError || !status) {
    return {
      kind: 'retry',
      error: { code: 'network', message: `The server could not be reached: ${networkError?.message ?? 'no answer'}` },
    };
  }
  const server = body?.error;
  const error = {
    code: String(server?.code ?? `http_${status}`),
    message: String(server?.message ?? `The server answered HTTP ${status}.`),
    status,
  };
  if (status >= 200 && status < 300) {
    if (body && typeof body === 'object' && typeof body.status === 'string') return { kind: 'ack', receipt: body };
    // A 2xx without a receipt is not the Inflow server (a proxy, a captive portal): try again.
    return { kind: 'retry', error: { code: 'bad_answer', message: `HTTP ${status} without a receipt.`, status } };
  }
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', error };
  if (status === 401) return { kind: 'auth', error };
  return { kind: 'refuse', error };
}

/** Whether a refusal is a "declined" (on the merits) or a "failed" (the record is unusable). */
export const refusalKind = (code) => (DECLINED.has(code) ? 'declined' : 'failed');

/** The element state for a charge state. */
export function uiState(state) {
  if (state === 'recorded') return 'approved';
  if (state === 'declined' || state === 'failed') return state;
  return 'pending';
}

/** The Error deliver() rejects with for a refusal. */
export function refusalError(error) {
  const kind = refusalKind(error.code);
  return outboxError(error.code, error.message, { status: error.status, kind });
}

/**
 * `httpSink(options)`:
 * - `baseUrl` the server's origin (and path prefix); default the page's origin
 * - `token` a bearer token, or `getToken({ refresh })` → token (called again after a 401)
 * - `outbox` from ../outbox.js; default the IndexedDB outbox
 * - `user` resume only this user's pending entries (a token acts for one user only)
 * - `fetch`, `now`, `random`, `setTimeout`, `clearTimeout`, `locks` (default navigator.locks) for tests
 * - `backoff` `{ base, factor, max, jitter }` overriding BACKOFF
 * - `timeout` ms per request (default 15 000; 0 for none); `resume` false to not resume on creation
 * - `target` also gets `inflow:charge` events (default `document`); `onChange(detail)` a callback
 */
export function httpSink(options = {}) {
  const {
    baseUrl,
    token,
    getToken,
    user,
    now = () => Date.now(),
    random = Math.random,
    timeout = 15_000,
    resume = true,
    onChange,
  } = options;
  const fetchFn = options.fetch ?? globalThis.fetch?.bind(globalThis);
  const setTimer = options.setTimeout ?? globalThis.setTimeout.bind(globalThis);
  const clearTimer = options.clearTimeout ?? globalThis.clearTimeout.bind(globalThis);
  const box = options.outbox ?? openOutbox({ now });
  const backoff = { ...BACKOFF, ...options.backoff };
  const target = options.target === undefined ? globalThis.document ?? null : options.target;
  const events = new EventTarget();
  const url = chargesUrl(baseUrl);

  const running = new Map(); // id → promise of the receipt
  const sleepers = new Map(); // id → wake()
  let cachedToken;
  let closed = false;

  const emit = (entry, state, extra = {}) => {
    const detail = {
      id: entry.id,
      user: entry.user,
      state,
      ui: uiState(state),
      attempts: entry.attempts,
      ...extra,
    };
    events.dispatchEvent(new CustomEvent('charge', { detail }));
    target?.dispatchEvent?.(new CustomEvent('inflow:charge', { detail }));
    try {
      onChange?.(detail);
    } catch (e) {
      queueMicrotask(() => {
        throw e;
      });
    }
  };

  const bearer = async (refresh) => {
    if (getToken) {
      if (refresh || cachedToken == null) cachedToken = await getToken({ refresh: !!refresh });
      return cachedToken;
    }
    return token;
  };

  const locks = options.locks === undefined ? globalThis.navigator?.locks ?? null : options.locks;
  const exclusive = (id, fn) => (locks ? locks.request(`inflow-outbox:${id}`, fn) : fn());

  const sleep = (id, ms) =>
    new Promise((resolve) => {
      const timer = setTimer(wake, Math.max(0, ms));
      function wake() {
        clearTimer(timer);
        sleepers.delete(id);
        resolve();
      }
      sleepers.set(id, wake);
    });

  /** One POST of the stored body; the classified outcome. */
  async function attempt(entry, refreshToken) {
    let bearerToken;
    try {
      bearerToken = await bearer(refreshToken);
    } catch (e) {
      return { kind: 'retry', error: { code: 'token_unavailable', message: `No session token: ${e?.message ?? e}` } };
    }
    const controller = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = controller && timeout > 0 ? setTimer(() => controller.abort(), timeout) : null;
    try {
      const headers = { 'content-type': 'application/json', accept: 'application/json' };
      if (bearerToken) headers.authorization = `Bearer ${bearerToken}`;
      const res = await fetchFn(url, {
        method: 'POST',
        headers,
        body: entry.body,
        signal: controller?.signal,
        keepalive: entry.body.length < 60_000,
        credentials: 'omit',
      });
      const text = await res.text();
      let body;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      const outcome = classify({ status: res.status, body });
      outcome.retryAfter = retryAfterMs(res.headers?.get?.('retry-after'), now());
      return outcome;
    } catch (networkError) {
      return classify({ networkError });
    } finally {
      if (timer != null) clearTimer(timer);
    }
  }

  /** Drives one entry until it is acknowledged or refused; resolves to the receipt. */
  async function drive(id) {
    let refreshToken = false;
    for (;;) {
      let entry = await box.get(id);
      if (!entry) throw outboxError('outbox_missing', `No charge ${id} in the outbox.`);
      if (entry.state === 'acked') return entry.receipt;
      if (entry.state === 'failed') throw refusalError(entry.error);
      if (closed) throw outboxError('sink_closed', 'The sink was closed; the charge stays in the outbox.');
      const wait = entry.nextAt - now();
      if (wait > 0) {
        await sleep(id, wait);
        continue; // re-read: another tab may have settled it meanwhile
      }
      // One request per id at a time across this origin's tabs (Web Locks, where present),
      // its outcome written before the lock is released: a tab that waited for the lock
      // re-reads the entry, which the other tab may have settled or rescheduled.
      const step = await exclusive(id, async () => {
        const fresh = await box.get(id);
        if (fresh?.state !== 'pending' || fresh.nextAt > now()) return null;
        emit(fresh, 'sending');
        const outcome = await attempt(fresh, refreshToken);
        refreshToken = false;
        if (outcome.kind === 'auth' && getToken && fresh.attempts < 50) {
          // The token expired or was replaced: fetch a new one and try again, with backoff.
          refreshToken = true;
          outcome.kind = 'retry';
        }
        if (outcome.kind === 'ack') return { outcome, entry: await box.ack(id, outcome.receipt) };
        if (outcome.kind === 'retry') {
          const delay = backoffDelay(fresh.attempts + 1, backoff, random, outcome.retryAfter);
          return { outcome, entry: await box.retry(id, outcome.error, now() + delay) };
        }
        // A refusal (401 without a way to refresh the token, 403, 404, 409, 422, ...).
        return { outcome, entry: await box.fail(id, outcome.error) };
      });
      if (!step) continue;
      const { outcome } = step;
      entry = step.entry;
      if (outcome.kind === 'ack') {
        const receipt = entry.receipt ?? outcome.receipt;
        emit(entry, receipt.status === 'pending_approval' ? 'pending_approval' : 'recorded', { receipt });
        return receipt;
      }
      if (outcome.kind === 'retry') {
        if (entry.state === 'pending') emit(entry, 'retrying', { nextAt: entry.nextAt, error: outcome.error });
        continue;
      }
      if (entry.state === 'failed') {
        emit(entry, refusalKind(entry.error.code), { error: entry.error });
        throw refusalError(entry.error);
      }
    }
  }

  const run = (id) => {
    if (!running.has(id)) {
      const p = drive(id).finally(() => running.delete(id));
      running.set(id, p);
    }
    return running.get(id);
  };

  /** Resumes every pending entry in the background; wakes the due (or `all`) ones. */
  async function flush({ all = false } = {}) {
    const entries = await box.pending({ user });
    const at = now();
    for (const e of entries) {
      if (all && e.nextAt > at) await box.wake(e.id);
      if (running.has(e.id)) {
        if (all || e.nextAt <= at) sleepers.get(e.id)?.();
      } else {
        run(e.id).catch(() => {}); // the outcome is reported through events
      }
    }
    return entries.length;
  }

  const online = () => flush({ all: true }).catch(() => {});
  globalThis.addEventListener?.('online', online);
  const resumed = resume ? flush().catch(() => 0) : Promise.resolve(0);

  return {
    /**
     * Writes `record` (with `paymentToken` for a card purchase) to the outbox and delivers it;
     * resolves to the server's receipt, rejects
     * with the server's refusal (`code`, `message`), or with `outbox_conflict` when the id is
     * already in the outbox with another body.
     */
    async deliver(record, { paymentToken } = {}) {
      // A card purchase travels as { record, payment_token }: the token is not part of the
      // record nor of its idempotency digest. In production the token is the payment method id
      // the supplier's own checkout page (Stripe Elements, the supplier's origin) created, never
      // a card number typed into a CRM host's DOM; only the demo's test processor takes Stripe's
      // test card numbers as tokens.
      const body = paymentToken
        ? { id: record.id, user: record.user, record, payment_token: String(paymentToken) }
        : record;
      const entry = await box.put(body);
      if (entry.state === 'acked') return entry.receipt;
      if (entry.state === 'failed') throw refusalError(entry.error);
      if (!running.has(entry.id)) emit(entry, 'queued');
      return run(entry.id);
    },

    /** Retries the due pending entries now (`{ all: true }`: every pending one). */
    flush,

    /** Resolves once the entries pending at creation were picked up; their count. */
    resumed,

    /** The pending entries (this user's when the sink has one). */
    pending: () => box.pending({ user }),

    /** The entry of a charge id: its state, attempts, receipt or error. */
    status: (id) => box.get(id),

    /** The outbox this sink writes to. */
    outbox: box,

    addEventListener: (...a) => events.addEventListener(...a),
    removeEventListener: (...a) => events.removeEventListener(...a),

    /** Stops retrying (pending entries stay in the outbox for the next sink). */
    close() {
      closed = true;
      globalThis.removeEventListener?.('online', online);
      for (const wake of [...sleepers.values()]) wake();
    },
  };
}

/** POST URL of the charges endpoint under `baseUrl` (default: this page's origin). */
export function chargesUrl(baseUrl) {
  if (!baseUrl) return globalThis.location ? new URL('/v1/charges', globalThis.location.href).href : '/v1/charges';
  return `${String(baseUrl).replace(/\/+$/, '')}/v1/charges`;
}

