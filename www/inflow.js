// The adapter between host pages and the engine: the ONLY module that imports ../pkg/inflow.js.
// It loads the WebAssembly once, opens one session per user (restoring and persisting that
// user's state), hands charge records to a sink, and tells the page what happened through DOM
// CustomEvents named `inflow:*`. See docs/js-api.md for the Engine it wraps.

import { indexedDbStorage } from './storage.js';
import { randomId } from './random-id.js';

const PKG = '../pkg/inflow.js';
const LOG_MAX = 500;

/** An Error with a stable `code`, like the engine's InflowError. */
export function inflowError(code, message, cause) {
  const e = new Error(message, cause ? { cause } : undefined);
  e.name = 'InflowError';
  e.code = code;
  return e;
}

let loading;

/** The default fallback: the wasm2js build, imported only when the wasm cannot run. */
const jsEngine = () => import('./fallback.js').then((m) => m.loadFallback());

/**
 * Initialises the engine once per page; later calls share the same promise. A failed load
 * may be retried. Where the browser has no WebAssembly or the page's Content Security Policy
 * refuses it, `fallback()` (default: the wasm2js build through ./fallback.js, never loaded
 * when the wasm runs) supplies the same engine as JavaScript; `fallback: null` turns that
 * off. Rejects with `code: "wasm_unavailable"` when neither runs.
 */
export function load({ wasmUrl, wasmBytes, fallback = jsEngine } = {}) {
  loading ??= instantiate(wasmUrl, wasmBytes)
    .catch((e) => (e?.code === 'wasm_unavailable' && fallback ? viaFallback(e, fallback) : Promise.reject(e)))
    .catch((e) => {
      loading = undefined;
      throw e;
    });
  return loading;
}

/** The fallback's engine, or the wasm's refusal with why the fallback did not load either. */
async function viaFallback(refusal, fallback) {
  try {
    return await fallback();
  } catch (e) {
    throw inflowError('wasm_unavailable', `${refusal.message} (The JavaScript build could not be loaded either: ${e?.message ?? e}.)`, e);
  }
}

async function instantiate(wasmUrl, wasmBytes) {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    throw inflowError('wasm_unavailable', 'This browser does not run WebAssembly, which Inflow needs.');
  }
  // The wasm is asked for before the glue is imported, not after: its response is read in
  // tasks of its own, which then run as soon as the page's current script ends.
  const bytes = wasmBytes ?? download(wasmUrl ?? new URL('../pkg/inflow_bg.wasm', import.meta.url));
  bytes.catch?.(() => {}); // reported below, unless the glue failed first
  let pkg;
  try {
    pkg = await import(PKG);
  } catch (e) {
    throw inflowError('engine_missing', `The Inflow engine (${PKG}) could not be loaded: ${e.message}`, e);
  }
  const module_or_path = await bytes;
  try {
    await pkg.default({ module_or_path });
  } catch (e) {
    const refused = /Content Security Policy|unsafe-eval|wasm-eval|refused/i.test(String(e?.message));
    if (refused || e instanceof WebAssembly.CompileError || e instanceof WebAssembly.LinkError) {
      throw inflowError(
        'wasm_unavailable',
        refused
          ? "This page's Content Security Policy does not allow WebAssembly; " +
              "the site needs script-src 'wasm-unsafe-eval' for Inflow to run."
          : `The Inflow engine could not start in this browser: ${e.message}`,
        e,
      );
    }
    throw inflowError('wasm_fetch_failed', `The Inflow engine could not be downloaded: ${e.message}`, e);
  }
  return pkg;
}

/**
 * The wasm's bytes, whole. The module is compiled from them (`WebAssembly.instantiate`), not
 * while they stream in: V8 then decodes the module on a background thread, where a streamed
 * one is decoded on the page's main thread as its chunks arrive, and a page load waits on the
 * main thread (traces of the CRM demo page, 8 rounds: 4.7–7.6 ms of main thread streamed,
 * 1.4–2.3 ms whole). Compiling is lazy either way (each function at its first call), so
 * streaming saved no wait; nor did Chromium's code cache of streamed modules, which kept
 * none of the functions a page load runs (see the README's browser figures).
 */
async function download(url) {
  const failed = (why, cause) =>
    inflowError('wasm_fetch_failed', `The Inflow engine could not be downloaded from ${url}: ${why}`, cause);
  let res;
  try {
    res = await fetch(url);
    if (res.ok) return await res.arrayBuffer();
  } catch (e) {
    throw failed(e.message, e);
  }
  throw failed(`HTTP ${res.status}.`);
}

