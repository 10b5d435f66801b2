// The token conversation with one widget frame, and the state the element shows, in Node: a WidgetExchange on a tab of
// the owner's fake browser (clock, storage, network, locks and channel injected), with a fake element around it. What
// the browser suites check against real frames, checked here message by message, fast, and under mutation testing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthError } from '../../src/core/auth-error.js';
import { FakeBrowser, settle } from '../owner/fake-environment.js';
import { ENDPOINT, KEY, OTHER_ENDPOINT, jwt, store } from '../owner/helpers.js';
import { FakeWindow, REQUEST, WIDGET_ORIGIN, config, exchangeOn, messageFrom } from './fake-host.js';
import type { WidgetExchange } from '../../src/element/widget-exchange.js';

const REPLY = 'RETURNINGAI_WIDGET_TOKEN';
const REFRESH = 'RETURNINGAI_WIDGET_REFRESH';

/** A browser tab whose endpoint answers each request at once with a new 300 s JWT, and an exchange in it. */
function setup({ auto = true } = {}) {
  const browser = new FakeBrowser();
  const issued: string[] = [];
  if (auto) {
    browser.network.auto = (request) => {
      issued.push(jwt(browser.clock.now, 300));
      request.answer(200, { token: issued.at(-1) });
    };
  }
  const tab = browser.tab();
  const { exchange, host } = exchangeOn(tab.owner);
  /** The widget asks (a request from its own window, at its origin), and the answer is let through. */
  const ask = async () => {
    exchange.heard(messageFrom(host.frame));
    await settle();
  };
  return { browser, tab, owner: tab.owner, exchange, host, issued, ask };
}

describe('starting: use() and prefetch()', () => {
  test('joins its slot and fetches at once, before the widget asks; the token is then at hand', async () => {
    const { browser, exchange, host, issued } = setup();
    exchange.use(config());
    assert.equal(exchange.status, 'authenticating');
    assert.equal(exchange.ready, false);
    assert.equal(browser.network.requests.length, 1);
    assert.equal(browser.network.requests[0]!.url, ENDPOINT);
    await settle();
    assert.equal(exchange.ready, true);
    assert.deepEqual(host.frame!.posted, [], 'nothing is sent to a widget that has not loaded or asked');
    assert.equal(issued.length, 1);
    assert.deepEqual(host.statuses, ['authenticating']);
  });

  test('a fresh stored token is at hand without a request', async () => {
    const { browser, exchange } = setup();
    store(browser.local, ENDPOINT, jwt(browser.clock.now, 300));
    exchange.use(config());
    await settle();
    assert.equal(exchange.ready, true);
    assert.equal(browser.network.requests.length, 0);
  });

  test('the same slot again (another widget id, say) keeps the slot and its request', async () => {
    const { browser, exchange } = setup({ auto: false });
    exchange.use(config());
    const slot = exchange.slot;
    exchange.use(config({ url: new URL(`${WIDGET_ORIGIN}/store/other`) }));
    assert.equal(exchange.slot, slot);
    assert.equal(exchange.config!.url.pathname, '/store/other');
    assert.equal(browser.network.requests.length, 1);
    assert.equal(browser.network.open.length, 1, 'the request is not aborted');
  });

  for (const [what, change] of [
    ['another source', { source: OTHER_ENDPOINT }],
    ['another storage kind', { kind: 'session' as const }],
    ['another key', { key: 'k2' }],
  ] as const) {
    test(`${what} is another slot: the old one is left (its request aborted) and the new one fetched`, async () => {
      const { browser, exchange } = setup({ auto: false });
      exchange.use(config());
      const slot = exchange.slot!;
      exchange.use(config(change));
      assert.notEqual(exchange.slot, slot);
      assert.equal(slot.views.size, 0);
      assert.equal(browser.network.requests[0]!.signal.aborted, true);
      assert.equal(browser.network.requests.length, 2);
    });
  }

  test('a widget holding a token stays authenticated while a new source fetches', async () => {
    const { exchange, ask } = setup();
    exchange.use(config());
    await ask();
    assert.equal(exchange.status, 'authenticated');
    exchange.use(config({ source: OTHER_ENDPOINT }));
    assert.equal(exchange.status, 'authenticated');
  });

  test('a widget waiting on the old slot is answered from the new one', async () => {
    const { browser, exchange, host, ask } = setup({ auto: false });
    exchange.use(config());
    await ask(); // asks while the request is held
    assert.equal(exchange.waiting, true);
    exchange.use(config({ source: OTHER_ENDPOINT }));
    const token = jwt(browser.clock.now, 300);
    browser.network.requests[1]!.answer(200, { token });
    await settle();
    assert.equal(browser.network.requests[1]!.url, OTHER_ENDPOINT);
    assert.deepEqual(host.frame!.tokens, [token]);
  });
});

