// toNodeHandler (returning-ai-widget/server) through a real http.createServer on 127.0.0.1; Returning.AI is played by
// the handler's `fetch` option. Imports the built module: run `npx tsc -p tsconfig.build.json` first.
import { afterEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { createWidgetAuthHandler, toNodeHandler } from '../../dist/server/index.js';

const API_KEY = 'test-api-key-DO-NOT-LEAK';

/** Emails Returning.AI received, in order. */
const upstreamEmails = [];
/** Returning.AI's answer for an email; a test may replace it. */
const tokenAnswer = (email) => Response.json({ token: `token-for:${email}` });
let signinAnswer = tokenAnswer;

/** Returning.AI's signin API, as the handler's `fetch`: records the email, then answers. */
async function fakeSignin(_url, init) {
  const email = new Headers(init.headers).get('email');
  upstreamEmails.push(email);
  return signinAnswer(email);
}

afterEach(() => {
  signinAnswer = tokenAnswer;
  upstreamEmails.length = 0;
});

/** A stand-in for Node's IncomingMessage, with what the adapter reads of it. */
function fakeReq({ method = 'POST', url = '/api/widget-auth', headers = { host: 'shop.example' }, socket = {}, ...rest } = {}) {
  return { method, url, headers, socket, ...rest };
}

/** A stand-in for Node's ServerResponse that records what the adapter does to it; `throwOnSetHeader` breaks it. */
function fakeRes({ throwOnSetHeader = false } = {}) {
  const headers = new Map();
  return {
    statusCode: 200,
    headers,
    ends: [],
    destroyed: false,
    headersSent: false,
    writableEnded: false,
    setHeader(name, value) {
      if (throwOnSetHeader) throw new Error('socket gone');
      headers.set(name.toLowerCase(), value);
    },
    getHeaderNames: () => [...headers.keys()],
    removeHeader: (name) => headers.delete(name),
    writeHead(status) {
      this.statusCode = status;
      this.headersSent = true;
    },
    end(body) {
      this.ends.push(body === undefined ? undefined : Buffer.from(body).toString());
      this.headersSent = true;
      this.writableEnded = true;
    },
    destroy() {
      this.destroyed = true;
    },
  };
}

/** Runs `handler` through toNodeHandler for one fake request; `seen` is what the handler got. */
async function adapt(handler, { req = fakeReq(), res = fakeRes(), next } = {}) {
  const seen = [];
  await toNodeHandler((request, context) => {
    seen.push({ request, context });
    return handler(request, context);
  })(req, res, next);
  return { res, seen };
}

describe('toNodeHandler, with plain objects for req and res', () => {
  const ok = () => Response.json({ ok: true });

  for (const method of ['CONNECT', 'TRACE', 'TRACK']) {
    it(`${method}, which a Fetch Request cannot carry, is answered 405 without the handler`, async () => {
      const { res, seen } = await adapt(ok, { req: fakeReq({ method }) });
      assert.equal(res.statusCode, 405);
      assert.equal(res.headers.get('allow'), 'POST');
      assert.deepEqual(res.ends, ['{"error":"method-not-allowed"}']);
      assert.equal(seen.length, 0);
    });
  }

  it('hands the handler the method in capitals, GET when there is none', async () => {
    const { seen } = await adapt(ok, { req: fakeReq({ method: 'post' }) });
    const { seen: none } = await adapt(ok, { req: { ...fakeReq(), method: undefined } });
    assert.deepEqual([seen[0].request.method, none[0].request.method], ['POST', 'GET']);
  });

  it('builds the URL from the Host and the target: https on a TLS socket, http otherwise', async () => {
    const urls = [];
    for (const socket of [{ encrypted: true }, {}]) urls.push((await adapt(ok, { req: fakeReq({ socket }) })).seen[0].request.url);
    assert.deepEqual(urls, ['https://shop.example/api/widget-auth', 'http://shop.example/api/widget-auth']);
  });

  it('a target that is not a path (or none) cannot move the origin: the URL is the origin alone', async () => {
    const urls = [];
    for (const url of ['.evil.example/steal', '@evil.example/', undefined]) urls.push((await adapt(ok, { req: { ...fakeReq(), url } })).seen[0].request.url);
    assert.deepEqual(urls, ['http://shop.example/', 'http://shop.example/', 'http://shop.example/']);
  });

  it('copies every header value, drops undefined ones and HTTP/2 pseudo-headers', async () => {
    const headers = { host: 'shop.example', ':path': '/api/widget-auth', ':method': 'POST', accept: ['a/b', 'c/d'], 'x-none': undefined };
    const { request } = (await adapt(ok, { req: fakeReq({ headers }) })).seen[0];
    assert.deepEqual([...request.headers], [['accept', 'a/b, c/d'], ['host', 'shop.example']]);
  });

  it('passes { req, res } as the context, and writes status, headers and body once', async () => {
    const req = fakeReq();
    const res = fakeRes();
    const { seen } = await adapt(() => new Response('created', { status: 201, headers: { 'X-Extra': 'a' } }), { req, res });
    assert.equal(seen[0].context.req, req);
    assert.equal(seen[0].context.res, res);
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers.get('x-extra'), 'a');
    assert.deepEqual(res.ends, ['created']);
  });

  it('sets several Set-Cookie values as a list, not joined with commas', async () => {
    const headers = new Headers({ 'Content-Type': 'text/plain' });
    headers.append('Set-Cookie', 'a=1; Path=/');
    headers.append('Set-Cookie', 'b=2; Path=/');
    const { res } = await adapt(() => new Response(null, { status: 204, headers }));
    assert.deepEqual(Object.fromEntries(res.headers), { 'content-type': 'text/plain', 'set-cookie': ['a=1; Path=/', 'b=2; Path=/'] });
  });

  it('answers HEAD without reading the body', async () => {
    const unreadable = new ReadableStream({ pull: (controller) => controller.error(new Error('read')) });
    const { res } = await adapt(() => new Response(unreadable, { status: 200 }), { req: fakeReq({ method: 'HEAD' }) });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.ends, [undefined]);
  });

  it('accepts a Response-like object (another realm, a polyfill)', async () => {
    const like = { status: 202, headers: new Headers({ 'x-like': '1' }), arrayBuffer: async () => new TextEncoder().encode('like').buffer };
    const { res } = await adapt(() => like);
    assert.deepEqual([res.statusCode, res.headers.get('x-like'), res.ends], [202, '1', ['like']]);
  });

  const NOT_RESPONSES = [
    ['undefined', undefined],
    ['null', null],
    ['a string', 'ok'],
    ['a status that is not a number', { status: '200', headers: new Headers(), arrayBuffer: async () => new ArrayBuffer(0) }],
    ['no headers', { status: 200, arrayBuffer: async () => new ArrayBuffer(0) }],
    ['no arrayBuffer', { status: 200, headers: new Headers() }],
  ];
  for (const [label, value] of NOT_RESPONSES) {
    it(`a handler returning ${label} sends a TypeError saying so to next(err)`, async () => {
      const errors = [];
      await adapt(() => value, { next: (error) => errors.push(error) });
      assert.equal(errors.length, 1);
      assert.ok(errors[0] instanceof TypeError);
      assert.equal(errors[0].message, 'toNodeHandler: the handler did not return a Response');
    });
  }

  it('writes nothing when the handler has answered through res itself', async () => {
    const { res } = await adapt((_request, { res: nodeRes }) => {
      nodeRes.statusCode = 302;
      nodeRes.end('redirected');
      return ok();
    });
    assert.deepEqual([res.statusCode, res.ends], [302, ['redirected']]);
  });

  it('without next, a failure before the headers are sent becomes a clean 500, headers set so far removed', async () => {
    const res = fakeRes();
    await adapt(
      (_request, { res: nodeRes }) => {
        nodeRes.setHeader('X-Half-Done', '1');
        throw new Error('boom');
      },
      { res },
    );
    assert.equal(res.statusCode, 500);
    assert.deepEqual(Object.fromEntries(res.headers), { 'content-type': 'application/json', 'cache-control': 'no-store' });
    assert.deepEqual(res.ends, ['{"error":"internal"}']);
    assert.equal(res.destroyed, false);
  });

  it('without next, a failure after the headers were sent cuts the connection', async () => {
    const res = fakeRes();
    await adapt(
      (_request, { res: nodeRes }) => {
        nodeRes.writeHead(200);
        throw new Error('boom');
      },
      { res },
    );
    assert.deepEqual([res.destroyed, res.ends], [true, []]);
  });

  it('without next, a response that cannot even take the 500 is cut', async () => {
    const res = fakeRes({ throwOnSetHeader: true });
    await adapt(ok, { res });
    assert.deepEqual([res.destroyed, res.ends], [true, []]);
  });
});

