import { expect } from '@open-wc/testing';
import { HttpResponse, delay } from 'msw';
import { TOKEN_REQUEST, WIDGET_ORIGIN, WidgetFrame, authEndpoint, cleanup, deferred, freshJwt, mount, poll, startWorker, until } from './support.js';
import type { AuthFailureDetail } from '../../src/index.js';

/**
 * Mounts a silent widget that has asked for a token, against an endpoint answered by `respond`. Answers wait
 * until the widget has asked, so the request made at connection is the one the widget's request joins.
 */
async function askingWidget(respond: (call: number) => Response | Promise<Response>, attributes: Record<string, string> = {}) {
  let call = 0;
  const asked = deferred();
  const endpoint = authEndpoint(async () => {
    await asked.promise;
    return respond(++call);
  });
  const mounted = await mount({ 'auth-endpoint': endpoint.url, 'widget-type': 'silent', ...attributes });
  await mounted.widget.post(TOKEN_REQUEST);
  asked.resolve();
  return { endpoint, ...mounted };
}

const settled = (failures: AuthFailureDetail[]) => failures.find((failure) => !failure.retrying);

describe('failures', () => {
  before(startWorker);
  afterEach(cleanup);

  for (const status of [401, 403]) {
    it(`reports ${status} as unauthorized, without retrying or posting anything`, async () => {
      const { el, events, widget, endpoint } = await askingWidget(() => new HttpResponse(null, { status }));
      await until(() => settled(events.failure), 'the failure');
      expect(events.failure).to.deep.equal([
        { widgetId: 'w1', reason: 'unauthorized', status, message: `auth endpoint answered ${status}`, retrying: false },
      ]);
      expect(endpoint.calls).to.equal(1);
      expect(el.status).to.equal('logged-out');
      expect(await widget.received()).to.deep.equal([]);
    });
  }

  it('costs a signed-out visitor one request: the widget’s next request is not fetched again, nor reported twice', async () => {
    const { el, events, widget, endpoint } = await askingWidget(() => new HttpResponse(null, { status: 401 }));
    await until(() => settled(events.failure), 'the failure');
    await widget.request();
    await widget.post(TOKEN_REQUEST);
    expect(await widget.received()).to.deep.equal([]);
    expect(endpoint.calls).to.equal(1);
    expect(events.failure).to.have.length(1);
    expect(el.status).to.equal('logged-out');
  });

  it('reports a 4xx other than 401/403 as http, at once and for good', async () => {
    const { el, events, endpoint } = await askingWidget(() => new HttpResponse(null, { status: 429 }));
    await until(() => settled(events.failure), 'the failure');
    expect(events.failure).to.deep.equal([{ widgetId: 'w1', reason: 'http', status: 429, message: 'auth endpoint answered 429', retrying: false }]);
    expect(endpoint.calls).to.equal(1);
    expect(el.status).to.equal('error');
  });

  it('reports a redirect (a login middleware) as unauthorized, without following it', async () => {
    let followed = 0;
    const login = authEndpoint(() => {
      followed++;
      return new HttpResponse('<form>Sign in</form>', { headers: { 'content-type': 'text/html' } });
    });
    const { el, events } = await askingWidget(() => new HttpResponse(null, { status: 302, headers: { location: login.url } }));
    await until(() => settled(events.failure), 'the failure');
    expect(events.failure).to.deep.equal([{ widgetId: 'w1', reason: 'unauthorized', message: 'auth endpoint answered a redirect', retrying: false }]);
    expect(followed).to.equal(0);
    expect(el.status).to.equal('logged-out');
  });

  it('retries a 5xx twice with backoff, reporting each attempt, then gives up', async () => {
    const { el, events, widget, endpoint } = await askingWidget(() => new HttpResponse('<h1>Bad gateway</h1>', { status: 502 }));
    await until(() => settled(events.failure), 'the last failure', 8000);
    expect(events.failure.map(({ reason, status, retrying }) => ({ reason, status, retrying }))).to.deep.equal([
      { reason: 'http', status: 502, retrying: true },
      { reason: 'http', status: 502, retrying: true },
      { reason: 'http', status: 502, retrying: false },
    ]);
    expect(endpoint.calls).to.equal(3);
    expect(el.status).to.equal('error');
    expect(await widget.received()).to.deep.equal([]);
  });

  it('recovers when a retry succeeds', async () => {
    const token = freshJwt();
    const { el, events, widget } = await askingWidget((call) =>
      call === 1 ? new HttpResponse(null, { status: 503 }) : HttpResponse.json({ token }),
    );
    expect(await widget.token()).to.equal(token);
    expect(events.failure.map(({ reason, retrying }) => ({ reason, retrying }))).to.deep.equal([{ reason: 'http', retrying: true }]);
    expect(el.status).to.equal('authenticated');
  });

  it('reports a network error as network, and retries it', async () => {
    const { events } = await askingWidget(() => HttpResponse.error());
    await until(() => settled(events.failure), 'the last failure', 8000);
    expect(events.failure.map(({ reason, retrying }) => ({ reason, retrying }))).to.deep.equal([
      { reason: 'network', retrying: true },
      { reason: 'network', retrying: true },
      { reason: 'network', retrying: false },
    ]);
  });

  it('bounds each attempt by the timeout and reports it as timeout', async () => {
    const { events, endpoint } = await askingWidget(async () => {
      await delay('infinite');
      return HttpResponse.json({ token: 'never' });
    }, { timeout: '150' });
    await until(() => settled(events.failure), 'the last failure', 8000);
    expect(events.failure.map(({ reason, retrying }) => ({ reason, retrying }))).to.deep.equal([
      { reason: 'timeout', retrying: true },
      { reason: 'timeout', retrying: true },
      { reason: 'timeout', retrying: false },
    ]);
    expect(events.failure[0]!.message).to.contain('150 ms');
    expect(endpoint.calls).to.equal(3);
  });

  it('applies a timeout changed at run time to the next request', async () => {
    let calls = 0;
    const endpoint = authEndpoint(async () => {
      if (++calls > 1) await delay('infinite');
      return HttpResponse.json({ token: freshJwt() });
    });
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url, timeout: '60000' });
    await widget.token();
    el.timeout = 100;
    await el.updateComplete;
    await widget.request();
    await until(() => events.failure.find((failure) => failure.reason === 'timeout'), 'a timeout failure', 4000);
    expect(events.failure[0]!.message).to.equal('no token within 100 ms');
  });

  const invalid: Array<[string, () => Response]> = [
    ['an HTML page', () => new HttpResponse('<!doctype html><p>Sign in', { headers: { 'content-type': 'text/html' } })],
    ['an empty object', () => HttpResponse.json({})],
    ['a numeric token', () => HttpResponse.json({ token: 42 })],
    ['an empty token', () => HttpResponse.json({ token: '' })],
    ['null', () => HttpResponse.json(null)],
  ];
  for (const [what, respond] of invalid) {
    it(`reports ${what} as invalid-response, without retrying or posting anything`, async () => {
      const { events, widget, endpoint } = await askingWidget(respond);
      await until(() => settled(events.failure), 'the failure');
      expect(events.failure.map(({ reason, retrying }) => ({ reason, retrying }))).to.deep.equal([{ reason: 'invalid-response', retrying: false }]);
      expect(endpoint.calls).to.equal(1);
      expect(await widget.received()).to.deep.equal([]);
    });
  }

  it('tries again at the widget’s next request after a failure', async () => {
    const token = freshJwt();
    const { events, widget } = await askingWidget((call) => (call === 1 ? HttpResponse.json({}) : HttpResponse.json({ token })));
    await until(() => settled(events.failure), 'the failure');
    await widget.request();
    expect(await widget.token()).to.equal(token);
  });

  it('answers the still-waiting widget when authenticate() succeeds after a failure', async () => {
    const token = freshJwt();
    const { el, events, widget } = await askingWidget((call) => (call === 1 ? new HttpResponse(null, { status: 401 }) : HttpResponse.json({ token })));
    await until(() => settled(events.failure), 'the failure');
    expect(await el.authenticate()).to.equal(true);
    expect(await widget.token()).to.equal(token);
    expect(el.status).to.equal('authenticated');
  });

  it('starts a new request when authenticate() is called from a failure listener', async () => {
    const token = freshJwt();
    const { el, widget } = await askingWidget((call) => (call === 1 ? new HttpResponse(null, { status: 401 }) : HttpResponse.json({ token })));
    const retried = new Promise<boolean>((resolve) =>
      el.addEventListener('rai-auth-failure', (event) => !event.detail.retrying && resolve(el.authenticate()), { once: true }),
    );
    expect(await retried).to.equal(true);
    expect(await widget.token()).to.equal(token);
  });

  it('reports authenticate() failing with false and an event, not a rejection', async () => {
    const { el, events } = await askingWidget(() => new HttpResponse(null, { status: 403 }));
    await until(() => settled(events.failure), 'the first failure');
    expect(await el.authenticate()).to.equal(false);
    expect(events.failure.filter((failure) => failure.reason === 'unauthorized')).to.have.length(2);
  });

  it('hands back the token the widget reported expired once (a reloaded document, a backend cache), then refuses to loop with it', async () => {
    const stuck = freshJwt();
    const { events, widget, endpoint } = await askingWidget(() => HttpResponse.json({ token: stuck }));
    expect(await widget.token()).to.equal(stuck);
    await widget.request();
    expect(await widget.token(2)).to.equal(stuck);
    expect(events.failure).to.deep.equal([]);
    await widget.request();
    await until(() => events.failure.length, 'the failure');
    expect(events.failure[0]).to.include({ reason: 'invalid-response', retrying: false });
    expect(endpoint.calls).to.equal(3);
    expect(await widget.received()).to.deep.equal([stuck, stuck]);
  });

  it('a widget document that reloads itself is handed the token a caching backend still serves, with no failure', async () => {
    const cached = freshJwt(); // what createWidgetAuthHandler's cache does: one token per user until shortly before exp
    const endpoint = authEndpoint(() => HttpResponse.json({ token: cached }));
    const { el, widget, events } = await mount({ 'auth-endpoint': endpoint.url });
    expect(await widget.token()).to.equal(cached);
    await widget.navigate(`${WIDGET_ORIGIN}/store/w1`); // the widget's own reload: the element cannot see it
    expect(await widget.token(2)).to.equal(cached);
    expect(await widget.received()).to.deep.equal([cached]);
    expect(events.failure).to.deep.equal([]);
    expect(el.status).to.equal('authenticated');
  });

  it('reports a failing tokenProvider as network, and an empty token from it as invalid-response', async () => {
    const failing = await mount({ 'widget-type': 'silent' }, { tokenProvider: () => Promise.reject(new Error('offline')) });
    await until(() => settled(failing.events.failure), 'the provider failure', 8000);
    expect(failing.events.failure.map(({ reason }) => reason)).to.deep.equal(['network', 'network', 'network']);

    const empty = await mount({ 'widget-type': 'silent' }, { tokenProvider: async () => '' });
    await until(() => settled(empty.events.failure), 'the empty-token failure');
    expect(empty.events.failure.map(({ reason }) => reason)).to.deep.equal(['invalid-response']);
  });

  it('falls back to memory when web storage throws, and still authenticates', async () => {
    const { getItem, setItem } = Storage.prototype;
    Storage.prototype.getItem = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
    Storage.prototype.setItem = () => {
      throw new DOMException('Quota exceeded', 'QuotaExceededError');
    };
    try {
      const endpoint = authEndpoint();
      const { widget, el } = await mount({ 'auth-endpoint': endpoint.url });
      const token = await widget.token();
      expect(token).to.equal(endpoint.tokens[0]);
      // Kept in memory: the next request after a reload is answered without a request.
      el.reload();
      expect(await widget.token(2)).to.equal(token);
      expect(endpoint.calls).to.equal(1);
    } finally {
      Object.assign(Storage.prototype, { getItem, setItem });
    }
  });
});

