// The wasm2js fallback in Chromium: with WebAssembly deleted, and with a CSP that refuses it
// (no 'wasm-unsafe-eval'), www/fallback.js runs the engine as JavaScript and answers as the
// wasm does. Needs pkg/ and pkg-fallback/ (scripts/build-wasm.sh, scripts/build-wasm2js.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../..');
const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.html': 'text/html' };
let server, browser, base;

const PAGE = `<!doctype html><script type="module" src="/tests/e2e/embed-fallback-page.js"></script>`;

before(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const csp = url.searchParams.get('csp');
    if (url.pathname === '/page.html') {
      res.writeHead(200, { 'content-type': 'text/html', ...(csp ? { 'content-security-policy': csp } : {}) });
      return res.end(PAGE);
    }
    try {
      const body = await readFile(path.join(root, decodeURIComponent(url.pathname)));
      res.writeHead(200, { 'content-type': types[path.extname(url.pathname)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});
after(async () => {
  await browser?.close();
  server?.close();
});

async function run(query, init) {
  const page = await browser.newPage();
  if (init) await page.addInitScript(init);
  await page.goto(`${base}/page.html${query}`);
  const result = await page.waitForFunction(() => window.__result, null, { timeout: 60_000 });
  const value = await result.jsonValue();
  await page.close();
  return value;
}

const skip = !existsSync(path.join(root, 'pkg-fallback/inflow_asm.js')) && 'pkg-fallback/ not built';

test('with WebAssembly available the engine runs as wasm', { skip }, async () => {
  const r = await run('');
  assert.equal(r.error, undefined);
  assert.equal(r.kind, 'wasm');
  assert.equal(r.total, '10.80');
});

test('with WebAssembly deleted the fallback gives the same answers', { skip }, async () => {
  const wasm = await run('');
  const r = await run('', () => { delete globalThis.WebAssembly; });
  assert.equal(r.error, undefined);
  assert.equal(r.kind, 'js');
  assert.equal(r.total, '10.80');
  assert.deepEqual(r.offers, wasm.offers);
});

test("under a CSP without 'wasm-unsafe-eval' the fallback runs", { skip }, async () => {
  const r = await run(`?csp=${encodeURIComponent("script-src 'self'")}`);
  assert.equal(r.error, undefined);
  assert.equal(r.probe, false);
  assert.equal(r.kind, 'js');
  assert.equal(r.total, '10.80');
});