describe('more of starting', () => {
  test('a new exchange is idle, with nothing at hand', () => {
    const { exchange } = setup();
    assert.deepEqual([exchange.status, exchange.reason, exchange.busy, exchange.waiting, exchange.loaded, !!exchange.ready], ['idle', undefined, false, false, false, false]);
  });

  test('the prefetch is bounded by the configured timeout', async () => {
    const { browser, exchange, host } = setup({ auto: false });
    exchange.use(config({ timeoutMs: 2_000 }));
    await browser.clock.advance(1_999);
    assert.equal(browser.network.requests[0]!.signal.aborted, false);
    await browser.clock.advance(1);
    assert.equal(browser.network.requests[0]!.signal.aborted, true);
    assert.deepEqual(host.detailsOf('rai-auth-failure')[0], { widgetId: 'w1', reason: 'timeout', message: 'no token within 2000 ms', retrying: true });
  });

  test('a prefetch that fails, or whose slot was left meanwhile, leaves no token at hand', async () => {
    const failing = setup({ auto: false });
    failing.browser.network.auto = (request) => request.answer(400);
    failing.exchange.use(config());
    await settle();
    assert.equal(failing.exchange.ready, false);

    const left = setup({ auto: false });
    exchangeOn(left.owner).exchange.use(config()); // another widget keeps the first slot and its request alive
    left.exchange.use(config());
    left.exchange.use(config({ key: 'k2' }));
    left.browser.network.requests[0]!.answer(200, { token: jwt(left.browser.clock.now, 300) });
    await settle();
    assert.equal(left.exchange.ready, false, 'the first slot’s token is not at hand for the second');
  });
});

describe('misconfigured()', () => {
  test('a final config failure: no slot, the message on the panel, one event per message', async () => {
    const { browser, exchange, host } = setup({ auto: false });
    exchange.use(config());
    exchange.misconfigured('theme must be light or dark, not "blue"');
    assert.equal(exchange.slot, undefined);
    assert.equal(exchange.config, undefined);
    assert.equal(browser.network.requests[0]!.signal.aborted, true);
    assert.equal(exchange.status, 'error');
    assert.equal(exchange.reason, 'config');
    assert.equal(exchange.failure!.message, 'theme must be light or dark, not "blue"');
    exchange.misconfigured('theme must be light or dark, not "blue"');
    exchange.misconfigured('widget-id is missing or invalid');
    assert.deepEqual(host.detailsOf('rai-auth-failure'), [
      { widgetId: 'w1', reason: 'config', message: 'theme must be light or dark, not "blue"', retrying: false },
      { widgetId: 'w1', reason: 'config', message: 'widget-id is missing or invalid', retrying: false },
    ]);
    assert.equal(exchange.busy, false);
  });

  test('after a detach the same message is reported again', () => {
    const { exchange, host } = setup();
    exchange.misconfigured('bad');
    exchange.detach();
    exchange.misconfigured('bad');
    assert.equal(host.detailsOf('rai-auth-failure').length, 2);
  });
});

describe('which messages count', () => {
  for (const [what, event] of [
    ['another window (another frame of the widget origin, the page)', () => messageFrom(new FakeWindow())],
    ['another origin', (host: { frame?: FakeWindow }) => messageFrom(host.frame, REQUEST, 'https://evil.example')],
    ['junk data', (host: { frame?: FakeWindow }) => messageFrom(host.frame, { type: 'RETURNINGAI_WIDGET_TOKEN' })],
    ['null data', (host: { frame?: FakeWindow }) => messageFrom(host.frame, null)],
  ] as const) {
    test(`ignores a request from ${what}`, async () => {
      const { exchange, host } = setup();
      exchange.use(config());
      await settle();
      exchange.heard(event(host));
      await settle();
      assert.equal(exchange.waiting, false);
      assert.deepEqual(host.frame!.posted, []);
    });
  }

  test('ignores everything while there is no frame, or no configuration', async () => {
    const { exchange, host } = setup();
    exchange.heard(messageFrom(host.frame)); // not configured: no origin to match
    assert.equal(exchange.waiting, false);
    exchange.use(config());
    const frame = host.frame;
    host.frame = undefined;
    exchange.heard(messageFrom(frame));
    assert.equal(exchange.waiting, false);
  });
});

