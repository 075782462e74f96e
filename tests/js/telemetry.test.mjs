// The demo's generated usage history (www/demo/telemetry.js): deterministic, in the engine's
// state shape, naming the catalog's features, and each persona's history makes its
// suggestion come out of the trained model on the shipped pkg/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { initSync, Engine } from '../../pkg/inflow.js';
import { EXPORT_LIMIT, generateHistory, hash, profileOf, random, seedState, spendOf } from '../../www/demo/telemetry.js';

initSync({ module: readFileSync(new URL('../../pkg/inflow_bg.wasm', import.meta.url)) });
const read = (name) => JSON.parse(readFileSync(new URL(`../../manifests/${name}.json`, import.meta.url)));
const manifests = { catalog: read('catalog'), contract: read('contract'), policy: read('policy'), model: read('model') };
const { users } = read('users');
const features = new Set(manifests.catalog.features.map((f) => f.id));
const user = (id) => users.find((u) => u.id === id);
const now = Date.parse('2026-11-23T10:00:00Z');
const DAY = 86_400_000;
const month = (ms) => new Date(ms).toISOString().slice(0, 7);
const count = (events, feature, m, hit = false) =>
  events
    .filter((e) => e.feature === feature && e.limit_hit === hit && (!m || month(e.at) === m))
    .reduce((n, e) => n + e.count, 0);

/** The offers a persona sees on a given day, from a fresh session seeded by the demo. */
function offers(id, at = now) {
  const u = user(id);
  return new Engine(manifests, u, seedState(u, at, 'larkspur-demo'), spendOf(u)).offers(3, at);
}

test('the same user, time and seed give the same history', () => {
  for (const u of users) assert.deepEqual(seedState(u, now, 's'), seedState(u, now, 's'));
});

test('another seed gives another history', () => {
  const u = user('u-rep-06');
  assert.notDeepEqual(generateHistory(u, { now, seed: 'a' }).events, generateHistory(u, { now, seed: 'b' }).events);
});

test('the generator and hash are stable across runs', () => {
  assert.equal(hash('u-rep-01'), hash('u-rep-01'));
  const a = random(42);
  const b = random(42);
  for (let i = 0; i < 5; i++) assert.equal(a(), b());
});

test('events name catalog features and lie in the 90 days up to now, sorted', () => {
  for (const u of users) {
    const { events } = generateHistory(u, { now });
    assert.ok(events.length > 0, u.id);
    for (let i = 0; i < events.length; i++) {
      assert.ok(features.has(events[i].feature), `${u.id}: ${events[i].feature}`);
      assert.ok(events[i].at <= now && events[i].at > now - 90 * DAY, u.id);
      if (i) assert.ok(events[i - 1].at <= events[i].at);
    }
  }
});

test('every seeded state opens a session', () => {
  for (const u of users) assert.doesNotThrow(() => new Engine(manifests, u, seedState(u, now, 'x'), spendOf(u)), u.id);
});

test('u-rep-01 hits the export limit every full month and is three short of it now', () => {
  const { events } = generateHistory(user('u-rep-01'), { now });
  for (const m of ['2026-09', '2026-10']) {
    assert.equal(count(events, 'reports.export', m), EXPORT_LIMIT);
    assert.ok(count(events, 'reports.export', m, true) > 0, m);
  }
  assert.equal(count(events, 'reports.export', '2026-11'), EXPORT_LIMIT - 3);
  const u = user('u-rep-01');
  const e = new Engine(manifests, u, seedState(u, now, 'larkspur-demo'));
  assert.equal(e.check('reports.export', now).remaining, '3');
});

test('the personas get their suggestions from the model', () => {
  const first = (id) => offers(id)[0];
  assert.equal(first('u-rep-01').module, 'advanced-reports');
  assert.match(first('u-rep-01').reason.text, /export/i);
  assert.equal(first('u-mgr-01').module, 'pipeline-forecasting');
  assert.equal(first('u-rep-02').module, 'e-signature');
  assert.match(first('u-rep-02').reason.text, /Signature envelopes/);
  assert.deepEqual([first('u-rep-03').module, first('u-rep-03').kind], ['advanced-reports', 'help']);
  assert.ok(!offers('u-rep-04').some((o) => o.module === 'advanced-reports'));
  assert.equal(first('u-rep-05').module, 'advanced-reports');
  assert.equal(first('u-rep-05').funding.route, 'needs_approval');
});

test('the personas keep their suggestions over the next weeks', () => {
  for (let d = 1; d <= 40; d += 3) {
    const at = now + d * DAY;
    assert.equal(offers('u-mgr-01', at)[0]?.module, 'pipeline-forecasting', `day ${d}`);
    assert.equal(offers('u-rep-02', at)[0]?.module, 'e-signature', `day ${d}`);
    assert.equal(offers('u-rep-03', at)[0]?.kind, 'help', `day ${d}`);
  }
});

test('u-rep-04 dismissed Advanced Reports yesterday', () => {
  assert.deepEqual(generateHistory(user('u-rep-04'), { now }).dismissed, [{ module: 'advanced-reports', at: now - DAY }]);
  assert.equal(seedState(user('u-rep-04'), now).log.entries[0].dismissed_at, now - DAY);
});

test('profiles come from the persona, then the department', () => {
  assert.equal(profileOf(user('u-rep-01')), 'exports');
  assert.equal(profileOf(user('u-mgr-01')), 'forecasts');
  assert.equal(profileOf(user('u-sup-01')), 'support');
  assert.equal(profileOf(user('u-rep-06')), 'light');
  assert.equal(profileOf({ id: 'x' }), 'light');
});
