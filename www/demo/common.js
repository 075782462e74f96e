// What both demo pages share: the scenario's users and a switcher that remembers the choice,
// one engine session per chosen user (seeded with generated telemetry on first sight), a reset,
// and a log of the adapter's events so a visitor sees what a host would receive.

import { fetchManifests, load, session } from '../inflow.js';
import { localSink } from '../sinks/local.js';
import { indexedDbStorage } from '../storage.js';
import { formatDate, formatMoney } from '../format.js';
import { seedState, spendOf } from './telemetry.js';

const KEY = 'inflow.demo.user';
const MANIFESTS = '/manifests/';
const storage = earlyRead(indexedDbStorage(), localStorage.getItem(KEY) ?? 'u-rep-01');
// ?sink=http delivers purchases to `inflow serve --demo` through the outbox; else the offline sink.
// Only then is the HTTP sink (and its outbox) fetched: it is not on the way to the first offers.
const HTTP_SINK = new URLSearchParams(location.search).get('sink') === 'http';
const httpSinkModule = HTTP_SINK ? import('../sinks/http.js') : null;
// With the server, the funnel the page sees (offers shown, opened, tried, bought) goes to its insights.
const funnelModule = HTTP_SINK ? import('../sinks/funnel.js') : null;
const demoToken = (id) => async () => {
  const res = await fetch(`/v1/demo/token?user=${encodeURIComponent(id)}`);
  if (!res.ok) throw new Error(`demo token: HTTP ${res.status}`);
  return (await res.json()).token;
};

/**
 * `storage` whose state of `id` (the user the page will most likely open first) is read now,
 * while the page and the engine load, and handed to the first session asking for it.
 */
function earlyRead(storage, id) {
  let early = { id, state: storage.get(id) };
  early.state.catch(() => {}); // a failed read is read again when asked for
  const take = (userId) => {
    const hit = early?.id === userId ? early.state : null;
    early = null;
    return hit;
  };
  return {
    get: (userId) => take(userId)?.catch(() => storage.get(userId)) ?? storage.get(userId),
    put: (userId, value) => (take(null), storage.put(userId, value)),
    delete: (userId) => (take(null), storage.delete(userId)),
    saved: (userId) => storage.saved?.(userId),
  };
}

/** `make()`'s promise, made once and shared by every caller; a failure is made again next time. */
function once(make) {
  let pending;
  return () =>
    (pending ??= make().catch((error) => {
      pending = undefined;
      throw error;
    }));
}

/** The scenario's users. */
export const users = once(async () => {
  const res = await fetch(`${MANIFESTS}users.json`);
  if (!res.ok) throw new Error(`users.json: HTTP ${res.status}`);
  return (await res.json()).users;
});

/** The manifests' text, for every user's session. */
const manifests = once(() => fetchManifests(MANIFESTS));

// The engine starts compiling, and the manifests and the users are read now, while the page
// sets itself up; the sessions below share them (a failure is shown by the elements, through
// the session).
load().catch(() => {});
manifests().catch(() => {});
users().catch(() => {});

/**
 * Runs `setup` once the document is parsed. The demo pages' scripts are `async` modules: they
 * run as soon as they arrive, so the engine's download and compile (`load()` above) start while
 * the page is still being parsed and laid out, and only the DOM work waits.
 */
export function whenParsed(setup) {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup, { once: true });
  else setup();
}

/** Formats the page's own `data-amount` / `data-date` fields with Intl. */
export function formatFields(root = document, locale = navigator.language) {
  for (const el of root.querySelectorAll('[data-amount]')) {
    el.textContent = formatMoney(el.dataset.amount, el.dataset.currency ?? 'USD', locale);
  }
  for (const el of root.querySelectorAll('[data-date]')) el.textContent = formatDate(el.dataset.date, locale);
}

const describe = (u) => {
  const a = u.attributes;
  return `${u.name} (${a.role}, ${a.department}${a.region !== 'US' ? `, ${a.region}` : ''})`;
};

/**
 * Fills `select` with the users grouped by department, selects the remembered one, and calls
 * `open(user)` now and on every change. A `reset` button forgets the user's stored state.
 */
