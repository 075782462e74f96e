// Marks Wasm features as disabled in a module's `target_features` custom section, in place:
//   node scripts/wasm-features.mjs FILE.wasm reference-types [more...]
// wasm-bindgen reads that section to decide whether to pass JS values as externref (a second
// table). wasm2js supports neither externref nor a second table, so the fallback build marks
// reference-types off ('+' → '-') and wasm-bindgen keeps JS values in its JS-side heap instead.
import { readFileSync, writeFileSync } from 'node:fs';

const [file, ...features] = process.argv.slice(2);
if (!file || !features.length) {
  console.error('usage: node scripts/wasm-features.mjs FILE.wasm FEATURE...');
  process.exit(2);
}
const bytes = readFileSync(file);
const leb = (at) => {
  let value = 0, shift = 0, b;
  do {
    b = bytes[at++];
    value |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  return [value >>> 0, at];
};
let at = 8, changed = 0, found = false;
while (at < bytes.length) {
  const id = bytes[at];
  const [size, body] = leb(at + 1);
  const end = body + size;
  if (id === 0) {
    const [nameLen, nameAt] = leb(body);
    const name = bytes.subarray(nameAt, nameAt + nameLen).toString();
    if (name === 'target_features') {
      found = true;
      let [count, p] = leb(nameAt + nameLen);
      for (; count > 0; count--) {
        const prefixAt = p;
        const [len, s] = leb(p + 1);
        const feature = bytes.subarray(s, s + len).toString();
        if (features.includes(feature) && bytes[prefixAt] === 0x2b) {
          bytes[prefixAt] = 0x2d;
          changed++;
        }
        p = s + len;
      }
    }
  }
  at = end;
}
if (!found) {
  console.error(`${file}: no target_features section (was it stripped?)`);
  process.exit(1);
}
writeFileSync(file, bytes);
console.log(`${file}: ${changed} feature(s) marked off: ${features.join(', ')}`);
