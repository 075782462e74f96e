// The browser's reading of a catalog against the server's. Every one-value change of the demo
// catalog goes through the shipped wasm (the module's JSON parser, the tree reader, the
// catalog's validation: `validateCatalog`) and through the server's `inflow check`
// (serde_json, serde_path_to_error, the same validation), and both must accept the same
// documents and refuse the rest with the same problems: codes, paths and messages. Then every
// truncation of the catalog, malformed text: the same message at the same line and column.
//
// The one difference allowed is the one the README names: a value of the wrong kind where an
// externally tagged enum is expected is a syntax error ("expected value") to the server's
// one-pass reader and a misfit at its path to the browser's. (boundary.test.mjs holds what a
// parser on top of JSON.parse would blur: repeated keys, integral floats, lone surrogates.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { initSync, validateCatalog } from '../../pkg/inflow.js';
import { serverBinary } from '../e2e/harness.mjs';

initSync({ module: readFileSync(new URL('../../pkg/inflow_bg.wasm', import.meta.url)) });

const catalog = JSON.parse(readFileSync(new URL('../../manifests/catalog.json', import.meta.url), 'utf8'));

/** A value of each JSON kind, none of them an integral float. */
const REPLACEMENTS = [null, true, -1, 2.5, 'x', [], {}];

/**
 * Every one-value change of `doc`: each value replaced by each of REPLACEMENTS, each object
 * member removed, each object given an unknown member, each array's first item removed.
 */
function changes(doc) {
  const out = [];
  const copy = () => structuredClone(doc);
  const at = (root, path) => path.reduce((v, k) => v[k], root);
  const walk = (value, path) => {
    if (path.length) {
      const parent = path.slice(0, -1);
      const key = path[path.length - 1];
      for (const r of REPLACEMENTS) {
        const d = copy();
        at(d, parent)[key] = structuredClone(r);
        out.push(d);
      }
      if (!Array.isArray(at(doc, parent))) {
        const d = copy();
        delete at(d, parent)[key];
        out.push(d);
      }
    }
    if (Array.isArray(value)) {
      if (value.length) {
        const d = copy();
        at(d, path).shift();
        out.push(d);
      }
      value.forEach((item, i) => walk(item, [...path, i]));
    } else if (value && typeof value === 'object') {
      const d = copy();
      at(d, path).zz_unknown = 1;
      out.push(d);
      for (const k of Object.keys(value)) walk(value[k], [...path, k]);
    }
  };
  walk(doc, []);
  return out;
}

/** What the wasm says of `text`: 'ok', or its code and problems as `path: message`. */
function browser(text) {
  try {
    validateCatalog(text);
    return { code: 'ok', problems: [] };
  } catch (e) {
    const problems = (e.problems ?? [{ path: e.path ?? '', message: e.message }]).map((p) => `${p.path}: ${p.message}`);
    return { code: e.code, problems };
  }
}

/** Writes `texts` to files in a new folder; calls `use(files)`; removes the folder. */
function asFiles(texts, use) {
  const dir = mkdtempSync(join(tmpdir(), 'inflow-parity-'));
  try {
    return use(texts.map((t, i) => {
      const file = join(dir, `catalog-${i}.json`);
      writeFileSync(file, t);
      return file;
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `inflow check --json` of `files`: its findings. */
function check(files) {
  let out;
  try {
    out = execFileSync(serverBinary(), ['check', '--kind', 'catalog', '--json', ...files], { encoding: 'utf8', maxBuffer: 256 << 20 });
  } catch (e) {
    if (e.status !== 1) throw e; // 1: problems were found, which is the point
    out = e.stdout;
  }
  return JSON.parse(out);
}

/** What `inflow check --json` says of each file, in the same form as `browser`. */
function server(files) {
  const byFile = new Map(files.map((f) => [f, { code: 'ok', problems: [] }]));
  for (const f of check(files)) {
    const r = byFile.get(f.file);
    r.code = f.code;
    // A misfit's message ends with its line and column, which the browser's reader does not know.
    r.problems.push(`${f.path ?? ''}: ${f.message.replace(/ \(line \d+, column \d+\)$/, '')}`);
  }
  return files.map((f) => byFile.get(f));
}

test('the browser refuses what the server refuses, with the same problems, over every one-value change of the demo catalog', (t) => {
  const texts = changes(catalog).map((d) => JSON.stringify(d, null, 1));
  asFiles(texts, (files) => {
    const native = server(files);
    let accepted = 0;
    let tagged = 0;
    texts.forEach((text, i) => {
      const wasm = browser(text);
      const theirs = native[i];
      if (theirs.code === 'json_syntax' && wasm.code === 'manifest_invalid' && /expected value/.test(theirs.problems[0])) {
        tagged++;
        return;
      }
      if (wasm.code === 'ok') accepted++;
      assert.deepEqual(wasm, theirs, `change ${i} of ${texts.length}:\n${text}`);
    });
    // The corpus is what it is meant to be: thousands of changes, some accepted (a field that
    // may be absent), most refused, and the tagged-enum difference met, so that it is exercised.
    t.diagnostic(`${texts.length} changes: ${accepted} accepted by both, ${tagged} the tagged-enum difference`);
    assert.ok(texts.length > 2000, `${texts.length} changes`);
    assert.ok(accepted > 0 && accepted < texts.length / 2, `${accepted} accepted`);
    assert.ok(tagged > 0, 'no externally tagged enum was changed');
  });
});

test('malformed text gets the server\'s message at the server\'s line and column: every third truncation of the catalog', () => {
  const text = JSON.stringify(catalog, null, 1);
  const texts = [];
  for (let end = 0; end < text.length; end += 3) texts.push(text.slice(0, end));
  asFiles(texts, (files) => {
    const native = new Map(check(files).map((f) => [f.file, `${f.code} ${f.line}:${f.column} ${f.message}`]));
    texts.forEach((t, i) => {
      const e = browser(t);
      const [, line, column, message] = e.problems[0].match(/^catalog: malformed JSON in catalog at line (\d+), column (\d+): (.*)$/) ?? [];
      assert.equal(`${e.code} ${line}:${column} malformed JSON: ${message}`, native.get(files[i]), `truncated at ${i * 3}: ${e.problems[0]}`);
    });
    assert.ok(texts.length > 3000, `${texts.length} truncations`);
  });
});