export async function userSwitcher({ select, reset, persona, open }) {
  let list;
  try {
    list = await users();
  } catch (error) {
    open(null, error);
    return;
  }
  const groups = new Map();
  for (const u of list) {
    const dept = u.attributes.department;
    if (!groups.has(dept)) groups.set(dept, Object.assign(document.createElement('optgroup'), { label: dept }));
    const option = document.createElement('option');
    option.value = u.id;
    option.textContent = describe(u);
    groups.get(dept).append(option);
  }
  select.replaceChildren(...groups.values());
  const remembered = localStorage.getItem(KEY);
  select.value = list.some((u) => u.id === remembered) ? remembered : 'u-rep-01';
  const current = () => list.find((u) => u.id === select.value);
  const show = () => {
    const u = current();
    persona.textContent = u.attributes.persona ? `Persona: ${u.attributes.persona}` : '';
    open(u);
  };
  select.addEventListener('change', () => {
    localStorage.setItem(KEY, select.value);
    show();
  });
  reset?.addEventListener('click', async () => {
    await storage.delete(select.value);
    show();
  });
  show();
}

let previous;
let reporting;

/**
 * Opens `user`'s session for `elements`, or shows `error` (the users could not be read) in
 * them; the session's promise, or null.
 */
export function feedElements(elements, user, error) {
  if (error) {
    for (const el of elements) el.error = error;
    return null;
  }
  const s = openSession(user);
  for (const el of elements) el.session = s;
  return s;
}
/** Opens the session of `user`, closing the previous one; a promise the elements accept. */
export function openSession(user) {
  const closing = previous?.then((s) => s.close()).catch(() => {});
  reporting?.then((r) => r.close()).catch(() => {});
  reporting = funnelModule?.then((m) => m.funnelReporter({ user: user.id, getToken: demoToken(user.id) }));
  reporting?.catch(() => {});
  const opening = (async () => {
    await closing;
    // With the server, its figures: the page decides funding on what the server will verify,
    // and charges name the manifests' digests the server gives. One token for both reads; they
    // are read while the engine loads.
    const token = HTTP_SINK ? demoToken(user.id)() : null;
    token?.catch(() => {});
    const mine = HTTP_SINK ? serverView(token) : null;
    const spend = HTTP_SINK ? mine.then((m) => m?.spend ?? spendOf(user)) : spendOf(user);
    const s = await session({
      manifests: manifests(),
      user,
      storage,
      sink: HTTP_SINK ? (await httpSinkModule).httpSink({ user: user.id, getToken: demoToken(user.id) }) : localSink(),
      seed: (u, now) => seedState(u, now, 'larkspur-demo'),
      // Offline there is no server to report spend; the demo's figures stand in.
      spend,
      refs: mine?.then((m) => m?.manifests ?? null),
    });
    if (HTTP_SINK) await syncFromServer(s, token);
    return s;
  })();
  previous = opening;
  return opening;
}

/**
 * What the server says of the user (GET /v1/me/manifests): their spend to date and the
 * manifests' digests (`manifests`); null when the server is away.
 */
async function serverView(token) {
  try {
    const res = await fetch('/v1/me/manifests', { headers: { authorization: `Bearer ${await token}` } });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

/**
 * Learns what the server granted since the page last ran (an approver's approval, a purchase
 * in another tab). Offline, or with the server away, the page keeps what it knows.
 */
async function syncFromServer(s, token) {
  try {
    const res = await fetch('/v1/me/entitlements', { headers: { authorization: `Bearer ${await token}` } });
    if (!res.ok) return;
    await s.syncGrants((await res.json()).grants ?? []);
  } catch (error) {
    console.warn(`Inflow: could not sync grants from the server (${error?.message ?? error}); using the saved ones.`);
  }
}

/** Lists the adapter's `inflow:*` events in `list`, newest first, at most 20. */
export function eventLog(list) {
  const names = ['offer-shown', 'offer-opened', 'offer-dismissed', 'trial-started', 'purchase-requested', 'purchase-confirmed', 'entitlements-changed', 'charge'];
  for (const name of names) {
    document.addEventListener(`inflow:${name}`, (event) => {
      const d = event.detail ?? {};
      const what = d.module ?? d.offer?.module ?? d.record?.module ?? d.feature ?? d.offers?.map((o) => o.module).join(', ') ?? '';
      const item = document.createElement('li');
      item.textContent = `${new Date().toLocaleTimeString()} inflow:${name} ${what}`;
      list.prepend(item);
      while (list.children.length > 20) list.lastElementChild.remove();
    });
  }
}
