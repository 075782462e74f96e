#!/usr/bin/env node
// Prints, one per line, every file a page loads for the given entry modules: the entries,
// every module they import (static `import … from './x.js'`, `import './x.js'`, and
// `import(CONST)` of a relative path held in a string constant), and the files they fetch by
// `new URL('./x', import.meta.url)` (the engine's wasm) when that is a file that exists (a bundle keeps
// the glue's default wasm URL, which the adapter never uses). Only relative specifiers are
// followed: the pages use no bare imports. A host page loads www/dist/inflow.js (the bundle:
// scripts/bundle.mjs), which names the wasm and the lazily imported wasm2js fallback.
//
// Usage: node scripts/shipped-files.mjs ENTRY.js...
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const entries = process.argv.slice(2);
if (entries.length === 0) {
  console.error('usage: node scripts/shipped-files.mjs ENTRY.js...');
  process.exit(2);
}

/** The relative specifiers a module imports. */
function imports(source) {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found = [];
  for (const m of code.matchAll(/\bimport\s*(?:[^'"();]*?\bfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]/g)) found.push(m[1]);
  for (const m of code.matchAll(/\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) found.push(m[1]);
  // `import(NAME)` where `const NAME = './x.js'` in the same module.
  for (const m of code.matchAll(/\bimport\s*\(\s*([A-Za-z_$][\w$]*)\s*\)/g)) {
    const decl = code.match(new RegExp(`\\bconst\\s+${m[1]}\\s*=\\s*['"](\\.{1,2}/[^'"]+)['"]`));
    if (decl) found.push(decl[1]);
  }
  return found;
}

/** The relative URLs a module resolves against its own (`new URL('./x', import.meta.url)`). */
function fetched(source) {
  return [...source.matchAll(/\bnew URL\(\s*['"](\.{0,2}\/?[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g)].map((m) => m[1]);
}

// As `inflow serve` maps them: www/ at /, pkg/ at /pkg/, pkg-fallback/ at /pkg-fallback/.
const ROOT = resolve('.');
const SERVED = ['pkg', 'pkg-fallback'];
const urlOf = (file) => {
  const rel = relative(ROOT, file).split(sep).join('/');
  return SERVED.some((d) => rel.startsWith(`${d}/`)) ? `/${rel}` : `/${rel.replace(/^www\//, '')}`;
};
const fileOf = (url) => {
  const path = url.replace(/^\//, '');
  return join(ROOT, SERVED.some((d) => path.startsWith(`${d}/`)) ? path : join('www', path));
};
/** The file `spec` names from `file`, resolved as the browser resolves URLs. */
const resolveFrom = (file, spec) => fileOf(new URL(spec, `http://host${urlOf(file)}`).pathname);

const seen = new Set();
const queue = entries.map((e) => resolve(e));
while (queue.length > 0) {
  const file = queue.shift();
  if (seen.has(file)) continue;
  if (!existsSync(file)) {
    console.error(`shipped-files: ${relative('.', file)} is imported but missing`);
    process.exit(1);
  }
  seen.add(file);
  if (file.endsWith('.wasm')) continue;
  const source = readFileSync(file, 'utf8');
  for (const spec of imports(source)) queue.push(resolveFrom(file, spec));
  for (const url of fetched(source)) {
    const target = resolveFrom(file, url);
    if (statSync(target, { throwIfNoEntry: false })?.isFile()) queue.push(target);
  }
}
// The wasm and its glue first, then the rest in path order.
const rank = (f) => (f.endsWith('.wasm') ? 0 : f.includes(`${join('pkg', '')}`) ? 1 : 2);
for (const f of [...seen].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))) {
  console.log(relative('.', f));
}
