// Bundles www/salesforce/bundle/entry.js into one IIFE (`window.Inflow`) with esbuild.
//   node www/salesforce/bundle/build.mjs OUT.js
// The adapter loads the engine with `import(PKG)` (a constant, so the web demo resolves it at
// run time); a classic script cannot import, so this build points that one import at
// pkg/inflow.js literally and esbuild inlines the glue. www/inflow.js itself is not changed.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';

const out = process.argv[2];
if (!out) {
  console.error('usage: node www/salesforce/bundle/build.mjs OUT.js');
  process.exit(2);
}

const inlinePkg = {
  name: 'inline-pkg',
  setup(b) {
    b.onLoad({ filter: /[\\/]www[\\/]inflow\.js$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      const patched = src.replace('await import(PKG)', "await import('../pkg/inflow.js')");
      if (patched === src) throw new Error('www/inflow.js no longer says `await import(PKG)`: update bundle/build.mjs');
      return { contents: patched, loader: 'js' };
    });
  },
};

await build({
  entryPoints: [new URL('./entry.js', import.meta.url).pathname],
  bundle: true,
  format: 'iife',
  globalName: 'Inflow',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  outfile: out,
  plugins: [inlinePkg],
  // import.meta.url only serves the default wasm URL, which the component never uses.
  define: { 'import.meta.url': 'undefined' },
  logLevel: 'warning',
});
