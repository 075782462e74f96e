#!/usr/bin/env node
// Prints the size of each file raw, gzipped and brotli'd, and their total: what a browser
// downloads. Where the build wrote a precompressed copy (FILE.gz, FILE.br: scripts/
// precompress.mjs) at least as new as FILE, that copy is what `inflow serve` sends, so its
// size is the one counted; otherwise the file is compressed here as a server would at best
// (zlib level 9, brotli quality 11). Copies counted are marked `*`.
//
// Usage: node scripts/sizes.mjs [--budget-gzip-kb=N] FILE...
// With a budget, exits 1 with a message when the files' total gzip size exceeds N KB
// (1 KB = 1024 bytes, as printed).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const args = process.argv.slice(2);
const budgetArg = args.find((a) => a.startsWith('--budget-gzip-kb='));
const files = args.filter((a) => a !== budgetArg);
const budget = budgetArg === undefined ? null : Number(budgetArg.split('=')[1]);
if (files.length === 0 || Number.isNaN(budget)) {
  console.error('usage: node scripts/sizes.mjs [--budget-gzip-kb=N] FILE...');
  process.exit(2);
}

const brotli = { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } };
/** The size of the precompressed `file`.`ext` the server would send, or null when there is none current. */
const served = (file, ext) => {
  const copy = `${file}.${ext}`;
  return existsSync(copy) && statSync(copy).mtimeMs >= statSync(file).mtimeMs ? statSync(copy).size : null;
};
let marked = false;
const rows = files.map((file) => {
  const bytes = readFileSync(file);
  const gz = served(file, 'gz');
  const br = served(file, 'br');
  marked ||= gz !== null || br !== null;
  return {
    file,
    raw: bytes.length,
    gzip: gz ?? gzipSync(bytes, { level: 9 }).length,
    brotli: br ?? brotliCompressSync(bytes, brotli).length,
    mark: { gzip: gz !== null, brotli: br !== null },
  };
});
const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
const total = { file: 'total', raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') };
if (rows.length > 1) rows.push(total);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const width = Math.max(4, ...rows.map((r) => r.file.length));
const line = (cells) => cells[0].padEnd(width) + cells.slice(1).map((c) => c.padStart(12)).join('');
console.log(line(['file', 'raw', 'gzip', 'brotli']));
const cell = (r, k) => `${kb(r[k])}${r.mark?.[k] ? '*' : r.mark ? ' ' : ''}`;
for (const r of rows) console.log(line([r.file, kb(r.raw), cell(r, 'gzip'), cell(r, 'brotli')]));
if (marked) console.log('* the precompressed copy the server sends (scripts/precompress.mjs)');

if (budget !== null) {
  if (total.gzip > budget * 1024) {
    console.error(
      `!!! over budget: these ${files.length} files weigh ${kb(total.gzip)} gzip in total, ` +
        `more than the ${budget} KB allowed (issue 3). Find what grew with ` +
        '`twiggy top` / `twiggy dominators` on the unstripped wasm before raising the budget.',
    );
    process.exit(1);
  }
  console.log(`within budget: ${kb(total.gzip)} of ${budget} KB gzip`);
}
