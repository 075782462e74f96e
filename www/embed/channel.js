// The child side of the embed pages' postMessage contract (docs/embedding.md): which parent
// origin this page may talk to, and a channel that accepts messages from that origin only and
// posts to that exact origin only (never "*").
//
// The parent is named by the query parameter `parent` (an origin). It must be among the
// origins the server allows to frame these pages (GET /embed/config.json, the same list the
// server puts in the pages' CSP frame-ancestors), and, where the browser tells
// (location.ancestorOrigins), be the origin of the page that really embeds this one.

/** The contract's version; every message carries it. */
export const VERSION = 1;

/** An Error with a stable `code`, as the contract's `inflow:error` message carries it. */
export function embedError(code, message) {
  return Object.assign(new Error(message), { name: 'InflowEmbedError', code });
}

/** The server's embed configuration: `{ origins, stripe_publishable_key }`. */
export async function embedConfig() {
  const res = await fetch(new URL('config.json', import.meta.url));
  if (!res.ok) throw embedError('config_unavailable', `The embed configuration could not be read (HTTP ${res.status}).`);
  return res.json();
}

/**
 * The parent's origin, checked: resolves to `{ origin, config }` or rejects with an
 * embedError (`not_framed`, `parent_missing`, `parent_invalid`, `parent_mismatch`,
 * `origin_not_allowed`).
 */
export async function parentOrigin(win = globalThis) {
  if (win.parent === win) throw embedError('not_framed', 'This page is meant to be embedded in another page (an iframe).');
  const claimed = new URL(win.location.href).searchParams.get('parent');
  if (!claimed) throw embedError('parent_missing', 'The embedding page must name its origin: ?parent=https://its.host');
  let origin;
  try {
    origin = new URL(claimed).origin;
  } catch {
    origin = 'null';
  }
  if (origin === 'null' || origin !== claimed.replace(/\/$/, '').toLowerCase()) {
    throw embedError('parent_invalid', `?parent=${claimed} is not an origin (scheme://host[:port], no path).`);
  }
  const ancestors = win.location.ancestorOrigins;
  if (ancestors?.length && ancestors[0] !== origin) {
    throw embedError('parent_mismatch', `This page is embedded by ${ancestors[0]}, not by ${origin} as ?parent= says.`);
  }
  const config = await embedConfig();
  if (!config.origins?.includes(origin)) {
    throw embedError('origin_not_allowed', `${origin} is not allowed to embed this page: the server's --embed-origin list must name it.`);
  }
  return { origin, config };
}

/**
 * The channel to the parent at `origin`: `on(type, handler)` for messages from that origin
 * (from the parent window itself, with this VERSION; others are ignored, a wrong version is
 * answered with `inflow:error`), `post(type, fields)` to that exact origin.
 */
export function channel(origin, win = globalThis) {
  const handlers = new Map();
  const post = (type, fields = {}) => win.parent.postMessage({ ...fields, type, version: VERSION }, origin);
  win.addEventListener('message', (event) => {
    if (event.origin !== origin || event.source !== win.parent) return; // any other sender: ignored
    const m = event.data;
    if (!m || typeof m !== 'object' || typeof m.type !== 'string' || !m.type.startsWith('inflow:')) return;
    if (m.version !== VERSION) {
      post('inflow:error', { code: 'version_unsupported', message: `Message version ${m.version} is not supported; this page speaks version ${VERSION}.` });
      return;
    }
    const handler = handlers.get(m.type);
    if (!handler) return;
    Promise.resolve()
      .then(() => handler(m))
      .catch((e) => post('inflow:error', { code: typeof e?.code === 'string' ? e.code : 'failed', message: e?.message ?? String(e), in: m.type }));
  });
  return {
    origin,
    post,
    on(type, handler) {
      handlers.set(type, handler);
    },
  };
}

/** A plain, cloneable copy of an event's detail (drops functions and DOM nodes). */
export const plain = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/** Shows a problem in the page itself (for errors that cannot be posted to any parent). */
export function showProblem(error, where = document.querySelector('main') ?? document.body) {
  const p = document.createElement('p');
  p.className = 'problem';
  p.setAttribute('role', 'alert');
  p.textContent = error?.message ?? String(error);
  where.replaceChildren(p);
}
