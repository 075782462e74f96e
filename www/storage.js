// Per-user persisted state in IndexedDB: database `inflow`, one object store `users` keyed by
// user id. A thin promise wrapper; falls back to memory when IndexedDB is unavailable (private
// modes that refuse it, node), so a session still works, only without surviving a reload.

const DB = 'inflow';
const STORE = 'users';

/** Wraps an IDBRequest (or transaction) in a promise. */
const done = (req) =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

/** The default storage: `{ get(userId), put(userId, value), delete(userId) }`, all async. */
export function indexedDbStorage(name = DB, idb = globalThis.indexedDB) {
  if (!idb) return memoryStorage();
  let opening;
  const db = () => {
    opening ??= new Promise((resolve, reject) => {
      const req = idb.open(name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => {
        opening = undefined;
        reject(req.error);
      };
    });
    return opening;
  };
  const store = async (mode) => (await db()).transaction(STORE, mode).objectStore(STORE);
  return {
    async get(userId) {
      return done((await store('readonly')).get(userId));
    },
    async put(userId, value) {
      await done((await store('readwrite')).put(value, userId));
    },
    async delete(userId) {
      await done((await store('readwrite')).delete(userId));
    },
  };
}

/** Storage that lives as long as the page: for tests and for browsers that refuse IndexedDB. */
export function memoryStorage() {
  const map = new Map();
  return {
    async get(userId) {
      return structuredClone(map.get(userId));
    },
    async put(userId, value) {
      map.set(userId, structuredClone(value));
    },
    async delete(userId) {
      map.delete(userId);
    },
  };
}
