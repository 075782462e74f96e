// The Engine class on the shipped, wasm-opt'ed pkg/: every method on the demo scenario,
// and errors as real Error objects with code and path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { initSync, Engine } from '../../pkg/inflow.js';

initSync({ module: readFileSync(new URL('../../pkg/inflow_bg.wasm', import.meta.url)) });

const read = (name) => readFileSync(new URL(`../../manifests/${name}.json`, import.meta.url), 'utf8');
const manifests = { catalog: read('catalog'), contract: read('contract'), policy: JSON.parse(read('policy')) };
const users = JSON.parse(read('users')).users;
const user = (id) => users.find((u) => u.id === id);
const now = Date.UTC(2026, 10, 21, 10);

function thrown(fn) {
  try { fn(); } catch (e) { return e; }
  assert.fail('expected an error');
}

test('a session checks, records usage and refuses past the limit', () => {
  const e = new Engine(manifests, user('u-rep-01'));
  const first = e.check('reports.export', now);
  assert.equal(first.allowed, true);
  assert.equal(first.remaining, '50');
  for (let i = 0; i < 50; i++) e.recordUsage('reports.export', '1', now);
  const err = thrown(() => e.recordUsage('reports.export', '1', now));
  assert.ok(err instanceof Error);
  assert.equal(err.code, 'limit_exceeded');
  assert.equal(e.check('reports.export', now).allowed, false);
});

test('checkout prices at the contract and apply unlocks without a new session', () => {
  const e = new Engine(manifests, user('u-rep-01'));
  const record = e.checkout({ id: 'charge-js-0001', module: 'advanced-reports' }, now);
  assert.equal(record.total, '10.80');
  assert.equal(record.currency, 'USD');
  assert.equal(record.funding.route, 'auto_approved');
  assert.equal(record.manifests.catalog.digest.length, 64);
  const grant = e.apply(record);
  assert.equal(grant.module, 'advanced-reports');
  assert.equal(e.check('reports.export', now).remaining, null);
  assert.deepEqual(e.owned(now), ['advanced-reports']);
});

test('state survives a new session; quote, dismiss and offers answer', () => {
  const e = new Engine(manifests, user('u-mgr-01'));
  const trial = e.checkout({ id: 'trial-js-0001', module: 'pipeline-forecasting', kind: 'trial' }, now);
  e.apply(trial);
  e.dismiss('territory-planning', now);
  const again = new Engine(manifests, user('u-mgr-01'), e.state());
  assert.equal(again.check('forecast.pipeline', now).allowed, true);
  const q = again.quote({ selections: [{ module: 'report-scheduler' }, { module: 'territory-planning', quantity: '3' }] }, now);
  assert.equal(q.lines.length, 2);
  assert.equal(q.total, '121.00'); // 40.00 flat + 3 x 27.00 (30.00 less 10 %)
  assert.ok(Array.isArray(again.offers(3, now)));
});

test('errors are Error objects with code and path', () => {
  const bad = thrown(() => new Engine({ ...manifests, catalog: '{"version": ' }, user('u-rep-01')));
  assert.ok(bad instanceof Error);
  assert.equal(bad.code, 'json_syntax');
  const unknown = thrown(() => new Engine(manifests, { id: 'x', attributes: {}, colour: 'red' }));
  assert.equal(unknown.code, 'manifest_invalid');
  assert.equal(unknown.path, 'user.colour');
  const e = new Engine(manifests, user('u-rep-01'));
  assert.equal(thrown(() => e.check('no.such.feature', now)).code, 'unknown_feature');
  assert.equal(thrown(() => e.checkout({ id: 'x', module: 'advanced-reports' }, now)).path, 'id');
  assert.equal(thrown(() => e.recordUsage('reports.export', 'lots', now)).path, 'amount');
  assert.equal(thrown(() => e.checkout({ id: 'charge-js-0002', module: 'territory-planning' }, now)).code, 'not_offered');
});