describe('answering requests', () => {
  test('the first request of a document gets the token at hand, posted to its own window at the widget origin', async () => {
    const { browser, exchange, host, issued, ask } = setup();
    exchange.use(config());
    await settle();
    await ask();
    assert.deepEqual(host.frame!.posted, [{ type: REPLY, token: issued[0], widgetId: 'w1', targetOrigin: WIDGET_ORIGIN }]);
    assert.equal(browser.network.requests.length, 1);
    assert.equal(exchange.status, 'authenticated');
    assert.equal(exchange.waiting, false);
    assert.deepEqual(host.detailsOf('rai-auth-success'), [{ widgetId: 'w1', refreshed: false, expiresAt: jwtExpiry(issued[0]!) }]);
    assert.deepEqual(browser.clock.pending(), [240_000], 'the slot refreshes ahead of expiry');
  });

  test('a request before the token is here waits for it: never an empty answer', async () => {
    const { browser, exchange, host, ask } = setup({ auto: false });
    exchange.use(config());
    await ask();
    assert.deepEqual(host.frame!.posted, []);
    assert.equal(exchange.status, 'authenticating');
    const token = jwt(browser.clock.now, 300);
    browser.network.requests[0]!.answer(200, { token });
    await settle();
    assert.deepEqual(host.frame!.tokens, [token]);
  });

  test('a later request of the document means the token expired: a new one, never the same again', async () => {
    const { browser, exchange, host, issued, ask } = setup();
    exchange.use(config());
    await ask();
    await ask();
    assert.deepEqual(host.frame!.tokens, issued);
    assert.equal(issued.length, 2);
    assert.notEqual(issued[0], issued[1]);
    assert.deepEqual(host.detailsOf('rai-auth-success').map((detail) => detail.refreshed), [false, true]);
    assert.equal(browser.network.requests.length, 2);
    assert.deepEqual(host.statuses, ['authenticating', 'authenticated', 'authenticating', 'authenticated']);
  });

  test('an endpoint that hands back the token reported expired: sent once more, then a failure, not a loop', async () => {
    const { browser, exchange, host, ask } = setup({ auto: false });
    const token = jwt(browser.clock.now, 300);
    browser.network.auto = (request) => request.answer(200, { token }); // a backend whose cache still serves it
    exchange.use(config());
    await ask();
    // The frame's own document reloaded itself (the element cannot tell): its first request reads as an expiry report.
    await ask();
    assert.deepEqual(host.frame!.tokens, [token, token]);
    assert.equal(exchange.status, 'authenticated');
    assert.deepEqual(host.detailsOf('rai-auth-failure'), []);
    assert.equal(host.detailsOf('rai-auth-success').length, 1, 'the same token again is no news');
    await ask(); // asked again for it: the backend is broken
    assert.deepEqual(host.frame!.tokens, [token, token]);
    assert.equal(exchange.status, 'error');
    assert.deepEqual(host.detailsOf('rai-auth-failure'), [{ widgetId: 'w1', reason: 'invalid-response', message: 'endpoint re-sent the expired token', retrying: false }]);
    assert.equal(browser.network.requests.length, 3);
  });

  test('a new document may be handed the token the one before held once more', async () => {
    const { browser, exchange, host, ask } = setup({ auto: false });
    const token = jwt(browser.clock.now, 300);
    browser.network.auto = (request) => request.answer(200, { token });
    exchange.use(config());
    await ask();
    await ask(); // sent once more
    exchange.newDocument(); // reload()
    await ask();
    await ask();
    assert.deepEqual(host.frame!.tokens, [token, token, token, token]);
    assert.equal(exchange.status, 'authenticated');
  });

  test('a status listener that logs out as the widget is handed its token: nothing is fetched or stored afterwards', async () => {
    const { browser, exchange, host, owner, ask } = setup();
    host.onStatus('authenticated', () => owner.logout('local', KEY));
    exchange.use(config());
    await ask();
    assert.equal(exchange.status, 'logged-out');
    assert.deepEqual(host.events.map((event) => event.type), ['rai-status-change', 'rai-status-change', 'rai-status-change', 'rai-logout']);
    assert.equal(host.detailsOf('rai-auth-success').length, 0, 'no success reported after the logout');
    await browser.clock.advance(300_000);
    assert.equal(browser.network.requests.length, 1, 'no refresh after the logout');
    assert.equal(browser.local.items.get(KEY), undefined);
  });

  for (const [path, act] of [
    ['answering its request', async (_: WidgetExchange, ask: () => Promise<void>) => void (await ask())],
    ['authenticate()', async (exchange: WidgetExchange) => assert.equal(await exchange.authenticate(), true)],
  ] as const) {
    test(`a status listener that removes the element while ${path} hands the token over: no throw, no success`, async () => {
      const { exchange, host, ask } = setup();
      host.onStatus('authenticated', () => exchange.detach()); // el.remove()
      exchange.use(config());
      await settle();
      exchange.waiting = true;
      await act(exchange, ask);
      assert.equal(exchange.status, 'idle');
      assert.equal(exchange.slot, undefined);
      assert.equal(host.detailsOf('rai-auth-success').length, 0);
    });
  }

  test('an answer prepared for a document that was replaced meanwhile is dropped', async () => {
    const { browser, exchange, host, ask } = setup({ auto: false });
    exchange.use(config());
    await ask();
    exchange.newDocument();
    browser.network.requests[0]!.answer(200, { token: jwt(browser.clock.now, 300) });
    await settle();
    assert.deepEqual(host.frame!.posted, []);
    assert.equal(exchange.ready, true, 'the token is still at hand for the new document');
  });

  test('an answer prepared for another document is not delivered to the next one, even when that one asks too', async () => {
    const { browser, exchange, host, ask } = setup({ auto: false });
    exchange.use(config());
    await ask();
    exchange.newDocument();
    await ask(); // the new document asks as well, while the same request is in flight
    browser.network.requests[0]!.answer(200, { token: jwt(browser.clock.now, 300) });
    await settle();
    assert.equal(host.frame!.posted.length, 1, 'one answer, for the request of the current document');
  });

  test('a token of the slot the exchange switched away from never reaches the widget of the new configuration', async () => {
    // The element switches auth-endpoint (a new slot) and loads the new widget page (a new document) while the old
    // slot's request is still out; another element keeps that slot alive, so its request completes.
    const { browser, owner, exchange, host, ask } = setup({ auto: false });
    const other = exchangeOn(owner).exchange;
    other.use(config());
    exchange.use(config());
    await ask();
    exchange.use(config({ source: OTHER_ENDPOINT }));
    exchange.newDocument();
    await ask(); // the new document asks: its request goes to the new source
    const request = browser.network.requests.at(-1)!;
    assert.equal(request.url, OTHER_ENDPOINT);
    browser.network.requests[0]!.answer(200, { token: jwt(browser.clock.now, 300) }); // the old source's answer lands
    await settle();
    assert.deepEqual(host.frame!.tokens, []);
    const token = jwt(browser.clock.now, 300);
    request.answer(200, { token });
    await settle();
    assert.deepEqual(host.frame!.tokens, [token]);
  });

  test('a request whose fetch fails is reported as that failure, nothing else', async () => {
    const { browser, exchange, host, ask } = setup({ auto: false });
    browser.network.auto = (request) => request.answer(400);
    exchange.use(config());
    await settle();
    await ask();
    assert.deepEqual(host.detailsOf('rai-auth-failure').map((detail) => detail.reason), ['http', 'http']);
    assert.deepEqual(host.frame!.posted, []);
  });

  test('a token is sent nowhere when the frame is gone', async () => {
    const { exchange, host, ask } = setup();
    exchange.use(config());
    const frame = host.frame;
    await ask();
    host.frame = undefined; // say the element's frame was removed while the answer was on its way
    exchange.renewed('another token');
    assert.equal(frame!.posted.length, 1);
  });

  test('an answer prepared for a slot that was left is dropped', async () => {
    const { browser, exchange, host, ask } = setup({ auto: false });
    const token = jwt(browser.clock.now, 300);
    exchange.use(config());
    await ask();
    exchange.stop();
    browser.network.requests[0]!.answerAnyway(200, { token });
    await settle();
    assert.deepEqual(host.frame!.posted, []);
  });
});

