// The JS boundary of the shipped package: pkg/ as built by scripts/build-wasm.sh
// (wasm-opt'ed), not the unoptimised wasm that wasm-bindgen-test would run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { initSync, version, validateCatalog } from '../../pkg/inflow.js';

initSync({ module: readFileSync(new URL('../../pkg/inflow_bg.wasm', import.meta.url)) });

/** A small catalog that passes validation; each test changes a copy. */
const catalog = () => ({
  version: '2026-06-01',
  supplier: { id: 'acme', name: 'Acme Analytics' },
  currencies: ['USD'],
  features: [
    { id: 'reports.export', name: 'Report exports', kind: 'limit', unit: 'export', reset: 'month' },
  ],
  modules: [
    {
      id: 'advanced-reports',
      name: 'Advanced reports',
      features: [{ feature: 'reports.export', limit: 'unlimited' }],
      plans: [
        {
          id: 'monthly',
          period: 'month',
          charge: 'seats',
          unit: 'user',
          prices: { USD: { model: { type: 'per_unit', unit_price: '12.50' } } },
        },
      ],
    },
  ],
});

/** Runs `f`, which must throw, and returns what it threw. */
const thrown = (f) => {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail('expected an exception');
};

test('version() is the crate version', () => {
  assert.equal(typeof version(), 'string');
  assert.match(version(), /^\d+\.\d+\.\d+/);
});

test('a good catalog validates', () => {
  assert.equal(validateCatalog(catalog()), undefined);
});

test('a value of the wrong type throws an InflowError with its path', () => {
  const bad = catalog();
  bad.modules[0].plans = 'monthly';
  const e = thrown(() => validateCatalog(bad));
  assert.ok(e instanceof Error, `not an Error: ${e}`);
  assert.equal(e.name, 'InflowError');
  assert.equal(e.code, 'manifest_invalid');
  assert.equal(e.path, 'catalog.modules[0].plans');
  assert.match(e.message, /catalog\.modules\[0\]\.plans/);
  assert.equal(e.problems.length, 1);
  assert.equal(e.problems[0].path, 'catalog.modules[0].plans');
  assert.equal(typeof e.problems[0].message, 'string');
  assert.ok('expected' in e.problems[0]);
  assert.ok(typeof e.stack === 'string');
});

test('an unknown field is refused with its path, as the server refuses it', () => {
  const extra = catalog();
  extra.supplier.colour = 'red';
  assert.equal(thrown(() => validateCatalog(extra)).path, 'catalog.supplier.colour');
});

test('a missing field is located at its object', () => {
  const missing = catalog();
  delete missing.modules[0].plans[0].unit;
  const e = thrown(() => validateCatalog(missing));
  assert.equal(e.path, 'catalog.modules[0].plans[0]');
  assert.match(e.message, /unit/);
});

test('not an object at all is located at the root', () => {
  for (const value of [42, null, '[]']) {
    const e = thrown(() => validateCatalog(value));
    assert.ok(e instanceof Error);
    assert.equal(e.code, 'manifest_invalid');
    assert.equal(e.path, 'catalog');
  }
  const e = thrown(() => validateCatalog(undefined));
  assert.equal(e.code, 'invalid_input');
  assert.equal(e.path, 'catalog');
});

test('JSON text is accepted, and malformed text says where', () => {
  assert.equal(validateCatalog(JSON.stringify(catalog())), undefined);
  const e = thrown(() => validateCatalog('{\n  "version": "1",\n  oops\n}'));
  assert.ok(e instanceof Error);
  assert.equal(e.code, 'json_syntax');
  assert.match(e.message, /line 3, column 3/);
});

test('the module survives errors', () => {
  thrown(() => validateCatalog({}));
  assert.equal(validateCatalog(catalog()), undefined);
});
