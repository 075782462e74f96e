// What both demo pages share: the scenario's users and a switcher that remembers the choice,
// one engine session per chosen user (seeded with generated telemetry on first sight), a reset,
// and a log of the adapter's events so a visitor sees what a host would receive.

import { session } from '../inflow.js';
import { localSink } from '../sinks/local.js';
import { indexedDbStorage } from '../storage.js';
import { formatDate, formatMoney } from '../format.js';
import { seedState } from './telemetry.js';

const KEY = 'inflow.demo.user';
const MANIFESTS = '/manifests/';
const storage = indexedDbStorage();

export async function users() {
  const res = await fetch(`${MANIFESTS}users.json`);
  if (!res.ok) throw new Error(`users.json: HTTP ${res.status}`);
  return (await res.json()).users;
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
/** Opens the session of `user`, closing the previous one; a promise the elements accept. */
export function openSession(user) {
  const closing = previous?.then((s) => s.close()).catch(() => {});
  const opening = (async () => {
    await closing;
    return session({
      manifestsUrl: MANIFESTS,
      user,
      storage,
      sink: localSink(),
      seed: (u, now) => seedState(u, now, 'larkspur-demo'),
    });
  })();
  previous = opening;
  return opening;
}

/** Lists the adapter's `inflow:*` events in `list`, newest first, at most 20. */
export function eventLog(list) {
  const names = ['offer-shown', 'offer-opened', 'offer-dismissed', 'trial-started', 'purchase-requested', 'purchase-confirmed', 'entitlements-changed'];
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