describe('pushing: a loaded document that never asked, and refreshes', () => {
  test('a document that loads without asking is pushed the token at hand, once', async () => {
    const { exchange, host, issued } = setup();
    exchange.use(config());
    await settle();
    exchange.documentLoaded();
    await settle();
    assert.deepEqual(host.frame!.posted, [{ type: REPLY, token: issued[0], widgetId: 'w1', targetOrigin: WIDGET_ORIGIN }]);
    assert.equal(exchange.loaded, true);
    assert.equal(exchange.busy, false);
  });

  test('a document that loads before the token is here is pushed it when it comes', async () => {
    const { browser, exchange, host } = setup({ auto: false });
    exchange.use(config());
    exchange.documentLoaded();
    assert.equal(exchange.busy, true);
    const token = jwt(browser.clock.now, 300);
    browser.network.requests[0]!.answer(200, { token });
    await settle();
    assert.deepEqual(host.frame!.tokens, [token]);
    assert.equal(exchange.busy, false);
  });

  test('no push to a document that asked (it is answered), or that was replaced before the token came', async () => {
    const { browser, exchange, host, ask } = setup({ auto: false });
    exchange.use(config());
    exchange.documentLoaded();
    await ask();
    const token = jwt(browser.clock.now, 300);
    browser.network.requests[0]!.answer(200, { token });
    await settle();
    assert.deepEqual(host.frame!.posted.map((each) => each.type), [REPLY], 'one answer, no push besides');

    const second = setup({ auto: false });
    second.exchange.use(config());
    second.exchange.documentLoaded();
    second.exchange.newDocument();
    second.browser.network.requests[0]!.answer(200, { token: jwt(second.browser.clock.now, 300) });
    await settle();
    assert.deepEqual(second.host.frame!.posted, []);
  });

  test('no push after a final failure, nor to a signed-out widget', async () => {
    const failing = setup({ auto: false });
    failing.browser.network.auto = (request) => request.answer(400);
    failing.exchange.use(config());
    await settle();
    assert.equal(failing.exchange.status, 'error');
    failing.exchange.documentLoaded();
    await settle();
    assert.equal(failing.browser.network.requests.length, 1, 'loading is no retry');
    assert.deepEqual(failing.host.frame!.posted, []);

    const out = setup();
    out.exchange.use(config());
    await settle();
    out.owner.logout('local', KEY);
    out.exchange.documentLoaded();
    await settle();
    assert.deepEqual(out.host.frame!.posted, []);
  });

  test('a request that crosses a push is answered with the same token, without a fetch or a second event', async () => {
    const { browser, exchange, host, issued, ask } = setup();
    exchange.use(config());
    await settle();
    exchange.documentLoaded();
    await settle();
    await ask();
    assert.deepEqual(host.frame!.tokens, [issued[0], issued[0]]);
    assert.equal(browser.network.requests.length, 1);
    assert.equal(host.detailsOf('rai-auth-success').length, 1);
    assert.deepEqual(host.statuses, ['authenticating', 'authenticated'], 'no authenticating while it was answered');
    // A second request after that one is an expiry report again.
    await ask();
    assert.equal(browser.network.requests.length, 2);
    assert.deepEqual(host.frame!.tokens, [issued[0], issued[0], issued[1]]);
  });

  test('a reloaded document (status still authenticated from the one before) is pushed its token too', async () => {
    const { browser, exchange, host, issued, ask } = setup();
    exchange.use(config());
    await ask();
    exchange.newDocument();
    assert.equal(exchange.status, 'authenticated');
    exchange.documentLoaded();
    await settle();
    assert.deepEqual(host.frame!.tokens, [issued[0], issued[0]]);
    assert.equal(browser.network.requests.length, 1);
  });

  test('a push that must fetch (the token it had expired meanwhile) is bounded by the configured timeout', async () => {
    const { browser, exchange, ask } = setup();
    exchange.use(config({ timeoutMs: 3_000 }));
    await ask();
    browser.network.auto = undefined;
    browser.clock.now += 290_000; // the token at hand is no longer fresh
    exchange.newDocument();
    exchange.documentLoaded();
    await settle();
    const push = browser.network.requests.at(-1)!;
    await browser.clock.advance(2_999);
    assert.equal(push.signal.aborted, false);
    await browser.clock.advance(1);
    assert.equal(push.signal.aborted, true);
  });

  test('renewed(): a widget holding an older token gets the new one as a REFRESH; one that waits or holds it does not', async () => {
    const { browser, exchange, host, issued, ask } = setup();
    exchange.renewed('nothing delivered yet');
    exchange.use(config());
    await ask();
    exchange.renewed(issued[0]!);
    assert.equal(host.frame!.posted.length, 1, 'the token it holds');
    const next = jwt(browser.clock.now, 300);
    exchange.renewed(next);
    assert.deepEqual(host.frame!.posted.at(-1), { type: REFRESH, token: next, widgetId: 'w1', targetOrigin: WIDGET_ORIGIN });
    assert.deepEqual(host.detailsOf('rai-auth-success').at(-1), { widgetId: 'w1', refreshed: true, expiresAt: jwtExpiry(next) });
    exchange.waiting = true;
    exchange.renewed(jwt(browser.clock.now, 300));
    assert.equal(host.frame!.posted.length, 2);
  });

  test('the refresh ahead of expiry reaches the widget as a REFRESH before the token expires', async () => {
    const { browser, exchange, host, issued, ask } = setup();
    exchange.use(config());
    await ask();
    await browser.clock.advance(240_000);
    assert.equal(issued.length, 2);
    assert.deepEqual(host.frame!.posted.map((each) => [each.type, each.token]), [[REPLY, issued[0]], [REFRESH, issued[1]]]);
  });
});

