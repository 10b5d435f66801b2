import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const FAKE_WIDGET = readFileSync(new URL('./fake-widget.html', import.meta.url));

function listen(handler) {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Every GET path is a widget page: `/{type}/{id}`, as the element builds it from its base-url.
function serveWidget(_request, response) {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(FAKE_WIDGET);
}

/** Serves the widget page, and notes each request to the widget's origin: its URL and when it came (epoch ms). */
const recording = (requests) => (request, response) => {
  requests.push({ url: request.url, at: Date.now() });
  serveWidget(request, response);
};

/**
 * Starts the cross-origin hosts of the browser tests on loopback: the widget's origin and an attacker's, and
 * names a refused one. The test pages themselves are served from `localhost`, a third origin. `widgetRequests`
 * lists the requests the widget's origin received, in order, each with its time.
 */
export async function startFixtureServers() {
  const widgetRequests = [];
  const servers = await Promise.all([listen(recording(widgetRequests)), listen(serveWidget)]);
  const [widget, attacker] = servers.map((server) => `http://127.0.0.1:${server.address().port}`);
  // A port that was just free and is closed again: connecting to it is refused, as a down backend is.
  const closed = await listen(serveWidget);
  const refused = `http://127.0.0.1:${closed.address().port}`;
  await new Promise((resolve) => closed.close(resolve));
  return {
    origins: { WIDGET_ORIGIN: widget, ATTACKER_ORIGIN: attacker, REFUSED_ORIGIN: refused },
    widgetRequests,
    close: () => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))),
  };
}