describe('widget documents the element did not load, and status listeners that move the element', () => {
  before(startWorker);
  afterEach(cleanup);

  it('a widget that reloads itself or moves between its own pages is signed in on each, with a caching backend', async () => {
    const cached = freshJwt(); // createWidgetAuthHandler's cache: one token per user until 90 s before exp
    const endpoint = authEndpoint(() => HttpResponse.json({ token: cached }));
    const { el, widget, events } = await mount({ 'auth-endpoint': endpoint.url });
    expect(await widget.token()).to.equal(cached);
    for (let page = 2; page <= 4; page++) {
      await widget.waitFor('loaded', page - 1);
      await widget.navigate(`${WIDGET_ORIGIN}/store/w1?page=${page}`);
      expect(await widget.token(page)).to.equal(cached);
    }
    expect(events.failure).to.deep.equal([]);
    expect(el.status).to.equal('authenticated');
  });

  it('an element a rai-status-change listener moves as it starts signing in still signs its widget in', async () => {
    const endpoint = authEndpoint();
    const box = document.createElement('div');
    document.body.append(box);
    const el = document.createElement('returning-ai-widget');
    el.addEventListener('rai-status-change', function move(event) {
      if (event.detail.status !== 'authenticating') return;
      el.removeEventListener('rai-status-change', move);
      box.append(el); // say, the app shows it in another container while it signs in
    });
    try {
      const { events } = await mount({ 'auth-endpoint': endpoint.url }, {}, el);
      expect(el.parentElement).to.equal(box);
      const frame = await poll(() => el.shadowRoot!.querySelector('iframe') ?? undefined, 'the element’s frame');
      expect(await new WidgetFrame(frame).token()).to.be.a('string');
      expect(el.status).to.equal('authenticated');
      expect(events.failure).to.deep.equal([]);
    } finally {
      box.remove();
    }
  });
});
