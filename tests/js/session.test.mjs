// The adapter's session start (www/inflow.js) on the shipped pkg/: a storage that knows it never
// saved the user lets the session start without waiting for it, and a state it holds after all
// is taken up before anything is changed or written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { session } from '../../www/inflow.js';
import { memoryStorage } from '../../www/storage.js';

const read = (name) => readFileSync(new URL(`../../manifests/${name}.json`, import.meta.url), 'utf8');
const manifests = { catalog: read('catalog'), contract: read('contract'), policy: read('policy'), model: read('model') };
const user = JSON.parse(read('users')).users.find((u) => u.id === 'u-rep-01');
const wasmBytes = readFileSync(new URL('../../pkg/inflow_bg.wasm', import.meta.url));
const now = Date.UTC(2026, 10, 21, 10);

/** A storage whose reads wait until `release()`; `saved` says what it claims to know. */
function slowStorage(inner, saved) {
  let release;
  const gate = new Promise((ok) => { release = ok; });
  return {
    release,
    reads: 0,
    async get(id) {
      this.reads++;
      await gate;
      return inner.get(id);
    },
    put: (id, value) => inner.put(id, value),
    delete: (id) => inner.delete(id),
    saved,
  };
}

const open = (storage, target = new EventTarget()) =>
  session({ manifests, user, storage, wasmBytes, now, target, locale: 'en-US', fallback: null });
const titles = (s) => s.offers({ max: 5 }).map((o) => o.module);

test('a user the storage never saved gets a session without waiting for the storage', async () => {
  const inner = memoryStorage();
  const storage = slowStorage(inner, () => false);
  const s = await open(storage); // resolves although the storage's read is still held
  assert.ok(titles(s).length > 0);
  const dismissed = titles(s)[0];
  const dismissing = s.dismiss(dismissed, 'test'); // waits for the storage's answer first
  storage.release();
  await dismissing;
  await s.close();
  assert.equal(inner.saved(user.id), true);
  const again = await open(inner);
  assert.ok(!titles(again).includes(dismissed), `${dismissed} stays dismissed`);
  await again.close();
});

test('a state the storage holds without knowing it is taken up, not overwritten', async () => {
  // An earlier session dismissed the top offer and saved it.
  const inner = memoryStorage();
  const first = await open(inner);
  const dismissed = titles(first)[0];
  await first.dismiss(dismissed, 'test');
  await first.close();

  // This storage holds that state but claims never to have saved the user (a state written
  // before the storage kept count): the session starts fresh, offering the dismissed module...
  const storage = slowStorage(inner, () => false);
  const target = new EventTarget();
  const changes = [];
  target.addEventListener('inflow:entitlements-changed', (e) => changes.push(e.detail));
  const s = await open(storage, target);
  assert.ok(titles(s).includes(dismissed));
  // ...until the storage answers: the first change or write takes the saved state up first.
  storage.release();
  await s.shown(s.offers({ max: 3 }), 'test');
  assert.ok(!titles(s).includes(dismissed), `${dismissed} is dismissed again`);
  assert.deepEqual(changes, [{ user: user.id, restored: true }]);
  await s.close();
  const stored = await inner.get(user.id);
  assert.ok(stored.log.some((l) => l.action === 'dismissed' && l.module === dismissed), 'the saved log is kept');
  assert.ok(stored.log.some((l) => l.action === 'shown'), 'and added to');
});

test('a storage that does not know waits for its read, as before', async () => {
  const inner = memoryStorage();
  const storage = slowStorage(inner, undefined);
  let opened = false;
  const opening = open(storage).then((s) => ((opened = true), s));
  await new Promise((ok) => setTimeout(ok, 50));
  assert.equal(opened, false, 'the session waits for the read');
  storage.release();
  await (await opening).close();
  assert.equal(storage.reads, 1);
});

/** A storage that never saved the user by its word, whose first read fails; then `inner`. */
function lockedOnce(inner) {
  let failures = 1;
  return {
    get: async (id) => {
      if (failures-- > 0) throw new Error('the database is locked');
      return inner.get(id);
    },
    put: (id, value) => inner.put(id, value),
    delete: (id) => inner.delete(id),
    saved: () => false,
  };
}

test('when that read fails, changes fail with its error and the next one asks again', async () => {
  const inner = memoryStorage();
  const storage = lockedOnce(inner);
  const s = await open(storage);
  const top = titles(s)[0];
  await assert.rejects(s.dismiss(top, 'test'), /the database is locked/);
  assert.equal(await inner.get(user.id), undefined, 'nothing was written');
  await s.dismiss(top, 'test');
  await s.close();
  assert.ok((await inner.get(user.id)).log.some((l) => l.action === 'dismissed' && l.module === top));
});

test('a first write that failed on that read does not stop later ones', async () => {
  const inner = memoryStorage();
  const storage = lockedOnce(inner);
  const s = await open(storage);
  await new Promise((ok) => setTimeout(ok, 20)); // the fresh state's write runs, and fails
  assert.equal(await inner.get(user.id), undefined);
  const top = titles(s)[0];
  await s.dismiss(top, 'test');
  await s.close();
  assert.ok((await inner.get(user.id)).log.some((l) => l.action === 'dismissed' && l.module === top));
});
