import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const FAKE_WIDGET = readFileSync(new URL('./fake-widget.html', import.meta.url));

function listen(handler) {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// How many times each widget page was requested, by path: a document loaded twice is two requests.
const requests = new Map();

// Every GET path is a widget page: `/{type}/{id}`, as the element builds it from its base-url.
function serveWidget(request, response) {
  const path = new URL(request.url, 'http://x').pathname;
  requests.set(path, (requests.get(path) ?? 0) + 1);
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(FAKE_WIDGET);
}

/**
 * Starts the cross-origin hosts of the browser tests on loopback: the widget's origin and an attacker's, and
 * names a refused one. The test pages themselves are served from `localhost`, a third origin.
 */
export async function startFixtureServers() {
  const servers = await Promise.all([listen(serveWidget), listen(serveWidget)]);
  const [widget, attacker] = servers.map((server) => `http://127.0.0.1:${server.address().port}`);
  // A port that was just free and is closed again: connecting to it is refused, as a down backend is.
  const closed = await listen(serveWidget);
  const refused = `http://127.0.0.1:${closed.address().port}`;
  await new Promise((resolve) => closed.close(resolve));
  return {
    origins: { WIDGET_ORIGIN: widget, ATTACKER_ORIGIN: attacker, REFUSED_ORIGIN: refused },
    /** How many times the widget page at `path` was requested, on either fixture server. */
    requests: (path) => requests.get(path) ?? 0,
    close: () => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))),
  };
}
