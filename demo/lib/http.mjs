// Small response/request helpers shared by both demo servers (Node's http only).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

// Demo assets change on every rebuild; never let the browser keep stale copies.
const BASE_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

export function send(res, status, body, headers = {}) {
  res.writeHead(status, { ...BASE_HEADERS, ...headers });
  res.end(body);
}

export function sendJson(res, status, value, headers = {}) {
  send(res, status, JSON.stringify(value), { 'content-type': TYPES['.json'], ...headers });
}

export function sendHtml(res, status, html, headers = {}) {
  send(res, status, html, { 'content-type': TYPES['.html'], ...headers });
}

export function sendText(res, status, text, headers = {}) {
  send(res, status, text, { 'content-type': 'text/plain; charset=utf-8', ...headers });
}

export function redirect(res, location, headers = {}) {
  send(res, 303, '', { location, ...headers });
}

/** Streams a file; resolves false (and sends nothing) when it does not exist. */
export async function sendFile(res, path, headers = {}) {
  let info;
  try {
    info = await stat(path);
  } catch {
    return false;
  }
  if (!info.isFile()) return false;
  res.writeHead(200, {
    ...BASE_HEADERS,
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': info.size,
    ...headers,
  });
  createReadStream(path)
    .on('error', () => res.destroy())
    .pipe(res);
  return true;
}

/** Resolves a URL path inside root, or null if it would escape root. */
export function safeJoin(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const full = resolve(base, `.${sep}${decoded}`);
  return full === base || full.startsWith(base + sep) ? full : null;
}

/** Reads a small request body (forms only); rejects anything over limit bytes. */
export function readBody(req, limit = 8 * 1024) {
  return new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Listens on host:port (0 = any free port) and resolves the bound port. */
export function listen(server, port, host) {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen(server.address().port);
    });
  });
}

/** Closes a server, dropping idle keep-alive sockets so close() does not hang. */
export function close(server) {
  return new Promise((resolveClose) => {
    if (!server.listening) return resolveClose();
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}
