// The cross-site guard, read directly: which browser requests count as coming from another site (the handler answers
// them 403 before anything else, see server-handler.test.mjs), and which allowedOrigins lists are accepted.
// Imports the built module: run `npx tsc -p tsconfig.build.json` first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isCrossSite, parseAllowedOrigins } from '../../dist/server/cross-site.js';

const ENDPOINT = 'https://api.shop.example/api/widget-auth';
const NONE_ALLOWED = parseAllowedOrigins(undefined);

function post(headers = {}) {
  return new Request(ENDPOINT, { method: 'POST', headers });
}

const REFUSED = [
  ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site: cross-site with an Origin', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
  ['an Origin of another site, without Sec-Fetch-Site (older browsers)', { origin: 'https://evil.example' }],
  ['an Origin of another port', { origin: 'https://api.shop.example:8443' }],
  ['an Origin of another scheme', { origin: 'http://api.shop.example' }],
  ['Origin: null (sandboxed frame, data: URL)', { origin: 'null' }],
  ['an unknown Sec-Fetch-Site value with a foreign Origin', { 'sec-fetch-site': 'bogus', origin: 'https://evil.example' }],
];

const SERVED = [
  ['no browser headers (server to server)', {}],
  ['Sec-Fetch-Site: same-origin', { 'sec-fetch-site': 'same-origin', origin: 'https://api.shop.example' }],
  ['Sec-Fetch-Site: same-site, from a sibling subdomain', { 'sec-fetch-site': 'same-site', origin: 'https://www.shop.example' }],
  ['Sec-Fetch-Site: none (user-initiated)', { 'sec-fetch-site': 'none' }],
  ['its own Origin, without Sec-Fetch-Site', { origin: 'https://api.shop.example' }],
  // Behind a proxy that rewrites Host the URL's origin differs; the browser's own verdict is trusted.
  ['Sec-Fetch-Site: same-origin with an Origin the proxied URL does not match', { 'sec-fetch-site': 'same-origin', origin: 'https://www.shop.example' }],
  // The browser's verdict is trusted over the Origin whenever it gives one.
  ['Sec-Fetch-Site: none, with the Origin of another site', { 'sec-fetch-site': 'none', origin: 'https://elsewhere.example' }],
  ['Sec-Fetch-Site: same-site, with the Origin of another site', { 'sec-fetch-site': 'same-site', origin: 'https://elsewhere.example' }],
];

describe('isCrossSite: which browser requests come from another site', () => {
  for (const [label, headers] of REFUSED) {
    it(`${label}: cross-site`, () => assert.equal(isCrossSite(post(headers), NONE_ALLOWED), true));
  }

  for (const [label, headers] of SERVED) {
    it(`${label}: not cross-site`, () => assert.equal(isCrossSite(post(headers), NONE_ALLOWED), false));
  }

  it('an Origin in allowedOrigins is let through, even cross-site; its look-alikes are not', () => {
    const allowed = parseAllowedOrigins(['https://partner.example', 'http://localhost:5173/']);
    for (const origin of ['https://partner.example', 'http://localhost:5173']) {
      assert.equal(isCrossSite(post({ 'sec-fetch-site': 'cross-site', origin }), allowed), false, origin);
    }
    for (const origin of ['https://partner.example.evil.example', 'https://partner.example:444']) {
      assert.equal(isCrossSite(post({ 'sec-fetch-site': 'cross-site', origin }), allowed), true, origin);
    }
  });
});

describe('parseAllowedOrigins: the allowedOrigins option', () => {
  it('keeps each origin as browsers send it (no trailing slash), and none when there is no list', () => {
    assert.deepEqual([...parseAllowedOrigins(['https://partner.example/', 'http://localhost:5173', 'https://PARTNER.example'])], [
      'https://partner.example',
      'http://localhost:5173',
    ]);
    assert.deepEqual([...NONE_ALLOWED], []);
  });

  const NOT_ORIGIN_LISTS = [
    'https://partner.example',
    42,
    null,
    ['*'],
    ['null'],
    ['data:text/html,hi'],
    ['https://partner.example/path'],
    ['https://partner.example?x'],
    ['https://partner.example#x'],
    ['https://user@partner.example'],
    ['partner.example'],
    [42],
    // Strings only, even for a value that would turn into an origin as text.
    [new URL('https://partner.example')],
  ];
  for (const allowedOrigins of NOT_ORIGIN_LISTS) {
    it(`refuses ${JSON.stringify(allowedOrigins)}, naming the option`, () => {
      assert.throws(() => parseAllowedOrigins(allowedOrigins), {
        name: 'TypeError',
        message: 'createWidgetAuthHandler: option "allowedOrigins" must be an array of origins such as "https://shop.example"',
      });
    });
  }
});