/**
 * The manifests in the folder at `url`, as the Engine takes them: catalog, contract and policy,
 * and the propensity model when the folder has one (without it, offers rank by popularity only
 * and buy suggestions are rare). They stay JSON text: the engine parses text itself (with the
 * server's grammar, paths and messages, in one copy into its memory), so objects would only be
 * written out again for it. A page may start this early and hand the promise to `session()` as
 * `manifests`: the files are then read while the page sets up, and once for all its sessions.
 */
export async function fetchManifests(url) {
  const base = new URL(String(url).replace(/\/?$/, '/'), globalThis.location?.href);
  const get = async (name, optional = false) => {
    const res = await fetch(new URL(`${name}.json`, base));
    if (optional && res.status === 404) return null;
    if (!res.ok) throw inflowError('manifests_unavailable', `${name}.json: HTTP ${res.status}`);
    return res.text();
  };
  const [catalog, contract, policy, model] = await Promise.all([
    get('catalog'),
    get('contract'),
    get('policy'),
    get('model', true),
  ]);
  return { catalog, contract, policy, model };
}

/** The session's manifests: given (objects, text, or a promise of them), or fetched from a folder. */
async function resolveManifests(manifests, manifestsUrl) {
  if (manifests) return manifests;
  if (!manifestsUrl) throw inflowError('manifests_missing', 'session() needs manifests or manifestsUrl.');
  return fetchManifests(manifestsUrl);
}

/** A User Timing mark `inflow:<name>` (see the browser figures in the README); free when unread. */
const mark = (name) => globalThis.performance?.mark?.(`inflow:${name}`);

const asClock = (now) =>
  typeof now === 'function' ? now : typeof now === 'number' ? () => now : () => Date.now();

/**
 * Opens an engine session for one user.
 *
 * - `manifests` `{ catalog, contract, policy, model? }` (or a promise of them, e.g. from
 *   `fetchManifests`), or `manifestsUrl` (a folder holding the JSON files; `model.json` is optional)
 * - `user` `{ id, name, attributes }`
 * - `now` a clock `() => ms`, or a fixed ms; default `Date.now`
 * - `sink` `{ async deliver(chargeRecord) → receipt }`; a receipt with a `grant` entitles now
 * - `storage` `{ get, put, saved? }` keyed by user id; default IndexedDB database `inflow`.
 *   `saved(id)`, when given, answers at once whether the storage ever saved that user: `false`
 *   lets a first visit start without waiting for the storage (see `restore` below)
 * - `target` where `inflow:*` events are dispatched; default `document`
 * - `locale` for display; default the user's `locale` attribute or the browser's
 * - `seed(user, nowMs)` initial engine state for a user never seen before (demo telemetry)
 * - `spend` what the user and their funding sources spent this period, as the server reports it
 *   (`{ by_source, by_user, user_month_total }`, decimal strings), or a promise of it (awaited
 *   with the engine's load, not before it); none offline
 * - `refs` the manifests' versions and digests as the server reports them (the `manifests` of
 *   `GET /v1/me/manifests`), or a promise of them (`manifests.refs` works as well): charge
 *   records carry them, so the server can tell a page priced from other manifests by their
 *   content; without them records name the versions only, and the server compares those.
 */
