// The iframe host page (frame.html) for hosts that can only show the supplier's page in an
// iframe: HubSpot's iframe modal, Zendesk and Intercom apps, Visualforce. It checks who embeds
// it (./channel.js), says `inflow:hello`, waits for the parent's `inflow:init` (token, theme,
// view), loads the user's manifests from the server with that token, and shows <inflow-offers>
// or <inflow-gate> for the token's user. It reports `inflow:ready`, every adapter event as
// `inflow:event`, its height as `inflow:resize`, and problems as `inflow:error`.
// HubSpot's iframe modal cannot post messages in: there the init travels in the URL fragment
// (#token=...&view=...), which never reaches a server. The contract: docs/embedding.md.

import { session } from '../inflow.js';
import { httpSink } from '../sinks/http.js';
import { funnelReporter } from '../sinks/funnel.js';
import { indexedDbStorage, memoryStorage } from '../storage.js';
import { outbox, memoryOutboxStorage } from '../outbox.js';
import '../components/inflow-offers.js';
import '../components/inflow-gate.js';
import { channel, embedError, parentOrigin, plain, showProblem } from './channel.js';

const EVENTS = ['offer-shown', 'offer-opened', 'offer-dismissed', 'trial-started', 'purchase-requested', 'purchase-confirmed', 'entitlements-changed', 'charge'];
const THEMES = new Set(['salesforce', 'neutral']);
const main = document.getElementById('inflow');

let ch;
try {
  const { origin } = await parentOrigin();
  ch = channel(origin);
} catch (error) {
  // Nobody to tell but the person looking at the frame: no message leaves this page.
  showProblem(error, main);
  throw error;
}

let started = false;
let token;
let tokenWaiters = [];
ch.on('inflow:init', (m) => {
  if (started) throw embedError('already_started', 'inflow:init was already received; reload the frame to change the user.');
  started = true;
  return start(m).catch((error) => {
    showProblem(error, main);
    throw error; // posted as inflow:error by the channel
  });
});
ch.on('inflow:token', (m) => {
  if (typeof m.token !== 'string' || !m.token) throw embedError('token_missing', 'inflow:token needs a token.');
  token = m.token;
  for (const wake of tokenWaiters) wake(token);
  tokenWaiters = [];
});

const fromFragment = new URLSearchParams(location.hash.slice(1));
if (fromFragment.get('token')) {
  history.replaceState(null, '', location.pathname + location.search); // the token leaves the address bar
  started = true;
  start(Object.fromEntries(fromFragment)).catch((error) => {
    showProblem(error, main);
    ch.post('inflow:error', { code: typeof error.code === 'string' ? error.code : 'failed', message: error.message });
  });
} else {
  ch.post('inflow:hello', { page: 'frame' });
}

/** A fresh token from the parent (after the server refused the current one); 30 s at most. */
function askToken() {
  ch.post('inflow:token-expired', {});
  return new Promise((ok, fail) => {
    tokenWaiters.push(ok);
    setTimeout(() => fail(embedError('token_expired', 'The parent page sent no new token.')), 30_000);
  });
}

/** Validates the init message; the error names the field. */
function options(m) {
  if (typeof m.token !== 'string' || !m.token) throw embedError('token_missing', 'inflow:init needs `token`: a session token for the user, from the Inflow server.');
  const view = m.view ?? 'offers';
  if (!['offers', 'compact', 'gate'].includes(view)) throw embedError('view_invalid', `inflow:init view "${view}": use offers, compact or gate.`);
  if (view === 'gate' && (typeof m.feature !== 'string' || !m.feature)) throw embedError('feature_missing', 'inflow:init with view "gate" needs `feature`.');
  const theme = m.theme ?? 'neutral';
  if (!THEMES.has(theme)) throw embedError('theme_invalid', `inflow:init theme "${theme}": use ${[...THEMES].join(' or ')}.`);
  const max = m.max == null ? 3 : Number(m.max);
  if (!Number.isInteger(max) || max < 1 || max > 10) throw embedError('max_invalid', 'inflow:init max: a whole number from 1 to 10.');
  return { token: m.token, user: m.user, view, feature: m.feature, theme, max, surface: String(m.surface ?? 'embed'), locale: m.locale };
}

async function api(path) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) throw embedError('token_invalid', `The server refused the token: ${body.error?.message ?? 'HTTP 401'}.`);
  if (!res.ok) throw embedError(body.error?.code ?? 'server_error', `${path}: ${body.error?.message ?? `HTTP ${res.status}`}`);
  return body;
}

async function start(m) {
  const o = options(m);
  token = o.token;
  const me = await api('/v1/me/manifests');
  if (o.user && o.user !== me.user.id) {
    throw embedError('user_mismatch', `inflow:init names user ${o.user} but the token is ${me.user.id}'s.`);
  }
  const model = await fetch('/manifests/model.json').then((r) => (r.ok ? r.json() : null), () => null);
  for (const name of EVENTS) {
    document.addEventListener(`inflow:${name}`, (e) => ch.post('inflow:event', { name, detail: plain(e.detail) }));
  }
  const user = me.user;
  // A browser that blocks third-party storage refuses IndexedDB inside an iframe: the user's
  // state and the charge outbox then last as long as the frame.
  const durable = await indexedDbUsable();
  // The funnel this frame sees goes to the server's insights, with the same token.
  funnelReporter({ user: user.id, getToken: ({ refresh }) => (refresh ? askToken() : token) });
  const s = session({
    manifests: { catalog: me.catalog, contract: me.contract, policy: me.policy, model },
    user,
    locale: o.locale,
    spend: me.spend,
    refs: me.manifests,
    storage: durable ? indexedDbStorage() : memoryStorage(),
    sink: httpSink({
      user: user.id,
      getToken: ({ refresh }) => (refresh ? askToken() : token),
      ...(durable ? {} : { outbox: outbox({ storage: memoryOutboxStorage() }) }),
    }),
  });
  const el = document.createElement(o.view === 'gate' ? 'inflow-gate' : 'inflow-offers');
  el.setAttribute('theme', o.theme);
  el.setAttribute('surface', o.surface);
  if (o.view === 'gate') {
    el.setAttribute('feature', o.feature);
    el.append(Object.assign(document.createElement('p'), { textContent: 'You can use this now.' }));
  } else {
    el.setAttribute('mode', o.view === 'compact' ? 'compact' : 'panel');
    el.setAttribute('max', String(o.max));
  }
  main.dataset.user = user.id;
  main.replaceChildren(el);
  el.session = s;
  const ready = await s;
  const grants = await api('/v1/me/entitlements').catch(() => null);
  if (grants?.grants) await ready.syncGrants(grants.grants);
  watchHeight();
  ch.post('inflow:ready', { user: user.id, view: o.view });
}

/** Whether this frame may use IndexedDB (a probe database of its own). */
function indexedDbUsable() {
  return new Promise((ok) => {
    try {
      const req = indexedDB.open('inflow-probe');
      req.onsuccess = () => {
        req.result.close();
        ok(true);
      };
      req.onerror = () => ok(false);
    } catch {
      ok(false);
    }
  });
}

/** Posts the page's height whenever it changes, so the parent can size the iframe. */
function watchHeight() {
  let last = 0;
  const report = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    ch.post('inflow:resize', { height });
  };
  new ResizeObserver(report).observe(document.documentElement);
  report();
}
