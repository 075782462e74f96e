// The adapter between host pages and the engine: the ONLY module that imports ../pkg/inflow.js.
// It loads the WebAssembly once, opens one session per user (restoring and persisting that
// user's state), hands charge records to a sink, and tells the page what happened through DOM
// CustomEvents named `inflow:*`. See docs/js-api.md for the Engine it wraps.

import { indexedDbStorage } from './storage.js';

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

/**
 * Initialises the engine once per page; later calls share the same promise. A failed load
 * may be retried. Rejects with `code: "wasm_unavailable"` when the browser has no
 * WebAssembly or the page's Content Security Policy refuses it.
 */
export function load({ wasmUrl, wasmBytes } = {}) {
  loading ??= instantiate(wasmUrl, wasmBytes).catch((e) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

async function instantiate(wasmUrl, wasmBytes) {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    throw inflowError('wasm_unavailable', 'This browser does not run WebAssembly, which Inflow needs.');
  }
  let pkg;
  try {
    pkg = await import(PKG);
  } catch (e) {
    throw inflowError('engine_missing', `The Inflow engine (${PKG}) could not be loaded: ${e.message}`, e);
  }
  const module_or_path = wasmBytes ?? wasmUrl ?? new URL('../pkg/inflow_bg.wasm', import.meta.url);
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

/** The three manifests the Engine takes, from objects or fetched from a base URL. */
async function resolveManifests(manifests, manifestsUrl) {
  if (manifests) return manifests;
  if (!manifestsUrl) throw inflowError('manifests_missing', 'session() needs manifests or manifestsUrl.');
  const base = String(manifestsUrl).replace(/\/?$/, '/');
  const get = async (name) => {
    const res = await fetch(new URL(`${name}.json`, new URL(base, globalThis.location?.href)));
    if (!res.ok) throw inflowError('manifests_unavailable', `${name}.json: HTTP ${res.status}`);
    return res.json();
  };
  const [catalog, contract, policy] = await Promise.all(['catalog', 'contract', 'policy'].map(get));
  return { catalog, contract, policy };
}

const asClock = (now) =>
  typeof now === 'function' ? now : typeof now === 'number' ? () => now : () => Date.now();

/**
 * Opens an engine session for one user.
 *
 * - `manifests` `{ catalog, contract, policy }` or `manifestsUrl` (a folder holding the JSON files)
 * - `user` `{ id, name, attributes }`
 * - `now` a clock `() => ms`, or a fixed ms; default `Date.now`
 * - `sink` `{ async deliver(chargeRecord) → receipt }`; a receipt with a `grant` entitles now
 * - `storage` `{ get, put }` keyed by user id; default IndexedDB database `inflow`
 * - `target` where `inflow:*` events are dispatched; default `document`
 * - `locale` for display; default the user's `locale` attribute or the browser's
 * - `seed(user, nowMs)` initial engine state for a user never seen before (demo telemetry)
 */
export async function session(options) {
  const { user, sink, seed } = options;
  if (!user?.id) throw inflowError('user_missing', 'session() needs a user with an id.');
  const clock = asClock(options.now);
  const storage = options.storage ?? indexedDbStorage();
  const target = options.target ?? globalThis.document ?? null;
  const locale =
    options.locale ?? user.attributes?.locale ?? globalThis.navigator?.language ?? 'en-US';

  const [pkg, manifests] = await Promise.all([
    load(options),
    resolveManifests(options.manifests, options.manifestsUrl),
  ]);
  let saved = await storage.get(user.id);
  const fresh = !saved;
  if (fresh) saved = { engine: seed ? await seed(user, clock()) : {}, log: [] };
  let engine = new pkg.Engine(manifests, user, saved.engine ?? {}, options.spend);
  const log = saved.log ?? [];
  const shown = new Set();

  let writing = Promise.resolve();
  /** Queues a write of the current state; writes happen in call order. */
  const persist = () => {
    const value = { engine: engine.state(), log: log.slice(-LOG_MAX), savedAt: clock() };
    writing = writing.then(() => storage.put(user.id, value));
    return writing;
  };
  const emit = (name, detail) =>
    target?.dispatchEvent(new CustomEvent(`inflow:${name}`, { detail: { user: user.id, ...detail } }));
  const note = (action, module, surface) => log.push({ action, module, surface, at: clock() });

  /** A fresh idempotency key for a charge. */
  const chargeId = () =>
    globalThis.crypto?.randomUUID?.() ?? `${user.id}-${clock().toString(36)}-${(Math.random() * 1e9).toFixed(0)}`;

  if (fresh) await persist();
  const catalog = typeof manifests.catalog === 'string' ? JSON.parse(manifests.catalog) : manifests.catalog;

  return {
    user,
    locale,
    /** The catalog's module (id, name, tagline, ...) for labels; undefined when unknown. */
    module: (id) => catalog?.modules?.find((m) => m.id === id),
    offers: ({ max } = {}) => engine.offers(max ?? 5, clock()),
    quote: (request) => engine.quote(request, clock()),
    check: (feature) => engine.check(feature, clock()),
    advise: (request) => engine.advise(request),
    state: () => engine.state(),

    /** Notes that offers were displayed; each module once per session and surface. */
    async shown(offers, surface) {
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
      note('opened', offer.module, surface);
      emit('offer-opened', { offer, surface });
      await persist();
    },

    async recordUsage(feature, amount = 1) {
      const before = engine.check(feature, clock());
      const check = engine.recordUsage(feature, String(amount), clock());
      await persist();
      if (before.allowed !== check.allowed) emit('entitlements-changed', { feature, check });
      return check;
    },

    async dismiss(module, surface) {
      engine.dismiss(module, clock());
      note('dismissed', module, surface);
      await persist();
      emit('offer-dismissed', { module, surface });
    },

    async startTrial(module, surface) {
      const record = engine.checkout({ id: chargeId(), module, kind: 'trial', offer: module, surface }, clock());
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
     */
    async checkout({ module, plan, quantity, offer, surface }) {
      if (!sink) throw inflowError('sink_missing', 'This session has no sink to deliver purchases to.');
      const intent = { id: chargeId(), module, plan, offer: offer?.module, surface };
      if (quantity != null) intent.quantity = String(quantity);
      const record = engine.checkout(intent, clock());
      note('purchase', module, surface);
      await persist();
      emit('purchase-requested', { record, surface });
      const receipt = await sink.deliver(record);
      const confirmed = receipt?.status === 'confirmed';
      const grant = confirmed ? engine.apply(record) : null;
      if (grant) await persist();
      if (confirmed) emit('purchase-confirmed', { record, receipt, surface });
      if (grant) emit('entitlements-changed', { module, grant });
      return { record, receipt };
    },

    /** Waits for pending writes and releases the engine's memory. */
    async close() {
      await writing;
      engine.free?.();
    },
  };
}
