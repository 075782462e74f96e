// Bundles www/salesforce/bundle/entry.js into one IIFE (`window.Inflow`) with esbuild.
//   node www/salesforce/bundle/build.mjs OUT.js [FALLBACK.js]
// The adapter loads the engine with `import(PKG)` (a constant, so the web demo resolves it at
// run time); a classic script cannot import, so this build points that one import at
// pkg/inflow.js literally and esbuild inlines the glue. The adapter's default fallback,
// `import('./fallback.js')`, finds pkg-fallback/ by URL and imports ES modules, neither of
// which a static resource loaded with loadScript can do: this build drops it (the default
// becomes "no fallback"), and the component passes its own (c/inflowShared). With FALLBACK.js,
// the wasm2js build (pkg-fallback/, glue and asm) is bundled into that second classic script,
// `window.InflowFallback.engine()`. www/inflow.js itself is not changed.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';

const out = process.argv[2];
if (!out) {
  console.error('usage: node www/salesforce/bundle/build.mjs OUT.js');
  process.exit(2);
}

const fallbackOut = process.argv[3];

function replaceOnce(src, from, to) {
  if (!src.includes(from)) throw new Error(`www/inflow.js no longer says \`${from}\`: update bundle/build.mjs`);
  return src.replace(from, to);
}

const inlinePkg = {
  name: 'inline-pkg',
  setup(b) {
    b.onLoad({ filter: /[\\/]www[\\/]inflow\.js$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      const patched = replaceOnce(
        replaceOnce(src, 'await import(PKG)', "await import('../pkg/inflow.js')"),
        "const jsEngine = () => import('./fallback.js').then((m) => m.loadFallback());",
        'const jsEngine = null;',
      );
      return { contents: patched, loader: 'js' };
    });
  },
};

const common = {
  bundle: true,
  format: 'iife',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  // import.meta.url only serves the default wasm URL, which the component never uses.
  define: { 'import.meta.url': 'undefined' },
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: [new URL('./entry.js', import.meta.url).pathname],
  globalName: 'Inflow',
  outfile: out,
  plugins: [inlinePkg],
});

if (fallbackOut) {
  await build({
    ...common,
    entryPoints: [new URL('./fallback-entry.js', import.meta.url).pathname],
    globalName: 'InflowFallback',
    outfile: fallbackOut,
  });
}
