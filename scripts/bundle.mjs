#!/usr/bin/env node
// Bundles what the pages load into www/dist/ (a build output, git-ignored), minified ES modules:
//
// - dist/inflow.js: www/host.js, i.e. the adapter, the engine's wasm-bindgen glue (pkg/inflow.js,
//   inlined), storage, formatting, <inflow-offers> and <inflow-gate>: one file instead of a
//   module graph fetched level by level. The wasm stays beside the glue's old place
//   (the adapter asks for `../pkg/inflow_bg.wasm` from its own URL, which from dist/ is the same
//   /pkg/inflow_bg.wasm), and the wasm2js fallback's loader stays a separate file imported only
//   where WebAssembly is refused (`./fallback.js`, below).
// - dist/fallback.js: www/fallback.js minified (it finds pkg-fallback/ at `../pkg-fallback/` from
//   its own URL, which from dist/ is the same /pkg-fallback/).
// - dist/sinks.js: www/sinks.js, the server sink (with the outbox) and the funnel reporter, which
//   only pages that deliver to the server load.
// - dist/demo-<page>.js for each demo page script given: the page's own code (www/demo/<page>.js,
//   common.js, the telemetry, the offline sink), importing everything of the host bundle's from
//   ./inflow.js (and, with ?sink=http, the sinks from ./sinks.js), so a demo page loads what any
//   host page would, plus its own script.
//
// Each output gets its .br and .gz copies (scripts/precompress.mjs). scripts/build-wasm.sh runs
// this after the glue is built; the end-to-end tests run it again, so they test the sources.
//
// Usage: node scripts/bundle.mjs [DEMO_PAGE.js...]   (default: www/demo/crm.js www/demo/product.js)
import { build } from 'esbuild';
import { minify } from 'terser';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { precompress, writeAtomically } from './precompress.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WWW = join(REPO, 'www');
const OUT = join(WWW, 'dist');
const pages = process.argv.length > 2 ? process.argv.slice(2) : ['www/demo/crm.js', 'www/demo/product.js'];

/** The modules www/host.js re-exports or registers: what a page may import from dist/inflow.js. */
const PUBLIC = ['inflow.js', 'storage.js', 'format.js', 'components/inflow-offers.js', 'components/inflow-gate.js'].map((f) => join(WWW, f));
/** The modules www/sinks.js re-exports: what a page may import from dist/sinks.js. */
const SINKS = ['sinks/http.js', 'sinks/funnel.js'].map((f) => join(WWW, f));

function replaceOnce(src, from, to, file) {
  if (!src.includes(from)) throw new Error(`${relative(REPO, file)} no longer says \`${from}\`: update scripts/bundle.mjs`);
  return src.replace(from, to);
}

/**
 * The adapter imports the glue through a constant (`import(PKG)`), which esbuild leaves alone:
 * point it at pkg/inflow.js literally so the glue is inlined. Its default fallback stays a lazy
 * import of ./fallback.js: dist/fallback.js, built beside it.
 */
const adapter = {
  name: 'adapter',
  setup(b) {
    b.onLoad({ filter: /[\\/]www[\\/]inflow\.js$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      return { contents: replaceOnce(src, 'await import(PKG)', "await import('../pkg/inflow.js')", args.path), loader: 'js' };
    });
    b.onResolve({ filter: /^\.\/fallback\.js$/ }, (args) =>
      args.importer === join(WWW, 'inflow.js') ? { path: './fallback.js', external: true } : undefined,
    );
  },
};

const common = {
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  write: false,
};

/**
 * terser's second pass over esbuild's minified output: it compresses and mangles further (two
 * passes), 0.6 KB gzip less of dist/inflow.js, for a second of build time. esbuild stays first
 * for the bundling and a first minification, which terser's output is smaller after than
 * after bundling alone.
 */
const TERSER = { module: true, ecma: 2022, compress: { passes: 2 }, mangle: true, format: { comments: false } };

/** Builds, minifies and writes the output (atomically: tests may bundle in parallel processes). */
async function bundleTo(options) {
  const result = await build(options);
  mkdirSync(OUT, { recursive: true });
  for (const f of result.outputFiles) {
    const { code } = await minify(f.text, TERSER);
    writeAtomically(f.path, code);
  }
  return result;
}

const host = await bundleTo({ ...common, entryPoints: [join(WWW, 'host.js')], outfile: join(OUT, 'inflow.js'), plugins: [adapter] });
const inHost = new Set(Object.keys(host.metafile.inputs).map((f) => resolve(REPO, f)));

/** In a demo page's bundle, the host's modules come from ./inflow.js (the bundle above). */
const fromHost = {
  name: 'from-host',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const file = resolve(args.resolveDir, args.path);
      if (PUBLIC.includes(file)) return { path: './inflow.js', external: true };
      if (SINKS.includes(file)) return { path: './sinks.js', external: true };
      if (inHost.has(file)) {
        return { errors: [{ text: `${relative(REPO, args.importer)} imports ${relative(REPO, file)}, which is inside dist/inflow.js but not exported by www/host.js` }] };
      }
      return undefined;
    });
  },
};

await bundleTo({ ...common, entryPoints: [join(WWW, 'fallback.js')], outfile: join(OUT, 'fallback.js') });
// The server sink and the funnel reporter, for the pages that deliver to the server. Its own
// copy of random-id.js (0.2 KB), which the host bundle keeps to itself.
await bundleTo({ ...common, entryPoints: [join(WWW, 'sinks.js')], outfile: join(OUT, 'sinks.js') });

const outputs = [join(OUT, 'inflow.js'), join(OUT, 'fallback.js'), join(OUT, 'sinks.js')];
for (const page of pages) {
  const outfile = join(OUT, `demo-${basename(page)}`);
  await bundleTo({ ...common, entryPoints: [resolve(page)], outfile, plugins: [fromHost] });
  outputs.push(outfile);
}
await Promise.all(outputs.map((file) => precompress(file)));
