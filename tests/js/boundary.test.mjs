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

test('JSON text is accepted, and malformed text says where and what, in the server\'s words', () => {
  assert.equal(validateCatalog(JSON.stringify(catalog())), undefined);
  const e = thrown(() => validateCatalog('{\n  "version": "1",\n  oops\n}'));
  assert.ok(e instanceof Error);
  assert.equal(e.code, 'json_syntax');
  assert.equal(e.path, 'catalog');
  assert.equal(e.message, 'malformed JSON in catalog at line 3, column 3: key must be a string');
  // serde_json's message, line and column for each (the server's `inflow check` says the same).
  const cases = {
    '': 'line 1, column 0: EOF while parsing a value',
    '{"version": ': 'line 1, column 12: EOF while parsing a value',
    '[1,]': 'line 1, column 4: trailing comma',
    '{} x': 'line 1, column 4: trailing characters',
    '{"a" 1}': 'line 1, column 6: expected `:`',
    '[01]': 'line 1, column 3: invalid number',
    '"\\x"': 'line 1, column 3: invalid escape',
    '"tab\there"': 'line 1, column 5: control character (\\u0000-\\u001F) found while parsing a string',
  };
  for (const [text, message] of Object.entries(cases)) {
    const e = thrown(() => validateCatalog(text));
    assert.equal(e.code, 'json_syntax', text);
    assert.equal(e.message, `malformed JSON in catalog at ${message}`, text);
  }
});

test('the module survives errors', () => {
  thrown(() => validateCatalog({}));
  assert.equal(validateCatalog(catalog()), undefined);
});

// JSON.parse's value walked into the reader's tree (src/wasm/tree.rs): each kind of JSON value
// must reach the reader as that kind, which its message names as the server's reader does.

/** The catalog's JSON text with `"trial_days": <value>` (a u32) in its module. */
const withTrialDays = (value) =>
  JSON.stringify(catalog()).replace('"id":"advanced-reports",', `"id":"advanced-reports","trial_days":${value},`);

/** The one problem a catalog is refused for, as `path: message`. */
const problem = (input) => {
  const e = thrown(() => validateCatalog(input));
  assert.equal(e.code, 'manifest_invalid', e.message);
  assert.equal(e.problems.length, 1);
  return `${e.problems[0].path}: ${e.problems[0].message}`;
};

test('every kind of JSON value reaches the reader as that kind, with the server\'s message', () => {
  assert.equal(validateCatalog(withTrialDays('14')), undefined);
  assert.equal(validateCatalog(withTrialDays('null')), undefined, 'null is an absent option');
  const at = 'catalog.modules[0].trial_days: ';
  const cases = {
    '2.5': 'invalid type: floating point `2.5`, expected u32',
    '-1': 'invalid value: integer `-1`, expected u32',
    '4294967296': 'invalid value: integer `4294967296`, expected u32',
    '"3"': 'invalid type: string "3", expected u32',
    true: 'invalid type: boolean `true`, expected u32',
    '[]': 'invalid type: sequence, expected u32',
    '{}': 'invalid type: map, expected u32',
  };
  for (const [value, message] of Object.entries(cases)) {
    assert.equal(problem(withTrialDays(value)), at + message, value);
  }
});

test('strings and keys arrive whole: escapes, non-ASCII and astral characters', () => {
  const text = JSON.stringify(catalog()).replace('"supplier":{', '"supplier":{"\\u00e9\u00e9 \\ud83d\\ude00\\n":1,');
  assert.equal(problem(text), 'catalog.supplier.éé 😀\n: unknown field `éé 😀\n`, expected `id` or `name`');
});

test('a plain object is read as its JSON text is', () => {
  const bad = catalog();
  bad.modules[0].trial_days = 2.5;
  bad.modules[0].notes = undefined; // JSON.stringify leaves it out, as it is not JSON
  bad.supplier = { toJSON: () => ({ id: 'acme', name: 'Acme' }) };
  assert.equal(problem(bad), problem(JSON.stringify(bad)));
  assert.equal(problem(bad), 'catalog.modules[0].trial_days: invalid type: floating point `2.5`, expected u32');
});

test('integers beyond 2^53 are read exactly, as on the server', () => {
  assert.equal(
    problem(withTrialDays('9007199254740993')),
    'catalog.modules[0].trial_days: invalid value: integer `9007199254740993`, expected u32',
  );
});

test('what JSON.parse would blur is told apart, as the server tells it: floats, repeated keys, surrogates, range', () => {
  const at = 'catalog.modules[0].trial_days: invalid type: floating point ';
  for (const [value, shown] of [['3.0', '3.0'], ['1e1', '10.0'], ['-0', '-0.0'], ['0.1', '0.1']]) {
    assert.equal(problem(withTrialDays(value)), `${at}\`${shown}\`, expected u32`, value);
  }
  const repeated = JSON.stringify(catalog()).replace('"version":', '"version":"0","version":');
  assert.equal(problem(repeated), 'catalog: duplicate field `version`');
  const lone = JSON.stringify(catalog()).replace('"supplier":{', '"supplier":{"\\ud800":1,');
  assert.match(thrown(() => validateCatalog(lone)).message, /^malformed JSON in catalog at line 1, column \d+: unexpected end of hex escape$/);
  assert.match(thrown(() => validateCatalog(withTrialDays('1e400'))).message, /^malformed JSON in catalog at line 1, column \d+: number out of range$/);
});

test('nesting is limited to 127 levels, as on the server, without exhausting the stack', () => {
  assert.equal(problem('['.repeat(127) + ']'.repeat(127)), 'catalog[0]: invalid type: sequence, expected a string');
  for (const depth of [128, 1e5]) {
    const e = thrown(() => validateCatalog('['.repeat(depth) + ']'.repeat(depth)));
    assert.equal(e.code, 'json_syntax');
    assert.equal(e.path, 'catalog');
    assert.equal(e.message, 'malformed JSON in catalog at line 1, column 128: recursion limit exceeded');
  }
  assert.equal(validateCatalog(catalog()), undefined);
});

test('a value without JSON is refused at the root', () => {
  const cycle = {};
  cycle.self = cycle;
  for (const value of [() => 1, 1n, cycle, Symbol('x')]) {
    const e = thrown(() => validateCatalog(value));
    assert.equal(e.code, 'invalid_input');
    assert.equal(e.path, 'catalog');
  }
});