describe('a load event after one: the widget reloaded itself, or a frame taken for loaded had not', () => {
  test('sends the pushed token again, with no event, unless the widget asked since', async () => {
    const { exchange, host, ask } = setup();
    exchange.use(config());
    await settle();
    exchange.documentLoaded();
    await settle();
    const [token] = host.frame!.tokens;
    const events = host.events.length;
    exchange.documentLoaded(); // another document, or this one at last
    assert.deepEqual(host.frame!.posted.map((each) => [each.type, each.token]), [[REPLY, token], [REPLY, token]]);
    assert.equal(host.events.length, events, 'no news: the same token');
    await ask(); // the widget asked (answered with that token, its request having maybe crossed the push)
    exchange.documentLoaded();
    assert.equal(host.frame!.posted.length, 3);
  });

  test('a document that asks twice before its first load event is not given the same token a third time', async () => {
    const { browser, exchange, host, ask } = setup({ auto: false });
    const token = jwt(browser.clock.now, 300);
    browser.network.auto = (request) => request.answer(200, { token });
    exchange.use(config());
    await ask();
    await ask(); // the same token back: sent once more
    exchange.documentLoaded(); // its first load event: still the same document
    await ask();
    assert.equal(exchange.status, 'error');
    assert.deepEqual(host.frame!.tokens, [token, token]);
  });

  test('nothing for a widget that is not being signed in', async () => {
    const { exchange, host, owner } = setup();
    exchange.use(config());
    await settle();
    exchange.documentLoaded();
    await settle();
    owner.logout('local', KEY);
    exchange.documentLoaded();
    exchange.documentLoaded();
    assert.equal(host.frame!.posted.length, 1);
  });

  test('after the exchange left its slot (a configuration error), a load event re-sends without a throw', async () => {
    const { exchange, host } = setup();
    exchange.use(config());
    await settle();
    exchange.documentLoaded();
    await settle();
    exchange.stop();
    exchange.documentLoaded();
    assert.equal(host.frame!.posted.length, 2);
  });

  test('a widget document that reloads itself again and again, with a caching backend: each is handed the token', async () => {
    const { browser, exchange, host, ask } = setup({ auto: false });
    const token = jwt(browser.clock.now, 300);
    browser.network.auto = (request) => request.answer(200, { token });
    exchange.use(config());
    for (let document = 0; document < 3; document++) {
      await ask(); // each document asks as its script runs, before its load event
      exchange.documentLoaded();
    }
    assert.deepEqual(host.frame!.tokens, [token, token, token]);
    assert.deepEqual(host.detailsOf('rai-auth-failure'), []);
    await ask(); // the last document asks again (its token expired), and again gets the same: sent once more
    assert.equal(exchange.status, 'authenticated');
    await ask(); // and again, with no new document in between: the backend is broken
    assert.equal(exchange.status, 'error');
    assert.deepEqual(host.frame!.tokens, [token, token, token, token]);
  });
});

