// Reading a token's expiry: only what can be read for sure counts; anything else means "no known expiry".
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isFresh, refreshDelay, reusableUntil, tokenExpiry } from '../../src/core/jwt.js';
import { jwtWithPayload } from './helpers.js';

const NOW = 1_700_000_000_000;
const seconds = (ms: number) => ms / 1000;

describe('tokenExpiry', () => {
  test('is the exp claim in epoch milliseconds', () => {
    assert.equal(tokenExpiry(jwtWithPayload({ exp: 1_700_000_300 })), 1_700_000_300_000);
  });

  test('decodes base64url, whose - and _ stand for + and /', () => {
    // ">>>???" encodes to "Pj4-Pz8_" in base64url.
    const token = jwtWithPayload({ pad: '>>>???', exp: 1_700_000_300 });
    assert.match(token.split('.')[1]!, /[-_]/);
    assert.equal(tokenExpiry(token), 1_700_000_300_000);
  });

  for (const [what, token] of [
    ['an opaque token', 'opaque'],
    ['a payload of null', jwtWithPayload(null)],
    ['a numeric payload', jwtWithPayload(5)],
    ['an array payload', jwtWithPayload([{ exp: 1 }])],
    ['a string exp', jwtWithPayload({ exp: '1700000300' })],
    ['an exp too large to be a date', jwtWithPayload({ exp: 1e306 })],
    ['a payload that is not base64', 'a.%%%.c'],
  ] as const) {
    test(`is unknown for ${what}`, () => assert.equal(tokenExpiry(token), undefined));
  }
});

describe('isFresh', () => {
  test('is true until 30 s before exp, and false from then on', () => {
    const exp = seconds(NOW) + 300;
    const token = jwtWithPayload({ exp });
    assert.equal(isFresh(token, exp * 1000 - 30_001), true);
    assert.equal(isFresh(token, exp * 1000 - 30_000), false);
  });

  test('uses a quarter of the lifetime as the margin for tokens shorter than 2 minutes', () => {
    const iat = seconds(NOW);
    const token = jwtWithPayload({ iat, exp: iat + 40 });
    assert.equal(isFresh(token, NOW + 29_999), true);
    assert.equal(isFresh(token, NOW + 30_000), false);
  });

  test('without iat, the margin is 30 s', () => {
    const token = jwtWithPayload({ exp: seconds(NOW) + 600 });
    assert.equal(isFresh(token, NOW), true);
    assert.equal(isFresh(token, NOW + 570_000), false);
  });

  // An issuer's clock or a bug can put iat at or after exp: there is no lifetime to take a quarter of.
  test('an iat that is not before exp is ignored: the margin is 30 s, and the token is never fresh after exp', () => {
    const exp = seconds(NOW) + 600;
    for (const iat of [exp, exp + 1, exp + 3600]) {
      const token = jwtWithPayload({ iat, exp });
      assert.equal(isFresh(token, exp * 1000 - 30_001), true, `iat ${iat - exp} s after exp`);
      assert.equal(isFresh(token, exp * 1000 - 30_000), false, `iat ${iat - exp} s after exp`);
      assert.equal(isFresh(token, exp * 1000 + 60_000), false, `iat ${iat - exp} s after exp`);
    }
  });

  test('a token whose expiry cannot be read is fresh: the widget tells when it is not', () => {
    for (const payload of [null, { exp: 'soon' }, { exp: '1' }, { iat: 'x', exp: null }]) {
      assert.equal(isFresh(jwtWithPayload(payload), NOW), true, JSON.stringify(payload));
    }
  });
});

describe('refreshDelay', () => {
  test('is the time until a quarter of the time left remains, at most 60 s before expiry', () => {
    const exp = seconds(NOW) + 400;
    assert.equal(refreshDelay(jwtWithPayload({ exp }), NOW), 340_000);
    assert.equal(refreshDelay(jwtWithPayload({ exp: seconds(NOW) + 120 }), NOW), 90_000);
  });

  test('reads exp alone: an iat at or after exp changes nothing, and an expired token is refreshed at once', () => {
    const exp = seconds(NOW) + 400;
    for (const iat of [undefined, exp, exp + 3600]) {
      assert.equal(refreshDelay(jwtWithPayload({ iat, exp }), NOW), 340_000, `iat ${iat}`);
      assert.ok(refreshDelay(jwtWithPayload({ iat, exp }), exp * 1000 + 1) < 0, `iat ${iat}`);
    }
  });

  test('is Infinity for a token with no known expiry', () => {
    assert.equal(refreshDelay('opaque', NOW), Infinity);
  });
});

describe('reusableUntil (the backend cache)', () => {
  test('ends before an element would refresh the token (a quarter of its lifetime before exp, at most 60 s), by half that again for clock skew, at most 30 s', () => {
    const iat = seconds(NOW);
    assert.equal(reusableUntil(jwtWithPayload({ iat, exp: iat + 3600 })), (iat + 3600) * 1000 - 90_000);
    assert.equal(reusableUntil(jwtWithPayload({ iat, exp: iat + 300 })), (iat + 300) * 1000 - 90_000);
    assert.equal(reusableUntil(jwtWithPayload({ iat, exp: iat + 120 })), (iat + 120) * 1000 - 45_000);
    assert.equal(reusableUntil(jwtWithPayload({ iat, exp: iat + 8 })), (iat + 8) * 1000 - 3_000);
  });

  test('an iat that is not before exp is ignored: ends 90 s before exp, never after it', () => {
    const exp = seconds(NOW) + 3600;
    for (const iat of [exp, exp + 1, exp + 3600]) {
      assert.equal(reusableUntil(jwtWithPayload({ iat, exp })), exp * 1000 - 90_000, `iat ${iat - exp} s after exp`);
    }
  });

  test('without iat, ends 90 s before exp; without a known expiry, there is none', () => {
    assert.equal(reusableUntil(jwtWithPayload({ exp: seconds(NOW) + 100 })), NOW + 10_000);
    assert.equal(reusableUntil('opaque'), undefined);
    assert.equal(reusableUntil(jwtWithPayload({ exp: 'later' })), undefined);
  });
});
