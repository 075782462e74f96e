// A tiny static file server for browser tests that need a page of their own origin: serves the
// repository's files (www/, pkg/, pkg-fallback/, manifests/, tests/) plus `pages`, HTML
// written by the test, each with optional response headers (e.g. a Content-Security-Policy).
// `hidden(pathname)` answers 404 for paths the test pretends are not deployed.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO } from './harness.mjs';

const TYPES = {
  '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.html': 'text/html; charset=utf-8', '.css': 'text/css',
};

/**
 * Starts the server on 127.0.0.1:0. `pages`: `{ '/p.html': { body, headers } }` (may be
 * changed while running). Resolves to `{ port, requests, close() }`; `requests` lists every
 * path asked for, in order.
 */
export async function staticServer({ pages = {}, hidden = () => false } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname);
    const page = pages[url.pathname];
    if (page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...page.headers });
      return res.end(page.body);
    }
    const file = path.join(REPO, decodeURIComponent(url.pathname));
    if (!file.startsWith(REPO + path.sep) || hidden(url.pathname)) return res.writeHead(404).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: server.address().port,
    pages,
    requests,
    close: () => new Promise((ok) => server.close(ok)),
  };
}
