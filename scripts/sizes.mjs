#!/usr/bin/env node
// Prints the size of each file raw, gzipped (level 9) and brotli'd (quality 11), and
// their total: what a browser downloads.  Usage: node scripts/sizes.mjs FILE...
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node scripts/sizes.mjs FILE...');
  process.exit(2);
}

const brotli = { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } };
const rows = files.map((file) => {
  const bytes = readFileSync(file);
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, brotli).length,
  };
});
if (rows.length > 1) {
  const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
  rows.push({ file: 'total', raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') });
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const width = Math.max(4, ...rows.map((r) => r.file.length));
const line = (cells) => cells[0].padEnd(width) + cells.slice(1).map((c) => c.padStart(12)).join('');
console.log(line(['file', 'raw', 'gzip', 'brotli']));
for (const r of rows) console.log(line([r.file, kb(r.raw), kb(r.gzip), kb(r.brotli)]));
