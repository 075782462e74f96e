// What the end-to-end tests and the browser benchmark share: the real `inflow` server binary
// (built by cargo, release) started on a free loopback port over a temporary root, and Debian's
// Chromium driven by playwright-core. Never downloads a browser.

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Chromium's flags for a closed network, as root (see TOOLCHAIN.md). */
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
];

let binary;
/** The server binary, built once per process by cargo (release); INFLOW_BIN overrides. */
export function serverBinary() {
  binary ??= process.env.INFLOW_BIN;
  if (binary) return binary;
  const out = execFileSync(
    'cargo',
    ['build', '--release', '-q', '-p', 'inflow-server', '--bin', 'inflow', '--message-format=json'],
    { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 },
  );
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line);
    if (msg.reason === 'compiler-artifact' && msg.target?.name === 'inflow' && msg.executable) binary = msg.executable;
  }
  if (!binary) throw new Error('cargo did not report the inflow binary');
  return binary;
}

let bundled = false;
/**
 * Builds www/dist/ (scripts/bundle.mjs: the bundle the demo pages load) from the sources, once
 * per process, so the tests run what the sources say rather than an older build's bundle.
 */
export function bundle() {
  if (bundled) return;
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  bundled = true;
}

/**
 * Starts `inflow serve --demo` on 127.0.0.1:0 over a temporary root whose www/ and pkg/ are
 * the repository's and whose manifests/ is `manifests` (default the repository's demo
 * manifests; or a directory, or `{ name: object }` files written into a fresh one) and `args`
 * more command-line arguments. Resolves to `{ url, root, stop() }`.
 */
export async function startServer({ manifests, args = [] } = {}) {
  bundle();
  const root = mkdtempSync(join(tmpdir(), 'inflow-e2e-'));
  symlinkSync(join(REPO, 'www'), join(root, 'www'));
  symlinkSync(join(REPO, 'pkg'), join(root, 'pkg'));
  if (existsSync(join(REPO, 'pkg-fallback'))) symlinkSync(join(REPO, 'pkg-fallback'), join(root, 'pkg-fallback'));
  let dir = join(REPO, 'manifests');
  if (typeof manifests === 'string') dir = manifests;
  else if (manifests) {
    dir = join(root, 'manifests');
    mkdirSync(dir);
    for (const name of ['catalog', 'contract', 'policy', 'users', 'model']) {
      const doc = manifests[name] ?? JSON.parse(readFileSync(join(REPO, 'manifests', `${name}.json`), 'utf8'));
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(doc, null, 2));
    }
  }
  if (dir !== join(root, 'manifests')) symlinkSync(dir, join(root, 'manifests'));
  const child = spawn(
    serverBinary(),
    ['serve', '--demo', '--addr', '127.0.0.1:0', '--root', root, '--manifests', join(root, 'manifests'),
      '--database', `sqlite://${join(root, 'ledger.sqlite')}`, '--secret', 'e2e-secret-not-for-production', ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`inflow serve did not start: ${stderr}`)), 20_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/[\d.]+:\d+\//);
      if (m) {
        clearTimeout(timer);
        ok(m[0]);
      }
    });
    child.on('exit', (code) => fail(new Error(`inflow serve exited (${code}): ${stderr}`)));
  });
  return {
    url,
    root,
    async stop() {
      if (child.exitCode == null) {
        const exited = new Promise((ok) => child.once('exit', ok));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless; each `browser.newContext()` is a fresh profile. */
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

/**
 * Debian's Chromium with a regular (persistent) profile in `userDataDir`, as a user's browser
 * has one: HTTP and code caches on disk, kept between tabs. `args` more command-line flags;
 * `options` the context's (viewport, locale), as `browser.newContext` takes them. Resolves to
 * the profile's BrowserContext (closing it closes the browser).
 */
export function launchProfile(userDataDir, { args = [], ...options } = {}) {
  return chromium.launchPersistentContext(userDataDir, { ...options, executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...args] });
}

/**
 * A new page of a fresh context, shadow roots forced open, signed in to the demo as `user`,
 * at `url`; resolves once the panel (or, on the product page, the compact offer) has rendered.
 * `init`: more scripts run at the start of each of the page's documents (e.g. a recorder).
 */
export async function openDemo(browser, url, { user, wait = true, init = [], context: options = {} } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(OPEN_SHADOW_ROOTS);
  for (const script of init) await page.addInitScript(script);
  if (user) await page.addInitScript((u) => localStorage.setItem('inflow.demo.user', u), user);
  await page.goto(url);
  if (wait) await rendered(page);
  return { page, context, errors };
}

/** Waits until every <inflow-offers> on the page shows offers or says there are none. */
export function rendered(page) {
  return page.waitForFunction(() =>
    [...document.querySelectorAll('inflow-offers')].every((el) =>
      el.shadowRoot?.querySelector('article, [role=alert], .muted:not([aria-busy] .muted)') &&
      !el.shadowRoot.querySelector('[aria-busy=true]'),
    ),
  );
}

/** Forces the elements' shadow roots open (tests only) so they can be inspected. */
export const OPEN_SHADOW_ROOTS = `(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { return attach.call(this, { ...init, mode: 'open' }); };
})();`;

