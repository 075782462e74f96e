// The few pieces of the WebAssembly binary format the build scripts read and write: LEB128
// integers and the module's sections (https://webassembly.github.io/spec/core/binary/).

/** The unsigned LEB128 integer at `at` in `bytes`: `[value, offset after it]`. */
export function readLeb(bytes, at) {
  let value = 0, shift = 0, b;
  do {
    if (at >= bytes.length) throw new Error(`truncated LEB128 integer at byte ${at}`);
    b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [value, at];
}

/** `value` as unsigned LEB128 bytes. */
export function leb(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return out;
}

/** A name as the format writes one: its UTF-8 length, then its bytes. */
export function name(text) {
  const utf8 = Buffer.from(text, 'utf8');
  return [...leb(utf8.length), ...utf8];
}

/**
 * The sections of a module, in order: `{ id, at, start, end, custom }`, where `at..end` is the
 * whole section, `start..end` its contents and `custom` a custom section's name (id 0), else null.
 */
export function sections(bytes) {
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== 0x6d736100) {
    throw new Error('not a WebAssembly module (no \\0asm header)');
  }
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = readLeb(bytes, at + 1);
    const end = start + size;
    if (end > bytes.length) throw new Error(`section ${id} at byte ${at} runs past the end`);
    let custom = null;
    if (id === 0) {
      const [len, nameAt] = readLeb(bytes, start);
      custom = bytes.subarray(nameAt, nameAt + len).toString();
    }
    out.push({ id, at, start, end, custom });
    at = end;
  }
  return out;
}
