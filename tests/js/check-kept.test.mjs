// `check` keeps its answer while the day and the session are unchanged (src/wasm/checks.rs):
// the same frozen object comes back, and no change of the session or of the day ever leaves
// a stale answer (checked against a fresh Engine, which has kept nothing, after every step).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { initSync, Engine } from '../../pkg/inflow.js';

initSync({ module: readFileSync(new URL('../../pkg/inflow_bg.wasm', import.meta.url)) });

const read = (name) => readFileSync(new URL(`../../manifests/${name}.json`, import.meta.url), 'utf8');
const manifests = { catalog: read('catalog'), contract: read('contract'), policy: read('policy') };
const catalog = JSON.parse(manifests.catalog);
const users = JSON.parse(read('users')).users;
const user = (id) => users.find((u) => u.id === id);
const DAY = 86_400_000;
const start = Date.UTC(2026, 10, 20, 9);

test('an unchanged session answers with the same frozen object, nested limit included', () => {
  const e = new Engine(manifests, user('u-rep-01'));
  const first = e.check('reports.export', start);
  assert.equal(e.check('reports.export', start + 3_600_000), first, 'same day, same answer');
  assert.ok(Object.isFrozen(first));
  assert.deepEqual(first.limit, { up_to: '50' });
  assert.ok(Object.isFrozen(first.limit));
  assert.throws(() => { first.allowed = false; }, TypeError);
  assert.throws(() => { first.limit.up_to = '5000'; }, TypeError);
  assert.equal(e.check('reports.export', start).allowed, true);
  // A change drops it: the next answer counts the use.
  e.recordUsage('reports.export', '2', start);
  const after = e.check('reports.export', start);
  assert.notEqual(after, first);
  assert.equal(after.used, '2');
  // Another day is another answer, even when it says the same.
  assert.notEqual(e.check('reports.export', start + DAY), after);
});

test('after every change and across days, the kept answers equal a fresh engine\'s', () => {
  // A deterministic walk over 60 days: uses (some refused at the limit), dismissals, offers,
  // a trial and a purchase applied, grants replaced, and checks of every feature.
  let seed = 7;
  const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const features = catalog.features.map((f) => f.id);
  const limits = catalog.features.filter((f) => f.kind === 'limit').map((f) => f.id);
  const u = user('u-rep-01');
  const e = new Engine(manifests, u);
  let now = start;
  let compared = 0;
  const compare = (at) => {
    const fresh = new Engine(manifests, u, e.state());
    for (const f of features) {
      assert.deepEqual(e.check(f, at), fresh.check(f, at), `${f} at day ${Math.round((at - start) / DAY)}`);
      compared += 1;
    }
    fresh.free();
  };
  for (let step = 0; step < 240; step++) {
    now += Math.floor(rnd() * DAY * 0.6);
    for (const f of features) e.check(f, now); // keep an answer for every feature
    const op = rnd();
    if (op < 0.55) {
      try { e.recordUsage(pick(limits), String(1 + Math.floor(rnd() * 30)), now); } catch (err) {
        if (!['limit_exceeded', 'not_entitled'].includes(err.code)) throw err;
      }
    } else if (op < 0.65) {
      e.offers(3, now);
    } else if (op < 0.7) {
      e.dismiss(pick(catalog.modules).id, now);
    } else if (op < 0.75 && step > 20) {
      e.setGrants(e.state().grants.slice(1)); // the server's list without the oldest grant
    } else if (step === 40) {
      e.apply(e.checkout({ id: `trial-kept-${step}`, module: 'pipeline-forecasting', kind: 'trial' }, now));
    } else if (step === 120) {
      e.apply(e.checkout({ id: `charge-kept-${step}`, module: 'advanced-reports' }, now));
    }
    compare(now);
  }
  assert.ok(compared >= 240 * features.length);
  // The walk reached the states the answers can be in.
  const reasons = new Set(features.map((f) => e.check(f, now).reason));
  assert.ok(reasons.has('included') || reasons.has('granted'), [...reasons].join(', '));
});
