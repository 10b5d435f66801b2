// One token request: how answers are classified, when attempts are retried and how long each may take.
import { getEventListeners } from 'node:events';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthError } from '../../src/core/auth-error.js';
import { fetchToken } from '../../src/core/token-fetch.js';
import { FakeBrowser, settle } from './fake-environment.js';
import { ENDPOINT } from './helpers.js';

type Report = { reason: string; status?: number; retrying: boolean; message: string };

function start(source: Parameters<typeof fetchToken>[1] = ENDPOINT, timeoutMs = 10_000) {
  const browser = new FakeBrowser();
  const { env } = browser.tab();
  const reports: Report[] = [];
  const controller = new AbortController();
  const result = fetchToken(env, source, timeoutMs, controller.signal, (error, retrying) =>
    reports.push({ reason: error.reason, ...(error.status !== undefined && { status: error.status }), retrying, message: error.message }),
  ).then(
    (token) => ({ token }),
    (error: unknown) => ({ error }),
  );
  return { browser, reports, controller, result, net: browser.network, clock: browser.clock };
}

describe('classifying an answer', () => {
  test('POSTs with credentials, asks for JSON, and does not follow redirects', async () => {
    const { net, result } = start();
    await settle();
    const { init } = net.requests[0]!;
    assert.equal(init.method, 'POST');
    assert.equal(init.credentials, 'include');
    assert.equal(init.redirect, 'manual');
    assert.deepEqual(init.headers, { accept: 'application/json' });
    net.requests[0]!.answer(200, { token: 't' });
    assert.deepEqual(await result, { token: 't' });
  });

  // What the endpoint answers, and the failure it is reported as (with the status, when there is one to report).
  for (const [what, status, body, reason, message, reported] of [
    ['401', 401, {}, 'unauthorized', 'auth endpoint answered 401', 401],
    ['403', 403, {}, 'unauthorized', 'auth endpoint answered 403', 403],
    ['a redirect (a login middleware)', 0, {}, 'unauthorized', 'auth endpoint answered a redirect', undefined],
    ['another 4xx', 429, {}, 'http', 'auth endpoint answered 429', 429],
    ['HTML', 200, '<html>', 'invalid-response', 'not JSON', 200],
    ['JSON null', 200, 'null', 'invalid-response', 'no token', undefined],
    ['no token', 200, {}, 'invalid-response', 'no token', undefined],
    ['an empty token', 200, { token: '' }, 'invalid-response', 'no token', undefined],
    ['a numeric token', 200, { token: 42 }, 'invalid-response', 'no token', undefined],
  ] as const) {
    test(`${what} fails for good as ${reason}, at once`, async () => {
      const { net, result, reports } = start();
      await settle();
      net.requests[0]!.answer(status, body);
      const { error } = (await result) as { error: AuthError };
      assert.ok(error instanceof AuthError);
      assert.equal(error.reason, reason);
      assert.deepEqual(reports, [{ reason, ...(reported !== undefined && { status: reported }), retrying: false, message }]);
      assert.equal(net.requests.length, 1);
    });
  }

  test('any non-empty string is a token', async () => {
    const { net, result } = start();
    await settle();
    net.requests[0]!.answer(200, { token: ' \u0000 not a JWT' });
    assert.deepEqual(await result, { token: ' \u0000 not a JWT' });
  });
});

