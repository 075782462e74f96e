// The demo's generated usage history (www/demo/telemetry.js): deterministic, and each persona
// produces the history that makes its suggestion obvious.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { EXPORT_LIMIT, generateHistory, hash, profileOf, random } from '../../www/demo/telemetry.js';

const { users } = JSON.parse(readFileSync(new URL('../../manifests/users.json', import.meta.url)));
const user = (id) => users.find((u) => u.id === id);
const now = Date.parse('2026-11-23T10:00:00Z');
const DAY = 86_400_000;
const month = (ms) => new Date(ms).toISOString().slice(0, 7);
const count = (events, feature, m) =>
  events.filter((e) => e.feature === feature && (!m || month(e.at) === m)).reduce((n, e) => n + e.amount, 0);

test('the same user, time and seed give the same history', () => {
  for (const u of users) assert.deepEqual(generateHistory(u, { now }), generateHistory(u, { now }));
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

test('events lie in the 90 days up to now, sorted, on weekdays', () => {
  for (const u of users) {
    const { events } = generateHistory(u, { now });
    assert.ok(events.length > 0, u.id);
    for (let i = 0; i < events.length; i++) {
      assert.ok(events[i].at <= now && events[i].at > now - 90 * DAY, u.id);
      if (i) assert.ok(events[i - 1].at <= events[i].at);
      assert.ok(![0, 6].includes(new Date(events[i].at).getUTCDay()));
    }
  }
});

test('u-rep-01 hits the export limit every full month and is close to it now', () => {
  const { events } = generateHistory(user('u-rep-01'), { now });
  for (const m of ['2026-09', '2026-10']) {
    assert.equal(count(events, 'reports.export', m), EXPORT_LIMIT);
    assert.ok(count(events, 'reports.export.blocked', m) > 0, m);
  }
  assert.equal(count(events, 'reports.export', '2026-11'), EXPORT_LIMIT - 3);
  const weeks = 90 / 7;
  const perWeek = (count(events, 'reports.export') + count(events, 'reports.export.blocked')) / weeks;
  assert.ok(perWeek >= 9 && perWeek <= 15, `exports a week: ${perWeek}`);
});

test('no one else is over the export limit', () => {
  for (const u of users.filter((u) => u.id !== 'u-rep-01')) {
    assert.equal(count(generateHistory(u, { now }).events, 'reports.export.blocked'), 0, u.id);
  }
});

test('u-mgr-01 rebuilds forecasts in spreadsheets often', () => {
  const { events } = generateHistory(user('u-mgr-01'), { now });
  assert.ok(count(events, 'forecast.spreadsheet') >= 50);
});

test('u-rep-02 sends many contracts', () => {
  assert.ok(count(generateHistory(user('u-rep-02'), { now }).events, 'contracts.sent') >= 80);
});

test('u-rep-03 owns Advanced Reports and never opened it', () => {
  const h = generateHistory(user('u-rep-03'), { now });
  assert.equal(h.grants.length, 1);
  assert.equal(h.grants[0].module, 'advanced-reports');
  assert.equal(count(h.events, 'reports.advanced'), 0);
});

test('u-rep-04 dismissed Forecasting yesterday', () => {
  const h = generateHistory(user('u-rep-04'), { now });
  assert.deepEqual(h.dismissals, [{ module: 'pipeline-forecasting', at: now - DAY }]);
});

test('profiles come from the persona, then the department', () => {
  assert.equal(profileOf(user('u-rep-01')), 'exports');
  assert.equal(profileOf(user('u-mgr-01')), 'forecasts');
  assert.equal(profileOf(user('u-sup-01')), 'support');
  assert.equal(profileOf(user('u-rep-06')), 'light');
  assert.equal(profileOf({ id: 'x' }), 'light');
});