export async function session(options) {
  const { user, sink, seed } = options;
  if (!user?.id) throw inflowError('user_missing', 'session() needs a user with an id.');
  const clock = asClock(options.now);
  const storage = options.storage ?? indexedDbStorage();
  const target = options.target ?? globalThis.document ?? null;
  const locale =
    options.locale ?? user.attributes?.locale ?? globalThis.navigator?.language ?? 'en-US';

  // The engine, the manifests and the saved state load at once, not one after another; a
  // first visit's seed is made while the wasm still compiles. When the storage knows at once
  // that it never saved this user (`saved(id) === false`: a first visit), the session starts
  // fresh without waiting for it (IndexedDB takes tens of ms to create its database); its own
  // answer (`confirming`) is awaited before the session changes or writes anything, and a
  // state it holds after all (saved before the storage kept count) is taken up then.
  let confirming = null;
  const confirm = () => {
    confirming = Promise.resolve(storage.get(user.id));
    confirming.catch(() => {}); // reported by the change that awaits it
  };
  const restore = async () => {
    const unsaved = storage.saved?.(user.id) === false;
    if (unsaved) confirm();
    const stored = unsaved ? null : await storage.get(user.id);
    mark('state-restored');
    if (stored) return { saved: stored, fresh: false };
    const engine = seed ? await seed(user, clock()) : {};
    if (seed) mark('seeded');
    return { saved: { engine, log: [] }, fresh: true };
  };
  const [pkg, manifests, { saved, fresh }, spend, refs] = await Promise.all([
    load(options).then((p) => (mark('wasm-ready'), p)),
    resolveManifests(options.manifests, options.manifestsUrl).then((m) => (mark('manifests-ready'), m)),
    restore(),
    options.spend,
    options.refs,
  ]);
  mark('inputs-ready');
  const open = (state) => new pkg.Engine({ ...manifests, refs: refs ?? manifests.refs ?? null }, user, state ?? {}, spend);
  let engine = open(saved.engine);
  mark('engine-created');
  let log = saved.log ?? [];
  const shown = new Set();

  /**
   * Resolves once the session's state is the stored one: at once, unless it started fresh on
   * the storage's word (above) and the storage's answer is still to come. A state found then
   * replaces the fresh one (nothing was written or changed before: every change waits here).
   */
  const settled = () =>
    (confirming ??= Promise.resolve(null)).then(
      (stored) => {
        if (!stored) return;
        confirming = Promise.resolve(null);
        engine.free?.();
        engine = open(stored.engine);
        log = stored.log ?? [];
        emit('entitlements-changed', { restored: true });
      },
      (error) => {
        confirm(); // the next change asks again; this one fails rather than risk a saved state
        throw error;
      },
    );

  let writing = Promise.resolve();
  let queued = null;
  /**
   * Queues a write of the state; writes happen in call order. The state is read when the
   * write starts, in a later task: the page renders first, and calls made meanwhile (the
   * elements noting what they showed) share one write.
   */
  const persist = () => {
    queued ??= writing = writing
      .catch(() => {}) // a failed write (reported to its caller) does not stop later ones
      .then(() => new Promise((resolve) => setTimeout(resolve)))
      .then(() => {
        queued = null; // later calls queue a write of their own, also when this one fails
        return settled();
      })
      .then(() => {
        const value = { engine: engine.state(), log: log.slice(-LOG_MAX), savedAt: clock() };
        return storage.put(user.id, value);
      });
    return queued;
  };
  const emit = (name, detail) =>
    target?.dispatchEvent(new CustomEvent(`inflow:${name}`, { detail: { user: user.id, ...detail } }));
  const note = (action, module, surface) => log.push({ action, module, surface, at: clock() });

  // A first visit's state (the seed) is written once, after the first render, not before it.
  if (fresh) persist().catch(() => {});
  // The catalog as an object, for labels: parsed when first asked for, not on the way to the offers.
  let catalogObject;
  const catalog = () =>
    (catalogObject ??= typeof manifests.catalog === 'string' ? JSON.parse(manifests.catalog) : manifests.catalog);

  return {
    user,
    locale,
    /** The catalog's module (id, name, tagline, ...) for labels; undefined when unknown. */
    module: (id) => catalog()?.modules?.find((m) => m.id === id),
    offers: ({ max } = {}) => engine.offers(max ?? 5, clock()),

    /**
     * The offer of one module, for a gate: the ranked offer when there is one, otherwise the
     * module as the catalog describes it, priced and funded by a dry-run checkout (nothing is
     * recorded). Null when the user may not buy it (not offered to them, or already theirs).
     */
    offerFor(module, { surface } = {}) {
      const now = clock();
      const ranked = engine.offers(50, now).find((o) => o.module === module && o.kind === 'buy');
      if (ranked) return ranked;
      const m = catalog()?.modules?.find((x) => x.id === module);
      if (!m || engine.owned(now).includes(module)) return null;
      let record;
      try {
        record = engine.checkout({ id: `preview-${module}`, module, surface }, now);
      } catch {
        return null;
      }
      let trial_days = null;
      try {
        if (m.trial_days) engine.checkout({ id: `preview-trial-${module}`, module, kind: 'trial', surface }, now);
        trial_days = m.trial_days ?? null;
      } catch {
        trial_days = null;
      }
      const line = record.lines.find((l) => l.module === module) ?? record.lines[0];
      const plan = m.plans?.find((p) => p.id === record.plan);
      return {
        module,
        name: m.name,
        tagline: m.tagline ?? '',
        description: m.description ?? '',
        kind: 'buy',
        reason: { reasons: [], text: '' },
        price: {
          plan: record.plan,
          period: plan?.period ?? null,
          unit: line?.unit ?? '',
          quantity: line?.quantity ?? '1',
          amount: line?.net_amount ?? record.total,
          currency: record.currency,
          requires: record.lines.filter((l) => l.module !== module).map((l) => l.module),
        },
        funding: record.funding,
        trial_days,
      };
    },
    quote: (request) => engine.quote(request, clock()),
    check: (feature) => engine.check(feature, clock()),
    advise: (request) => engine.advise(request),
    state: () => engine.state(),

    /** Notes that offers were displayed; each module once per session and surface. */
    async shown(offers, surface) {
      await settled();
      const added = offers.filter((o) => !shown.has(`${surface}\u0000${o.module}`));
      if (!added.length) return;
      for (const o of added) {
        shown.add(`${surface}\u0000${o.module}`);
        note('shown', o.module, surface);
      }
      emit('offer-shown', { offers: added, surface });
      await persist();
    },

    /** Notes that the user opened an offer (e.g. its purchase confirmation). */
    async opened(offer, surface) {
      await settled();
      note('opened', offer.module, surface);
      emit('offer-opened', { offer, surface });
      await persist();
    },

    /**
     * Records use of a feature. A use refused at its limit throws `limit_exceeded`; the
     * refusal is still kept (it is a signal) and the elements are told to show what unlocks it.
     */
    async recordUsage(feature, amount = 1) {
      await settled();
      const before = engine.check(feature, clock());
      let check;
      try {
        check = engine.recordUsage(feature, String(amount), clock());
      } catch (error) {
        await persist();
        if (error?.code === 'limit_exceeded') emit('entitlements-changed', { feature, check: engine.check(feature, clock()) });
        throw error;
      }
      await persist();
      if (before.allowed !== check.allowed) emit('entitlements-changed', { feature, check });
      return check;
    },

    async dismiss(module, surface) {
      await settled();
      engine.dismiss(module, clock());
      note('dismissed', module, surface);
      await persist();
      emit('offer-dismissed', { module, surface });
    },

    async startTrial(module, surface) {
      await settled();
      const record = engine.checkout({ id: randomId(), module, kind: 'trial', offer: module, surface }, clock());
      if (sink) await sink.deliver(record);
      const grant = engine.apply(record);
      note('trial', module, surface);
      await persist();
      emit('trial-started', { module, grant, surface });
      emit('entitlements-changed', { module, grant });
      return grant;
    },

    /**
     * Buys a module: the engine prices and decides funding and returns a charge record; the
     * sink delivers it and answers with a receipt. Resolves to `{ record, receipt }`.
     * `paymentToken`: for a purchase paid by card, what the supplier's own checkout page
     * collected (never a card field inside a CRM host's page).
     */
    async checkout({ module, plan, quantity, offer, surface, paymentToken }) {
      await settled();
      if (!sink) throw inflowError('sink_missing', 'This session has no sink to deliver purchases to.');
      const intent = { id: randomId(), module, plan, offer: offer?.module, surface };
      if (quantity != null) intent.quantity = String(quantity);
      const record = engine.checkout(intent, clock());
      note('purchase', module, surface);
      await persist();
      emit('purchase-requested', { record, surface });
      const receipt = await sink.deliver(record, paymentToken ? { paymentToken } : undefined);
      // The local sink answers `confirmed`; the server `recorded` (approved purchases too).
      const confirmed = receipt?.status === 'confirmed' || receipt?.status === 'recorded';
      const grant = confirmed ? engine.apply(record) : null;
      if (grant) await persist();
      if (confirmed) emit('purchase-confirmed', { record, receipt, surface });
      if (grant) emit('entitlements-changed', { module, grant });
      return { record, receipt };
    },

    /**
     * Adds the server's grants (GET /v1/me/entitlements: an approved purchase, one bought in
     * another tab) to the engine's, replacing those with the same id; keeps the others (trials,
     * the seeded demo grants). Emits `entitlements-changed` when something was added.
     */
    async syncGrants(grants) {
      await settled();
      if (!Array.isArray(grants) || !grants.length) return false;
      const current = engine.state().grants ?? [];
      const ids = new Set(grants.map((g) => g.id));
      const added = grants.filter((g) => !current.some((c) => c.id === g.id));
      if (!added.length) return false;
      engine.setGrants([...current.filter((g) => !ids.has(g.id)), ...grants]);
      await persist();
      emit('entitlements-changed', { grants: added });
      return true;
    },

    /** Waits for pending writes and releases the engine's memory. */
    async close() {
      await writing;
      sink?.close?.();
      engine.free?.();
    },
  };
}