describe('status listeners that remove or move the element as it starts asking', () => {
  test('use(): no throw, no request, idle', () => {
    const { exchange, host, browser } = setup();
    host.onStatus('authenticating', () => exchange.detach()); // el.remove(), or the first half of a move
    exchange.use(config());
    assert.equal(exchange.status, 'idle');
    assert.equal(browser.network.requests.length, 0);
  });

  test('answer(): no rejection, no request', async () => {
    const { exchange, host, browser, ask } = setup();
    exchange.use(config());
    await ask();
    const requests = browser.network.requests.length;
    host.onStatus('authenticating', () => exchange.detach());
    browser.local.items.delete(KEY); // nothing at hand: a request would be needed
    exchange.waiting = true; // the widget asked again, as heard() says
    await assert.doesNotReject(exchange.answer());
    assert.equal(browser.network.requests.length, requests);
    assert.equal(exchange.status, 'idle');
  });

  test('authenticate(): resolves false, no request', async () => {
    const { exchange, host, browser } = setup({ auto: false });
    browser.network.auto = (request) => request.answer(400);
    exchange.use(config());
    await settle();
    assert.equal(exchange.status, 'error');
    const requests = browser.network.requests.length;
    host.onStatus('authenticating', () => exchange.detach());
    assert.equal(await exchange.authenticate(), false);
    assert.equal(browser.network.requests.length, requests);
    assert.equal(exchange.status, 'idle');
  });
});

describe('authenticate()', () => {
  test('without a slot: false, and nothing happens', async () => {
    const { exchange, browser } = setup();
    assert.equal(await exchange.authenticate(), false);
    assert.equal(browser.network.requests.length, 0);
  });

  test('fetches even with a fresh token at hand, and answers the waiting widget', async () => {
    const { browser, exchange, host, issued } = setup({ auto: false });
    store(browser.local, ENDPOINT, jwt(browser.clock.now, 300));
    exchange.use(config());
    await settle();
    exchange.waiting = true;
    browser.network.auto = (request) => {
      issued.push(jwt(browser.clock.now, 300));
      request.answer(200, { token: issued.at(-1) });
    };
    assert.equal(await exchange.authenticate(), true);
    assert.equal(browser.network.requests.length, 1);
    assert.deepEqual(host.frame!.posted, [{ type: REPLY, token: issued[0], widgetId: 'w1', targetOrigin: WIDGET_ORIGIN }]);
  });

  test('pushes to a loaded document that has none, refreshes one that holds an older token, holds it for one not loaded', async () => {
    const loaded = setup();
    loaded.exchange.use(config());
    await settle();
    loaded.exchange.loaded = true; // loaded, and given nothing (say it was signed out then)
    assert.equal(await loaded.exchange.authenticate(), true);
    assert.deepEqual(loaded.host.frame!.posted.map((each) => each.type), [REPLY]);
    assert.equal(await loaded.exchange.authenticate(), true);
    assert.deepEqual(loaded.host.frame!.posted.map((each) => each.type), [REPLY, REFRESH]);
    assert.deepEqual(loaded.host.frame!.tokens, loaded.issued.slice(1));

    const unloaded = setup();
    unloaded.exchange.use(config());
    assert.equal(await unloaded.exchange.authenticate(), true);
    assert.deepEqual(unloaded.host.frame!.posted, []);
    assert.equal(unloaded.exchange.ready, true);
  });

  test('keeps a widget that holds a token authenticated while it fetches; a waiting one is authenticating', async () => {
    const { browser, exchange, host, ask } = setup();
    exchange.use(config());
    await ask();
    browser.network.auto = undefined;
    void exchange.authenticate();
    assert.equal(exchange.status, 'authenticated');
    exchange.waiting = true;
    void exchange.authenticate();
    assert.equal(exchange.status, 'authenticating');
    assert.deepEqual(host.statuses, ['authenticating', 'authenticated', 'authenticating']);
  });

  test('a token it already handed over is not sent again; one for a slot left meanwhile is neither sent nor at hand', async () => {
    const { browser, exchange, host, ask } = setup({ auto: false });
    const token = jwt(browser.clock.now, 300);
    browser.network.auto = (request) => request.answer(200, { token }); // an endpoint whose cache hands the same token out
    exchange.use(config());
    exchange.documentLoaded();
    await settle();
    assert.equal(await exchange.authenticate(), true);
    assert.deepEqual(host.frame!.tokens, [token]);

    const moved = setup({ auto: false });
    moved.exchange.use(config());
    await settle();
    moved.exchange.loaded = true;
    const result = moved.exchange.authenticate();
    moved.exchange.use(config({ key: 'k2' }));
    await settle();
    moved.browser.network.requests[1]!.answerAnyway(200, { token: jwt(moved.browser.clock.now, 300) });
    assert.equal(await result, false, 'its slot was left: the request was aborted');
    assert.deepEqual(moved.host.frame!.posted, []);
    void ask;
  });

  test('from the error panel: authenticating while it fetches', async () => {
    const { browser, exchange } = setup({ auto: false });
    browser.network.auto = (request) => request.answer(400);
    exchange.use(config());
    await settle();
    assert.equal(exchange.status, 'error');
    browser.network.auto = undefined;
    void exchange.authenticate();
    assert.equal(exchange.status, 'authenticating');
  });

  test('a token of a slot left meanwhile (another widget kept it alive) is neither sent nor at hand', async () => {
    const { browser, owner, exchange, host } = setup({ auto: false });
    exchangeOn(owner).exchange.use(config());
    exchange.use(config());
    exchange.loaded = exchange.waiting = true;
    const result = exchange.authenticate();
    await settle();
    exchange.use(config({ key: 'k2' }));
    exchange.waiting = true;
    // The forced request of the first slot (which replaced its prefetch), still alive for the other widget.
    browser.network.requests[1]!.answer(200, { token: jwt(browser.clock.now, 300) });
    assert.equal(await result, true);
    await settle();
    assert.deepEqual(host.frame!.posted, []);
    assert.equal(exchange.ready, false);
  });

  test('reopen() without a slot (the element misconfigured or detached) does nothing and does not throw', () => {
    const { exchange } = setup();
    exchange.reopen();
    exchange.misconfigured('bad');
    exchange.reopen();
    assert.equal(exchange.status, 'error');
  });

  test('signs a signed-out widget back in, and a 401-signed-out one', async () => {
    const { exchange, owner, host, ask } = setup();
    exchange.use(config());
    await ask();
    owner.logout('local', KEY);
    assert.equal(exchange.status, 'logged-out');
    await ask();
    assert.equal(host.frame!.posted.length, 1, 'nothing for a signed-out widget');
    assert.deepEqual([exchange.status, exchange.reason], ['logged-out', 'logout']);
    assert.equal(await exchange.authenticate(), true);
    assert.equal(exchange.status, 'authenticated');
    assert.equal(host.frame!.posted.length, 2);
  });

  test('resolves false when the request fails; a token for a replaced document is not sent', async () => {
    const failing = setup({ auto: false });
    failing.browser.network.auto = (request) => request.answer(400);
    failing.exchange.use(config());
    await settle();
    assert.equal(await failing.exchange.authenticate(), false);
    assert.equal(failing.exchange.ready, false);

    const replaced = setup({ auto: false });
    replaced.exchange.use(config());
    replaced.exchange.waiting = true;
    const result = replaced.exchange.authenticate();
    replaced.exchange.newDocument();
    await settle(); // the forced request starts once it holds the request lock
    const token = jwt(replaced.browser.clock.now, 300);
    replaced.browser.network.requests[1]!.answer(200, { token });
    assert.equal(await result, true);
    assert.deepEqual(replaced.host.frame!.posted, []);
    assert.equal(replaced.exchange.ready, true);
  });
});

