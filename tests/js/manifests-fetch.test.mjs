// fetchManifests (www/inflow.js) over real HTTP from a folder served on localhost: what it
// returns, what it says when a file is missing, and a session opened from its promise (as the
// demo pages do, starting the fetch before the user is known).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fetchManifests, session } from '../../www/inflow.js';
import { memoryStorage } from '../../www/storage.js';

const read = (name) => readFileSync(new URL(`../../manifests/${name}.json`, import.meta.url), 'utf8');
const user = JSON.parse(read('users')).users.find((u) => u.id === 'u-rep-01');
const wasmBytes = readFileSync(new URL('../../pkg/inflow_bg.wasm', import.meta.url));
const now = Date.UTC(2026, 10, 21, 10);

// /full/ has all four files; /no-model/ lacks model.json; /broken/ lacks contract.json.
const FOLDERS = {
  full: ['catalog', 'contract', 'policy', 'model'],
  'no-model': ['catalog', 'contract', 'policy'],
  broken: ['catalog', 'policy', 'model'],
};
let server;
let base;
const asked = [];
before(async () => {
  server = createServer((req, res) => {
    asked.push(req.url);
    const [, folder, file] = req.url.match(/^\/([^/]+)\/(\w+)\.json$/) ?? [];
    if (!FOLDERS[folder]?.includes(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(read(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((ok) => server.close(ok)));

test('fetchManifests returns the four files as text, the folder given with or without its slash', async () => {
  for (const url of [`${base}/full/`, `${base}/full`]) {
    const m = await fetchManifests(url);
    assert.deepEqual(Object.keys(m).sort(), ['catalog', 'contract', 'model', 'policy']);
    for (const name of FOLDERS.full) assert.equal(m[name], read(name), `${name}.json as served`);
  }
});

test('a folder without model.json gives model null; one without contract.json fails naming it', async () => {
  assert.equal((await fetchManifests(`${base}/no-model/`)).model, null);
  await assert.rejects(fetchManifests(`${base}/broken/`), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.code, 'manifests_unavailable');
    assert.match(e.message, /contract\.json: HTTP 404/);
    return true;
  });
});

test('a session opens from the promise of fetchManifests, and several sessions share one fetch', async () => {
  asked.length = 0;
  const manifests = fetchManifests(`${base}/full/`);
  const open = () => session({ manifests, user, storage: memoryStorage(), wasmBytes, now, target: new EventTarget(), fallback: null });
  const [a, b] = await Promise.all([open(), open()]);
  assert.ok(a.offers({ max: 3 }).length > 0, 'offers from the fetched manifests');
  assert.deepEqual(a.offers({ max: 3 }), b.offers({ max: 3 }));
  assert.equal(asked.length, 4, `each file fetched once: ${asked.join(', ')}`);
  await a.close();
  await b.close();
});

test('a session given a failing fetch fails with its error', async () => {
  const manifests = fetchManifests(`${base}/broken/`);
  await assert.rejects(
    session({ manifests, user, storage: memoryStorage(), wasmBytes, now, target: new EventTarget(), fallback: null }),
    (e) => e.code === 'manifests_unavailable',
  );
});
