#!/usr/bin/env node
// Writes FILE.br (brotli, quality 11) and FILE.gz (gzip by Zopfli, 15 iterations) beside each
// FILE, for `inflow serve` (or any static server or CDN that sends precompressed files) to
// send as they are instead of compressing on every request: faster, and smaller than a server
// can afford per request (Zopfli writes ordinary gzip ~5 % smaller than zlib's level 9, at
// ~100× the time; brotli 11 likewise). The server only sends a compressed copy at least as new
// as its file, so a file rebuilt without running this again is compressed on the fly instead.
// scripts/build-wasm.sh runs it on the wasm; scripts/bundle.mjs on the bundles it writes.
//
// Usage: node scripts/precompress.mjs FILE...
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { gzipAsync } from '@gfx/zopfli';

/** Writes under a temporary name and renames: a server (or a build beside) never sees half a file. */
export function writeAtomically(file, body) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, body);
  renameSync(tmp, file);
}

/** Writes `file`.br and `file`.gz; resolves to the sizes `{ raw, br, gz }` in bytes. */
export async function precompress(file) {
  const bytes = readFileSync(file);
  const br = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      [constants.BROTLI_PARAM_MODE]: file.endsWith('.wasm') ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
    },
  });
  const gz = Buffer.from(await gzipAsync(bytes, { numiterations: 15 }));
  for (const [ext, body] of [['br', br], ['gz', gz]]) writeAtomically(`${file}.${ext}`, body);
  return { raw: bytes.length, br: br.length, gz: gz.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('usage: node scripts/precompress.mjs FILE...');
    process.exit(2);
  }
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  for (const file of files) {
    const s = await precompress(file);
    console.log(`${file}: ${kb(s.raw)} → ${kb(s.br)} brotli, ${kb(s.gz)} gzip (${file}.br, ${file}.gz)`);
  }
}