describe('failures and sign-out', () => {
  test('401: signed out (logged-out, unauthorized); its requests are not fetched again until the session may be back', async () => {
    const { browser, exchange, host, ask } = setup({ auto: false });
    browser.network.auto = (request) => request.answer(401);
    exchange.use(config());
    await settle();
    assert.deepEqual([exchange.status, exchange.reason], ['logged-out', 'unauthorized']);
    await ask();
    assert.equal(browser.network.requests.length, 1);
    assert.deepEqual(host.frame!.posted, []);
    assert.deepEqual([exchange.status, exchange.reason], ['logged-out', 'unauthorized']);
    // Another tab stored a token: the session may be back, and the waiting widget is answered.
    const token = jwt(browser.clock.now, 300);
    store(browser.local, ENDPOINT, token);
    exchange.changed();
    await settle();
    assert.deepEqual(host.frame!.tokens, [token]);
    assert.equal(exchange.status, 'authenticated');
  });

  test('401 of a widget holding a valid token: it stays authenticated until it asks, then is signed out without a fetch', async () => {
    const { browser, exchange, host, ask } = setup();
    exchange.use(config());
    await ask();
    exchange.failed(new AuthError('unauthorized', 'auth endpoint answered 401', 401), false);
    assert.equal(exchange.status, 'authenticated');
    await ask();
    assert.deepEqual([exchange.status, exchange.reason], ['logged-out', 'unauthorized']);
    assert.equal(browser.network.requests.length, 1);
    assert.equal(host.frame!.posted.length, 1);
  });

  test('a new source lifts a 401, a logout stays', async () => {
    const { browser, exchange, owner } = setup({ auto: false });
    browser.network.auto = (request) => request.answer(401);
    exchange.use(config());
    await settle();
    exchange.use(config({ source: OTHER_ENDPOINT }));
    assert.equal(exchange.status, 'authenticating');
    await settle();
    owner.logout('local', KEY);
    exchange.use(config());
    assert.deepEqual([exchange.status, exchange.reason], ['logged-out', 'logout']);
  });

  test('other final failures: the error panel, unless the widget holds a valid token; retrying attempts change nothing', async () => {
    const { browser, exchange, host } = setup({ auto: false });
    exchange.use(config());
    exchange.failed(new AuthError('network', 'auth endpoint unreachable'), true);
    assert.equal(exchange.status, 'authenticating');
    exchange.failed(new AuthError('http', 'auth endpoint answered 502', 502), false);
    assert.deepEqual([exchange.status, exchange.reason, exchange.failure?.message], ['error', 'http', 'auth endpoint answered 502']);
    assert.deepEqual(host.detailsOf('rai-auth-failure'), [
      { widgetId: 'w1', reason: 'network', message: 'auth endpoint unreachable', retrying: true },
      { widgetId: 'w1', reason: 'http', status: 502, message: 'auth endpoint answered 502', retrying: false },
    ]);
    assert.equal(browser.network.requests.length, 1);

    const holding = setup();
    holding.exchange.use(config());
    await holding.ask();
    holding.exchange.failed(new AuthError('timeout', 'no token within 10000 ms'), false);
    assert.equal(holding.exchange.status, 'authenticated');
    holding.exchange.waiting = true;
    holding.exchange.failed(new AuthError('timeout', 'no token within 10000 ms'), false);
    assert.equal(holding.exchange.status, 'error', 'a widget that waits is no longer holding');
  });

  test('a config failure shows even over a held token', async () => {
    const { exchange, ask } = setup();
    exchange.use(config());
    await ask();
    exchange.failed(new AuthError('config', 'bad'), false);
    assert.equal(exchange.status, 'error');
  });

  test('a logout: the frame reloads, signed out with reason logout, one rai-logout, the token no longer at hand', async () => {
    const { exchange, owner, host, ask } = setup();
    exchange.use(config());
    await ask();
    owner.logout('local', KEY);
    assert.equal(host.reloads, 1);
    assert.equal(exchange.ready, false);
    assert.deepEqual([exchange.status, exchange.reason], ['logged-out', 'logout']);
    assert.deepEqual(host.detailsOf('rai-logout'), [{ widgetId: 'w1' }]);
    assert.deepEqual(host.statuses.slice(-1), ['logged-out:logout']);
    owner.logout('local', KEY);
    assert.equal(host.reloads, 1, 'a second logout does not reload a signed-out widget again');
  });

  test('reopen() after a logout: the next request is fetched and answered', async () => {
    const { exchange, owner, host, ask } = setup();
    exchange.use(config());
    await ask();
    owner.logout('local', KEY);
    exchange.newDocument();
    exchange.reopen();
    await ask();
    assert.equal(host.frame!.posted.length, 2);
    assert.equal(exchange.status, 'authenticated');
  });

  test('changed() with no widget waiting only lifts a 401', async () => {
    const { browser, exchange } = setup({ auto: false });
    browser.network.auto = (request) => request.answer(401);
    exchange.use(config());
    await settle();
    exchange.changed();
    await settle();
    assert.equal(browser.network.requests.length, 1);
    assert.equal(exchange.status, 'logged-out', 'nothing asked: the status waits for the next request');
  });
});

