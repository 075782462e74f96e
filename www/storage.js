// Per-user persisted state in IndexedDB: database `inflow`, one object store `users` keyed by
// user id. A thin promise wrapper; falls back to memory when IndexedDB is unavailable (private
// modes that refuse it, node), so a session still works, only without surviving a reload.
//
// Which users it saved it also notes in localStorage (`inflow.saved.<database>.<user>`), which a
// page reads at once: `saved(id)` is false for a user it never saved, so a first visit need not
// wait for IndexedDB, which takes tens of ms to create its database. The note is a hint the
// session checks (a state saved before the notes were kept is still found and taken up).

const DB = 'inflow';
const STORE = 'users';

/** Wraps an IDBRequest (or transaction) in a promise. */
const done = (req) =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

/** The page's localStorage, or null where there is none or it is refused (reading it throws). */
function localStorageOrNull() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * Notes in `local` (localStorage) which users the database `name` holds. Every method is safe
 * to call where localStorage is refused (it throws in some sandboxes): the note is then
 * unknown, never wrong.
 */
function savedNotes(name, local) {
  const key = (userId) => `inflow.saved.${name}.${userId}`;
  const attempt = (f, otherwise) => {
    try {
      return f();
    } catch {
      return otherwise;
    }
  };
  return {
    /** false: never saved here; true: saved; undefined: no notes to tell. */
    saved: (userId) => (local ? attempt(() => local.getItem(key(userId)) !== null, undefined) : undefined),
    note: (userId) => local && attempt(() => local.setItem(key(userId), '1')),
    forget: (userId) => local && attempt(() => local.removeItem(key(userId))),
  };
}

/**
 * The default storage: `{ get(userId), put(userId, value), delete(userId) }`, all async, and
 * `saved(userId)` (see above).
 */
export function indexedDbStorage(name = DB, idb = globalThis.indexedDB, local = localStorageOrNull()) {
  if (!idb) return memoryStorage();
  const notes = savedNotes(name, local);
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
      notes.note(userId);
    },
    async delete(userId) {
      await done((await store('readwrite')).delete(userId));
      notes.forget(userId);
    },
    saved: notes.saved,
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
    saved: (userId) => map.has(userId),
  };
}
