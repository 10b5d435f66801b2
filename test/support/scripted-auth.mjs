// A real auth endpoint on the test server, for documents that msw does not control (a second "tab", a second copy
// of the library): msw mocks only for the test page that started it. Each endpoint `/__auth/<id>` counts its
// requests and answers them as its mode says; `/__auth-control/<id>` lets the test page read and steer it.
//
//   POST /__auth/<id>                          a token request (credentials and all), answered per the mode
//   GET  /__auth-control/<id>                  { calls, open, held: [{ n, query }], aborted, tokens: [{ n, token }] }
//   POST /__auth-control/<id>?mode=…           auto (default: answer at once) | hold (wait to be answered) | 401 | 503
//   POST /__auth-control/<id>/answer?n=…&status=…   answers held request n (default: all held) with a token or status
//
// Tokens are unsigned JWTs `{ iat, exp, ep: id, n, q }`: the test can tell which endpoint and which request minted
// one, and `q` echoes the request's query string (a test can tag its requests there).

const endpoints = new Map();

function endpoint(id) {
  if (!endpoints.has(id)) endpoints.set(id, { mode: 'auto', ttl: 300, calls: 0, aborted: 0, held: new Map(), tokens: [] });
  return endpoints.get(id);
}

const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

function mint(state, id, n, query) {
  const now = Math.floor(Date.now() / 1000);
  const token = `${part({ alg: 'none' })}.${part({ iat: now, exp: now + state.ttl, ep: id, n, q: query })}.x`;
  state.tokens.push({ n, token });
  return token;
}

function answer(context, state, id, n, status, query) {
  context.set('cache-control', 'no-store');
  if (status !== 200) {
    context.status = status;
    context.body = '';
    return;
  }
  context.type = 'json';
  context.body = JSON.stringify({ token: mint(state, id, n, query) });
}

/** Koa middleware for @web/test-runner's dev server. */
export async function scriptedAuth(context, next) {
  const [, kind, id, action] = /^\/(__auth|__auth-control)\/([\w-]+)(?:\/(answer))?$/.exec(context.path) ?? [];
  if (!kind) return next();
  const state = endpoint(id);
  if (kind === '__auth-control') {
    context.set('cache-control', 'no-store');
    if (context.method === 'POST' && action === 'answer') {
      const status = Number(context.query.status ?? 200);
      const wanted = context.query.n === undefined ? [...state.held.keys()] : [Number(context.query.n)];
      const answered = wanted.filter((n) => state.held.has(n)).map((n) => ({ n, query: state.held.get(n).query }));
      for (const { n } of answered) {
        state.held.get(n).resolve(status);
        state.held.delete(n);
      }
      context.body = { answered: answered.length, requests: answered };
      return;
    }
    if (context.method === 'POST') {
      if (context.query.mode) state.mode = context.query.mode;
      if (context.query.ttl) state.ttl = Number(context.query.ttl);
    }
    const held = [...state.held].map(([n, { query }]) => ({ n, query }));
    context.body = { calls: state.calls, open: held.map(({ n }) => n), held, aborted: state.aborted, tokens: state.tokens };
    return;
  }
  if (context.method !== 'POST') return void (context.status = 405);
  const n = ++state.calls;
  const query = context.querystring;
  if (state.mode === 'auto') return answer(context, state, id, n, 200, query);
  if (state.mode !== 'hold') return answer(context, state, id, n, Number(state.mode), query);
  // Held until the test answers it; a client that goes away (an aborted fetch) is counted and forgotten.
  const status = await new Promise((resolve) => {
    state.held.set(n, { resolve, query });
    context.res.once('close', () => {
      if (state.held.delete(n)) {
        state.aborted++;
        resolve(0);
      }
    });
  });
  if (status) answer(context, state, id, n, status, query);
  else context.status = 204; // nobody is listening: not a 404 in the runner's report
}
