// Random ids for what must be told apart across retries and devices: a charge's idempotency key,
// a funnel event's id.

/**
 * A random (version 4) UUID: `crypto.randomUUID` where the page has it, which browsers give
 * only to secure contexts (https, localhost); an http intranet page builds one from
 * `crypto.getRandomValues`, which every page has.
 */
export function randomId() {
  if (typeof globalThis.crypto?.randomUUID === 'function') return globalThis.crypto.randomUUID();
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
