// Marks Wasm features as disabled in a module's `target_features` custom section, in place:
//   node scripts/wasm-features.mjs FILE.wasm reference-types [more...]
// wasm-bindgen reads that section to decide whether to pass JS values as externref (a second
// table). wasm2js supports neither externref nor a second table, so the fallback build marks
// reference-types off ('+' → '-') and wasm-bindgen keeps JS values in its JS-side heap instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { readLeb, sections } from './wasm-binary.mjs';

const [file, ...features] = process.argv.slice(2);
if (!file || !features.length) {
  console.error('usage: node scripts/wasm-features.mjs FILE.wasm FEATURE...');
  process.exit(2);
}
const bytes = readFileSync(file);
let changed = 0, found = false;
for (const section of sections(bytes)) {
  if (section.custom !== 'target_features') continue;
  found = true;
  const [nameLength, nameAt] = readLeb(bytes, section.start);
  let [count, at] = readLeb(bytes, nameAt + nameLength);
  for (; count > 0; count--) {
    const prefixAt = at;
    const [len, s] = readLeb(bytes, at + 1);
    const feature = bytes.subarray(s, s + len).toString();
    if (features.includes(feature) && bytes[prefixAt] === 0x2b) {
      bytes[prefixAt] = 0x2d;
      changed++;
    }
    at = s + len;
  }
}
if (!found) {
  console.error(`${file}: no target_features section (was it stripped?)`);
  process.exit(1);
}
writeFileSync(file, bytes);
console.log(`${file}: ${changed} feature(s) marked off: ${features.join(', ')}`);