describe('retries', () => {
  test('a 5xx is retried twice, 500 ms then 1,500 ms later, then fails for good', async () => {
    const { net, result, reports, clock } = start();
    await settle();
    net.requests[0]!.answer(500);
    await clock.advance(499);
    assert.equal(net.requests.length, 1, 'not before 500 ms');
    await clock.advance(1);
    assert.equal(net.requests.length, 2);
    net.requests[1]!.answer(503);
    await clock.advance(1_499);
    assert.equal(net.requests.length, 2, 'not before 1,500 ms');
    await clock.advance(1);
    assert.equal(net.requests.length, 3);
    net.requests[2]!.answer(502);
    const { error } = (await result) as { error: AuthError };
    assert.equal(error.status, 502);
    assert.deepEqual(
      reports.map(({ status, retrying }) => ({ status, retrying })),
      [
        { status: 500, retrying: true },
        { status: 503, retrying: true },
        { status: 502, retrying: false },
      ],
    );
    await clock.advance(10_000);
    assert.equal(net.requests.length, 3, 'no fourth attempt');
  });

  test('a network error is retried, and a retry that succeeds ends it', async () => {
    const { net, result, reports, clock } = start();
    await settle();
    net.requests[0]!.fail();
    await clock.advance(500);
    net.requests[1]!.answer(200, { token: 'second' });
    assert.deepEqual(await result, { token: 'second' });
    assert.deepEqual(reports, [{ reason: 'network', retrying: true, message: 'auth endpoint unreachable' }]);
  });

  test('each attempt is bounded by the timeout, reported as timeout and retried', async () => {
    const { net, reports, clock } = start(ENDPOINT, 3_000);
    await settle();
    await clock.advance(2_999);
    assert.deepEqual(reports, []);
    await clock.advance(1);
    assert.equal(net.requests[0]!.signal.aborted, true, 'the timed-out request is aborted');
    assert.deepEqual(reports, [{ reason: 'timeout', retrying: true, message: 'no token within 3000 ms' }]);
  });

  test('the caller’s abort ends it at once, during an attempt or a backoff delay, with no report', async () => {
    const during = start();
    await settle();
    during.controller.abort(new Error('gone'));
    assert.equal(((await during.result) as { error: Error }).error.message, 'gone');
    assert.deepEqual(during.reports, []);

    const backoff = start();
    await settle();
    backoff.net.requests[0]!.answer(503);
    await settle();
    backoff.controller.abort(new Error('gone'));
    assert.equal(((await backoff.result) as { error: Error }).error.message, 'gone');
    assert.deepEqual(backoff.clock.pending(), [], 'the backoff timer is cleared');
    assert.equal(backoff.reports.length, 1);
  });
});

describe('listeners', () => {
  test('none is left on any signal once the request ends, after retries: a listener kept alive keeps the request', async () => {
    const attempts: AbortSignal[] = [];
    const any = AbortSignal.any;
    AbortSignal.any = (signals) => {
      const signal = any.call(AbortSignal, signals);
      attempts.push(signal);
      return signal;
    };
    try {
      const { net, result, clock, controller } = start();
      await settle();
      net.requests[0]!.answer(503);
      await clock.advance(500);
      net.requests[1]!.answer(200, { token: 't' });
      assert.deepEqual(await result, { token: 't' });
      assert.equal(attempts.length, 2);
      assert.deepEqual([controller.signal, ...attempts].map((signal) => getEventListeners(signal, 'abort').length), [0, 0, 0]);
    } finally {
      AbortSignal.any = any;
    }
  });
});

describe('a tokenProvider', () => {
  test('gets a signal; a throw is a network failure, retried', async () => {
    const signals: AbortSignal[] = [];
    const { result, reports, clock } = start(async ({ signal }) => {
      signals.push(signal);
      if (signals.length === 1) throw new Error('offline');
      return 'from-provider';
    });
    await clock.advance(500);
    assert.deepEqual(await result, { token: 'from-provider' });
    assert.deepEqual(reports, [{ reason: 'network', retrying: true, message: 'tokenProvider failed' }]);
    assert.ok(signals[0] instanceof AbortSignal);
  });

  test('that ignores its signal still cannot outlive the timeout', async () => {
    const { reports, clock } = start(() => new Promise(() => {}), 1_000);
    await clock.advance(1_000);
    assert.deepEqual(reports, [{ reason: 'timeout', retrying: true, message: 'no token within 1000 ms' }]);
  });
});
