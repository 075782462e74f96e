// The persisted outbox of charge records: a record is written here BEFORE it is sent, and
// stays until the server acknowledges it (or refuses it for good), across reloads and offline
// periods. IndexedDB database `inflow-outbox`, object store `charges`, keyed by record id.
//
// An entry's body is the record's JSON text, written once and never changed: every attempt
// sends exactly these bytes, so one id is never sent with two different bodies. Putting the
// same id again with an equal record returns the stored entry; with a different record it is
// refused with an Error whose code is `outbox_conflict`.
//
// An entry:
//   { id, user, body, state: "pending" | "acked" | "failed", attempts, nextAt, createdAt,
//     updatedAt, lastError?: { code, message, status? }, receipt?, error?: { code, message, status? } }
//
// The storage is injected (`{ get(id), all(), update(id, fn) }`, `update` being an atomic
// read-modify-write), so the logic runs in node with `memoryOutboxStorage()`.

const DB = 'inflow-outbox';
const STORE = 'charges';

/** An Error with a stable `code` (and the fields in `extra`). */
export function outboxError(code, message, extra = {}) {
  const e = new Error(message);
  e.name = 'InflowError';
  e.code = code;
  return Object.assign(e, extra);
}

/** JSON with object keys sorted: two records that differ only in key order are equal. */
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * `outbox({ storage, now })`: the outbox over a storage (default IndexedDB, else memory).
 * `now` is a clock `() => ms`, default `Date.now`.
 */
export function outbox({ storage = indexedDbOutboxStorage(), now = () => Date.now() } = {}) {
  /** Changes a pending entry; a settled entry is left as it is (and returned). */
  const settle = (id, change) =>
    storage.update(id, (entry) => {
      if (!entry) throw outboxError('outbox_missing', `No charge ${id} in the outbox.`);
      if (entry.state !== 'pending') return undefined;
      return { ...entry, ...change(entry), updatedAt: now() };
    });

  return {
    /**
     * Writes `record` (it must have an id) as a pending entry, unless its id is there already.
     * Resolves to the entry now stored, which may be acked or failed already.
     */
    async put(record) {
      if (typeof record?.id !== 'string' || !record.id) {
        throw outboxError('invalid_record', 'A charge record needs a string id (its idempotency key).');
      }
      const body = JSON.stringify(record);
      const canonical = canonicalJson(JSON.parse(body));
      const at = now();
      let conflict = null;
      const entry = await storage.update(record.id, (existing) => {
        if (existing) {
          if (canonicalJson(JSON.parse(existing.body)) !== canonical) conflict = existing;
          return undefined;
        }
        return {
          id: record.id,
          user: record.user ?? null,
          body,
          state: 'pending',
          attempts: 0,
          nextAt: at,
          createdAt: at,
          updatedAt: at,
        };
      });
      if (conflict) {
        throw outboxError(
          'outbox_conflict',
          `Charge ${record.id} is already in the outbox with a different body; ` +
            'a new purchase needs a new id.',
          { id: record.id },
        );
      }
      return entry;
    },

    /** The entry of `id`, or undefined. */
    get: (id) => storage.get(id),

    /** The record of an entry, parsed from its stored body. */
    record: (entry) => JSON.parse(entry.body),

    /** Entries not yet acknowledged nor refused, oldest first; only `user`'s when given. */
    async pending({ user } = {}) {
      const all = await storage.all();
      return all
        .filter((e) => e.state === 'pending' && (user == null || e.user === user))
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    },

    /** Pending entries whose next attempt is due at `at` (default now). */
    async due({ user, at = now() } = {}) {
      return (await this.pending({ user })).filter((e) => e.nextAt <= at);
    },

    /** Every entry, in any state. */
    all: () => storage.all(),

    /** An attempt that will be retried: counts it and sets the next attempt's time. */
    retry: (id, error, nextAt) =>
      settle(id, (e) => ({ attempts: e.attempts + 1, nextAt, lastError: plainError(error) })),

    /** Makes a pending entry due now (e.g. when the browser comes back online). */
    wake: (id) => settle(id, () => ({ nextAt: now() })),

    /** The server acknowledged the charge: keeps its receipt. */
    ack: (id, receipt) =>
      settle(id, (e) => ({ state: 'acked', attempts: e.attempts + 1, receipt, lastError: undefined })),

    /** The server refused the charge for good (4xx other than 408/429): keeps why. */
    fail: (id, error) =>
      settle(id, (e) => ({ state: 'failed', attempts: e.attempts + 1, error: plainError(error) })),

    /** Removes settled entries last changed before `before` (ms); pending ones are kept. */
    async prune(before) {
      let removed = 0;
      for (const e of await storage.all()) {
        if (e.state !== 'pending' && e.updatedAt < before) {
          await storage.update(e.id, () => null);
          removed += 1;
        }
      }
      return removed;
    },
  };
}

/** `{ code, message, status? }` from an Error or such an object, storable in IndexedDB. */
export function plainError(error) {
  if (!error) return undefined;
  const out = { code: String(error.code ?? 'error'), message: String(error.message ?? error) };
  if (error.status != null) out.status = error.status;
  return out;
}

/** Wraps an IDBRequest in a promise. */
const done = (req) =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

/**
 * The outbox's IndexedDB storage. `update(id, fn)` runs in one readwrite transaction (so two
 * tabs never both insert an id): `fn(existing)` returns the new entry, `null` to delete, or
 * `undefined` to leave it; it resolves to the entry stored afterwards. Falls back to memory
 * when IndexedDB is unavailable.
 */
export function indexedDbOutboxStorage(name = DB, idb = globalThis.indexedDB) {
  if (!idb) return memoryOutboxStorage();
  let opening;
  const db = () => {
    opening ??= new Promise((resolve, reject) => {
      const req = idb.open(name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
      req.onsuccess = () => {
        // Another tab upgrading the schema: let it, and reopen on next use.
        req.result.onversionchange = () => {
          req.result.close();
          opening = undefined;
        };
        resolve(req.result);
      };
      req.onerror = () => {
        opening = undefined;
        reject(req.error);
      };
    });
    return opening;
  };
  return {
    async get(id) {
      return done((await db()).transaction(STORE, 'readonly').objectStore(STORE).get(id));
    },
    async all() {
      return done((await db()).transaction(STORE, 'readonly').objectStore(STORE).getAll());
    },
    async update(id, fn) {
      const tx = (await db()).transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      const committed = new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error('outbox transaction aborted'));
      });
      let result;
      let thrown;
      const read = store.get(id);
      read.onsuccess = () => {
        try {
          const next = fn(read.result);
          if (next === undefined) result = read.result;
          else if (next === null) store.delete(id);
          else {
            store.put(next);
            result = next;
          }
        } catch (e) {
          thrown = e;
          tx.abort();
        }
      };
      try {
        await committed;
      } catch (e) {
        throw thrown ?? e;
      }
      if (thrown) throw thrown;
      return result;
    },
  };
}

/** Outbox storage that lives as long as the page (tests; browsers refusing IndexedDB). */
export function memoryOutboxStorage() {
  const map = new Map();
  return {
    async get(id) {
      return structuredClone(map.get(id));
    },
    async all() {
      return [...map.values()].map((e) => structuredClone(e));
    },
    async update(id, fn) {
      const next = fn(structuredClone(map.get(id)));
      if (next === undefined) return structuredClone(map.get(id));
      if (next === null) map.delete(id);
      else map.set(id, structuredClone(next));
      return structuredClone(next ?? undefined);
    },
  };
}
