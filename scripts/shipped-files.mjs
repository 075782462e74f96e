#!/usr/bin/env node
// Prints, one per line, every file a page loads for the given entry modules: the entries,
// every module they import (static `import … from './x.js'`, `import './x.js'`, and
// `import(CONST)` of a relative path held in a string constant), and the engine's wasm
// beside pkg/inflow.js. Only relative specifiers are followed: the pages use no bare imports.
//
// Usage: node scripts/shipped-files.mjs ENTRY.js...
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

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
  for (const spec of imports(readFileSync(file, 'utf8'))) queue.push(resolve(dirname(file), spec));
  // wasm-bindgen's glue fetches its module from beside it.
  if (file.endsWith(join('pkg', 'inflow.js'))) queue.push(join(dirname(file), 'inflow_bg.wasm'));
}
// The wasm and its glue first, then the rest in path order.
const rank = (f) => (f.endsWith('.wasm') ? 0 : f.includes(`${join('pkg', '')}`) ? 1 : 2);
for (const f of [...seen].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))) {
  console.log(relative('.', f));
}