describe('authenticate() and the other widgets of its slot', () => {
  test('every widget holding the old token is handed the new one, on this page as in another tab', async () => {
    const { browser, owner, exchange: a, host: hostA, ask, issued } = setup();
    const b = exchangeOn(owner);
    const c = exchangeOn(browser.tab().owner);
    a.use(config());
    await ask();
    for (const { exchange, host } of [b, c]) {
      exchange.use(config());
      exchange.heard(messageFrom(host.frame));
      await settle();
    }
    for (const exchange of [a, b.exchange, c.exchange]) exchange.documentLoaded();
    const first = issued[0]!;
    assert.deepEqual([hostA.frame!.tokens, b.host.frame!.tokens, c.host.frame!.tokens], [[first], [first], [first]]);
    assert.equal(await a.authenticate(), true); // a sign-in without a page load, maybe as someone else
    await settle();
    const fresh = issued.at(-1)!;
    assert.notEqual(fresh, first);
    for (const host of [hostA, b.host, c.host]) assert.deepEqual(host.frame!.posted.at(-1), { type: REFRESH, token: fresh, widgetId: 'w1', targetOrigin: WIDGET_ORIGIN });
    assert.equal(hostA.frame!.posted.length, 2, 'a is handed it once');
  });
});

describe('the state the element shows', () => {
  test('busy: while being signed in, until the document has loaded and a token is at hand', async () => {
    const { exchange } = setup({ auto: false });
    assert.equal(exchange.busy, false, 'idle');
    exchange.use(config());
    assert.equal(exchange.busy, true);
    exchange.documentLoaded();
    assert.equal(exchange.busy, true, 'loaded, no token yet');
    exchange.ready = true;
    assert.equal(exchange.busy, false);
    exchange.loaded = false;
    assert.equal(exchange.busy, true, 'token at hand, not loaded');
    exchange.status = 'authenticated';
    assert.equal(exchange.busy, true);
    exchange.loaded = true;
    assert.equal(exchange.busy, false);
    for (const status of ['error', 'logged-out', 'idle'] as const) {
      exchange.status = status;
      exchange.loaded = exchange.ready = false;
      assert.equal(exchange.busy, false, status);
    }
  });

  test('every change renders; rai-status-change fires once per change of status or reason, never with a token', async () => {
    const { exchange, host, ask } = setup();
    exchange.use(config());
    await ask();
    const renders = host.renders;
    exchange.newDocument();
    assert.equal(host.renders, renders + 1);
    exchange.failed(new AuthError('network', 'x'), false);
    exchange.failed(new AuthError('network', 'x'), false);
    assert.deepEqual(host.statuses, ['authenticating', 'authenticated']);
    exchange.waiting = true;
    exchange.failed(new AuthError('network', 'x'), false);
    exchange.failed(new AuthError('timeout', 'y'), false);
    exchange.detach();
    assert.deepEqual(host.statuses, ['authenticating', 'authenticated', 'error:network', 'error:timeout', 'idle']);
    assert.doesNotMatch(JSON.stringify(host.detailsOf('rai-status-change')), /eyJ/);
  });

  test('detach(): the slot is left, the document gone, the status idle', async () => {
    const { exchange, host, ask } = setup();
    exchange.use(config());
    await ask();
    const slot = exchange.slot!;
    exchange.detach();
    assert.equal(slot.views.size, 0);
    assert.deepEqual([exchange.slot, exchange.config, exchange.status, exchange.loaded, exchange.waiting, exchange.ready], [undefined, undefined, 'idle', false, false, false]);
    assert.equal(host.statuses.at(-1), 'idle');
  });
});

function jwtExpiry(token: string): number {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp * 1000;
}