/** Starts `listener` on 127.0.0.1:0; returns its base URL and a close function. */
async function listen(listener) {
  const httpServer = createServer(listener);
  await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(resolve);
      }),
  };
}

/** Sessions by cookie value, standing in for a real session store. */
const SESSIONS = new Map([
  ['s-alice', { email: 'alice@example.com' }],
  ['s-bob', { email: 'bob@example.com' }],
]);

/**
 * A tiny Express-like stack: a session middleware sets `req.user` from the cookie, then the route
 * runs with a `next` that, like Express's final handler, turns an error into a response.
 */
function expressLike(route, { onNextError } = {}) {
  return (req, res) => {
    const sid = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    req.user = SESSIONS.get(sid) ?? (sid?.startsWith('u-') ? { email: `${sid.slice(2)}@example.com` } : undefined);
    route(req, res, (err) => {
      onNextError?.(err);
      res.statusCode = 418;
      res.end('next got the error');
    });
  };
}

function authHandler(overrides = {}) {
  return createWidgetAuthHandler({
    apiKey: API_KEY,
    communityId: 'community-1',
    getUserEmail: (_request, { req }) => req.user?.email,
    fetch: fakeSignin,
    ...overrides,
  });
}

describe('toNodeHandler', () => {
  it('serves the token for the user of the Express-style session (req.user)', async () => {
    const app = await listen(expressLike(toNodeHandler(authHandler())));
    try {
      const response = await fetch(`${app.url}/api/widget-auth`, { method: 'POST', headers: { cookie: 'sid=s-bob' } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/json');
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await response.json(), { token: 'token-for:bob@example.com' });
      assert.deepEqual(upstreamEmails, ['bob@example.com']);
    } finally {
      await app.close();
    }
  });

  it('answers 401 without a session and makes no upstream call', async () => {
    const app = await listen(expressLike(toNodeHandler(authHandler())));
    try {
      const response = await fetch(`${app.url}/api/widget-auth`, { method: 'POST' });
      assert.equal(response.status, 401);
      assert.deepEqual(await response.json(), { error: 'unauthenticated' });
      assert.equal(upstreamEmails.length, 0);
    } finally {
      await app.close();
    }
  });

  it('passes the Node req/res as context and converts method, URL and headers', async () => {
    let seen;
    const handler = mock.fn((request, context) => {
      seen = { request, context };
      return new Response('ok', { status: 201 });
    });
    let nodeReq;
    let nodeRes;
    const app = await listen((req, res) => {
      nodeReq = req;
      nodeRes = res;
      return toNodeHandler(handler)(req, res);
    });
    try {
      const response = await fetch(`${app.url}/mount/widget-auth?x=1`, {
        method: 'POST',
        headers: { 'x-custom': 'yes', cookie: 'sid=s-alice' },
      });
      assert.equal(response.status, 201);
      assert.equal(await response.text(), 'ok');
      assert.equal(seen.context.req, nodeReq);
      assert.equal(seen.context.res, nodeRes);
      assert.ok(seen.request instanceof Request);
      assert.equal(seen.request.method, 'POST');
      assert.equal(seen.request.url, `${app.url}/mount/widget-auth?x=1`);
      assert.equal(seen.request.headers.get('x-custom'), 'yes');
      assert.equal(seen.request.headers.get('cookie'), 'sid=s-alice');
    } finally {
      await app.close();
    }
  });

  it("uses Express's originalUrl, which keeps the mount path", async () => {
    let url;
    const route = toNodeHandler((request) => {
      url = request.url;
      return new Response(null, { status: 204 });
    });
    const app = await listen((req, res) => {
      // Express strips the mount path from req.url and keeps the full path in originalUrl.
      req.originalUrl = req.url;
      req.url = req.url.replace(/^\/api/, '');
      return route(req, res);
    });
    try {
      const response = await fetch(`${app.url}/api/widget-auth`, { method: 'POST' });
      assert.equal(response.status, 204);
      assert.equal(url, `${app.url}/api/widget-auth`);
    } finally {
      await app.close();
    }
  });

  it('writes status, headers (including several Set-Cookie) and body back', async () => {
    const app = await listen(
      toNodeHandler(() => {
        const headers = new Headers({ 'Content-Type': 'text/plain', 'X-Extra': 'a' });
        headers.append('Set-Cookie', 'a=1; Path=/');
        headers.append('Set-Cookie', 'b=2; Path=/');
        return new Response('created', { status: 202, headers });
      }),
    );
    try {
      const response = await fetch(app.url, { method: 'POST' });
      assert.equal(response.status, 202);
      assert.equal(response.headers.get('x-extra'), 'a');
      assert.equal(response.headers.get('content-type'), 'text/plain');
      assert.deepEqual(response.headers.getSetCookie(), ['a=1; Path=/', 'b=2; Path=/']);
      assert.equal(await response.text(), 'created');
    } finally {
      await app.close();
    }
  });

  it('answers GET with 405 and Allow: POST', async () => {
    const app = await listen(expressLike(toNodeHandler(authHandler())));
    try {
      const response = await fetch(`${app.url}/api/widget-auth`, { headers: { cookie: 'sid=s-alice' } });
      assert.equal(response.status, 405);
      assert.equal(response.headers.get('allow'), 'POST');
      assert.deepEqual(await response.json(), { error: 'method-not-allowed' });
      assert.equal(upstreamEmails.length, 0);
    } finally {
      await app.close();
    }
  });

  it('sends upstream failures through unchanged, without the API key', async () => {
    signinAnswer = () => Response.json({ key: API_KEY }, { status: 403 });
    const app = await listen(expressLike(toNodeHandler(authHandler())));
    try {
      const response = await fetch(app.url, { method: 'POST', headers: { cookie: 'sid=s-alice' } });
      assert.equal(response.status, 502);
      const text = await response.text();
      assert.equal(JSON.parse(text).error, 'upstream-rejected');
      assert.ok(!text.includes(API_KEY));
      for (const [name, value] of response.headers) assert.ok(!value.includes(API_KEY), name);
    } finally {
      await app.close();
    }
  });

  it('passes an error thrown by the handler to next(err)', async () => {
    const boom = new Error('boom');
    const onNextError = mock.fn();
    const app = await listen(expressLike(toNodeHandler(() => { throw boom; }), { onNextError }));
    try {
      const response = await fetch(app.url, { method: 'POST' });
      assert.equal(response.status, 418);
      assert.equal(onNextError.mock.callCount(), 1);
      assert.equal(onNextError.mock.calls[0].arguments[0], boom);
    } finally {
      await app.close();
    }
  });

  it('passes a TypeError to next(err) when the handler returns no Response', async () => {
    const onNextError = mock.fn();
    const app = await listen(expressLike(toNodeHandler(async () => 'not a response'), { onNextError }));
    try {
      const response = await fetch(app.url, { method: 'POST' });
      assert.equal(response.status, 418);
      assert.ok(onNextError.mock.calls[0].arguments[0] instanceof TypeError);
    } finally {
      await app.close();
    }
  });

  it('without next, answers 500 {"error":"internal"} with no-store', async () => {
    const app = await listen(toNodeHandler(async () => { throw new Error(`secret ${API_KEY}`); }));
    try {
      const response = await fetch(app.url, { method: 'POST' });
      assert.equal(response.status, 500);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.equal(response.headers.get('content-type'), 'application/json');
      assert.equal(await response.text(), '{"error":"internal"}');
    } finally {
      await app.close();
    }
  });

  it('without next, a body that fails to read still becomes a clean 500', async () => {
    const body = new ReadableStream({
      pull(controller) {
        controller.error(new Error('stream broke'));
      },
    });
    const app = await listen(toNodeHandler(() => new Response(body, { headers: { 'X-Should-Not-Survive': '1' } })));
    try {
      const response = await fetch(app.url, { method: 'POST' });
      assert.equal(response.status, 500);
      assert.equal(response.headers.get('x-should-not-survive'), null);
      assert.deepEqual(await response.json(), { error: 'internal' });
    } finally {
      await app.close();
    }
  });

  it('50 concurrent users with a slow upstream each get their own token', async () => {
    signinAnswer = async (email) => {
      await delay(50);
      return tokenAnswer(email);
    };
    const app = await listen(expressLike(toNodeHandler(authHandler())));
    try {
      const ids = Array.from({ length: 50 }, (_, i) => `user${i}`);
      const tokens = await Promise.all(
        ids.map(async (id) => {
          const response = await fetch(app.url, { method: 'POST', headers: { cookie: `sid=u-${id}` } });
          assert.equal(response.status, 200);
          return (await response.json()).token;
        }),
      );
      assert.deepEqual(tokens, ids.map((id) => `token-for:${id}@example.com`));
      assert.equal(new Set(upstreamEmails).size, 50);
    } finally {
      await app.close();
    }
  });
});

/** Sends one raw HTTP/1.1 request, so the target and Host can be anything a client may put on the wire. */
function rawRequest(url, { method = 'POST', target, host }) {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    // write, not end: Node's server drops a request whose client half-closes before the answer is ready.
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(`${method} ${target} HTTP/1.1\r\nHost: ${host}\r\nCookie: sid=s-alice\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (data += chunk));
    socket.on('end', () => resolve({ status: Number(data.split(' ')[1]), body: data.slice(data.indexOf('\r\n\r\n') + 4) }));
    socket.on('error', reject);
  });
}

describe('toNodeHandler: the Request handed to the handler', () => {
  /** Serves the auth handler; `seen` collects the URL of every Request that reached getUserEmail. */
  async function appSeeingUrls() {
    const seen = [];
    const handler = authHandler({
      getUserEmail: (request, { req }) => {
        seen.push(request.url);
        return req.user?.email;
      },
    });
    return { app: await listen(expressLike(toNodeHandler(handler))), seen };
  }

  const MALFORMED_HOSTS = ['evil@example.com', 'user:pass@example.com', 'a.example/evil?x=', 'a.example#frag', '[::1', 'a b', 'a.example:99999'];
  for (const host of MALFORMED_HOSTS) {
    it(`a malformed Host ${JSON.stringify(host)} is served (not 500), with the target's path on a localhost origin`, async () => {
      const { app, seen } = await appSeeingUrls();
      try {
        const response = await rawRequest(app.url, { target: '/api/widget-auth?x=1', host });
        assert.equal(response.status, 200, response.body);
        assert.deepEqual(JSON.parse(response.body), { token: 'token-for:alice@example.com' });
        assert.deepEqual(seen, ['http://localhost/api/widget-auth?x=1']);
      } finally {
        await app.close();
      }
    });
  }

  for (const [host, origin] of [['shop.example:8080', 'http://shop.example:8080'], ['[::1]:3000', 'http://[::1]:3000'], ['SHOP.example', 'http://shop.example']]) {
    it(`a valid Host ${host} gives the origin ${origin}`, async () => {
      const { app, seen } = await appSeeingUrls();
      try {
        assert.equal((await rawRequest(app.url, { target: '/api/widget-auth', host })).status, 200);
        assert.deepEqual(seen, [`${origin}/api/widget-auth`]);
      } finally {
        await app.close();
      }
    });
  }

  // Browsers send origin-form only. Other forms must not let a client choose the origin the handler sees.
  for (const [form, target, path] of [
    ['absolute-form', 'http://evil.example/api/widget-auth?x=1', '/'],
    ['asterisk-form', '*', '/'],
    ['a path starting with //', '//evil.example/api/widget-auth', '//evil.example/api/widget-auth'],
  ]) {
    it(`${form} (${target}) keeps the origin of the Host header`, async () => {
      const { app, seen } = await appSeeingUrls();
      try {
        const host = new URL(app.url).host;
        assert.equal((await rawRequest(app.url, { target, host })).status, 200);
        assert.deepEqual(seen, [`http://${host}${path}`]);
        assert.equal(new URL(seen[0]).origin, app.url);
      } finally {
        await app.close();
      }
    });
  }
});
