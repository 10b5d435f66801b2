// withoutSecret, the copy of a thrown value that onError gets as `cause`: what it keeps (so a log is useful), what it
// leaves out, and its bounds, read directly. That no way of logging the copy shows the key, whatever was thrown, is
// server-errors.test.mjs, through the handler. Imports the built module: run `npx tsc -p tsconfig.build.json` first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withoutSecret } from '../../dist/server/safe-cause.js';

const SECRET = 'fake-key-0123456789';

/** The copy's own properties with their flags, as a logger or `Object.keys` sees them. */
function flags(object, key) {
  const { enumerable, writable, configurable } = Object.getOwnPropertyDescriptor(object, key);
  return { enumerable, writable, configurable };
}

describe('withoutSecret: what the copy keeps', () => {
  it('an Error: its class, name, message, stack and primitive own properties, each as on a built-in error', () => {
    const error = Object.assign(new TypeError('fetch failed'), { code: 'ECONNRESET', errno: -104, fatal: false });
    const copy = withoutSecret(error, SECRET);
    assert.notEqual(copy, error);
    assert.ok(copy instanceof TypeError);
    assert.equal(copy.name, 'TypeError');
    assert.equal(Object.hasOwn(copy, 'name'), false, 'the name comes from the class, as on the original');
    assert.equal(copy.message, 'fetch failed');
    assert.equal(copy.stack, error.stack);
    assert.deepEqual(flags(copy, 'stack'), { enumerable: false, writable: true, configurable: true });
    assert.deepEqual(Object.keys(copy), ['code', 'errno', 'fatal']);
    assert.deepEqual([copy.code, copy.errno, copy.fatal], ['ECONNRESET', -104, false]);
    assert.deepEqual(flags(copy, 'code'), { enumerable: true, writable: true, configurable: true });
  });

  it('a custom error class: a plain Error carrying its name', () => {
    class UpstreamError extends Error {
      name = 'UpstreamError';
    }
    const copy = withoutSecret(new UpstreamError('no answer'), SECRET);
    assert.equal(Object.getPrototypeOf(copy), Error.prototype);
    assert.equal(copy.name, 'UpstreamError');
    assert.equal(String(copy), 'UpstreamError: no answer');
  });

  it('a thrown plain object: an Error with its message, and a stack made from name and message', () => {
    const copy = withoutSecret({ message: 'not an Error', status: 503 }, SECRET);
    assert.ok(copy instanceof Error);
    assert.equal(copy.name, 'Error');
    assert.equal(copy.stack, 'Error: not an Error');
    assert.equal(copy.status, 503);
  });

  it('name, message and stack that are not strings are left out, not turned into text', () => {
    const copy = withoutSecret({ name: 42, message: { text: 'x' }, stack: ['at x'] }, SECRET);
    assert.deepEqual([copy.name, copy.message, copy.stack], ['Error', '', 'Error: ']);
  });

  it('the cause chain and an AggregateError\'s errors, copied, not enumerable (they print as [cause] and [errors])', () => {
    const root = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const aggregate = new AggregateError([new RangeError('first'), root], 'all failed', { cause: root });
    const copy = withoutSecret(aggregate, SECRET);
    assert.ok(copy instanceof Error);
    assert.equal(copy.name, 'AggregateError');
    assert.deepEqual(Object.keys(copy), ['name'], 'a class that is not a built-in one is kept as its name');
    assert.deepEqual(flags(copy, 'cause'), { enumerable: false, writable: true, configurable: true });
    assert.deepEqual(flags(copy, 'errors'), { enumerable: false, writable: true, configurable: true });
    assert.notEqual(copy.cause, root);
    assert.deepEqual([copy.cause.message, copy.cause.code], ['connect ECONNREFUSED', 'ECONNREFUSED']);
    assert.ok(copy.errors[0] instanceof RangeError);
    assert.deepEqual(copy.errors.map((error) => error.message), ['first', 'connect ECONNREFUSED']);
    assert.equal(copy.errors[1].code, 'ECONNREFUSED');
  });

  it('no cause property when there is no cause, so `\'cause\' in error` stays meaningful', () => {
    assert.equal('cause' in withoutSecret(new Error('alone'), SECRET), false);
    assert.equal('errors' in withoutSecret(new Error('alone'), SECRET), false);
  });

  it('primitives as they are; strings redacted; functions dropped', () => {
    for (const value of [42, true, null, undefined, 10n]) assert.equal(withoutSecret(value, SECRET), value);
    assert.equal(withoutSecret(`key=${SECRET}`, SECRET), 'key=[redacted]');
    assert.equal(withoutSecret(() => SECRET, SECRET), undefined);
    assert.equal(withoutSecret(new Error('m', { cause: () => SECRET }), SECRET).cause, undefined);
  });
});

describe('withoutSecret: what the copy leaves out', () => {
  it('object-valued, function-valued, symbol-keyed and accessor properties, and the skipped ones are not read', () => {
    let read = false;
    const error = Object.assign(new Error('failed'), { config: { headers: { key: SECRET } }, retry: () => {}, [Symbol('request')]: SECRET });
    Object.defineProperty(error, 'response', { enumerable: true, get: () => ((read = true), 'from a getter') });
    const copy = withoutSecret(error, SECRET);
    assert.deepEqual(Reflect.ownKeys(copy).sort(), ['message', 'stack']);
    assert.equal(read, false);
  });

  it('an errors property that is not an array', () => {
    const copy = withoutSecret({ message: 'm', errors: 'several' }, SECRET);
    assert.equal('errors' in copy, false);
  });

  it('the secret in every spelling: raw, URI-encoded, JSON-escaped; in keys and values alike', () => {
    const secret = 'k/"y\\+1';
    const error = new Error(`raw ${secret} uri ${encodeURIComponent(secret)} json ${JSON.stringify({ key: secret })}`);
    error[`header-${secret}`] = `value ${secret}`;
    const copy = withoutSecret(error, secret);
    assert.equal(copy.message, 'raw [redacted] uri [redacted] json {"key":"[redacted]"}');
    assert.deepEqual(Object.entries(copy), [['header-[redacted]', 'value [redacted]']]);
  });

  it('a property a Proxy lists but does not describe is skipped; an unreadable field is left out', () => {
    const target = new Error('listed');
    const proxy = new Proxy(target, {
      ownKeys: (object) => [...Reflect.ownKeys(object), 'ghost'],
      getOwnPropertyDescriptor: (object, key) => (key === 'ghost' ? undefined : Reflect.getOwnPropertyDescriptor(object, key)),
      get: (object, key) => {
        if (key === 'stack') throw new Error('trap');
        return Reflect.get(object, key);
      },
    });
    const copy = withoutSecret(proxy, SECRET);
    assert.equal(copy.message, 'listed');
    assert.equal(copy.stack, 'Error: listed');
    assert.equal('ghost' in copy, false);
  });

  it('a Proxy that cannot be read at all gives undefined', () => {
    const trap = () => {
      throw new Error('trap');
    };
    const hostile = new Proxy({}, { get: trap, ownKeys: trap, getOwnPropertyDescriptor: trap });
    // A boolean, not the Proxy: a failure report that printed the Proxy would trip its traps too.
    assert.equal(withoutSecret(hostile, SECRET) === undefined, true);
  });
});

describe('withoutSecret: bounded, so cycles and huge objects cannot hang or bloat a log', () => {
  it('strings to 4,000 characters, after redaction (so a cut cannot leave part of the key)', () => {
    const { message } = withoutSecret(new Error(`${'x'.repeat(3_995)}${SECRET}${'y'.repeat(100)}`), SECRET);
    assert.ok(message === `${'x'.repeat(3_995)}[reda`, `${message.length} characters ending in ${message.slice(-12)}`);
  });

  it('the first 20 own properties', () => {
    const error = new Error('wide');
    for (let i = 0; i < 30; i++) error[`p${i}`] = i;
    // `stack` and `message` are the first two own properties of an Error.
    assert.deepEqual(Object.keys(withoutSecret(error, SECRET)), Array.from({ length: 18 }, (_, i) => `p${i}`));
  });

  it('4 levels of causes, and of aggregated errors', () => {
    const chain = (levels) => Array.from({ length: levels }).reduceRight((cause, _, i) => new Error(`level ${i}`, cause && { cause }), undefined);
    const messages = (error, depth = 0) => (error && depth < 10 ? [error.message, ...messages(error.cause, depth + 1)] : []);
    assert.deepEqual(messages(withoutSecret(chain(6), SECRET)), ['level 0', 'level 1', 'level 2', 'level 3']);
    const nested = new AggregateError([chain(6)], 'top');
    const inner = withoutSecret(nested, SECRET).errors[0];
    assert.deepEqual(messages(inner), ['level 0', 'level 1', 'level 2']);
  });

  it('the first 10 aggregated errors', () => {
    const copy = withoutSecret(new AggregateError(Array.from({ length: 12 }, (_, i) => new Error(`e${i}`)), 'many'), SECRET);
    assert.deepEqual(copy.errors.map((error) => error.message), Array.from({ length: 10 }, (_, i) => `e${i}`));
  });

  it('a cycle ends at the depth bound', () => {
    const error = new Error('cyclic');
    error.cause = error;
    let depth = 0;
    // Bounded itself, so that a copy that keeps the cycle fails here rather than hangs.
    for (let level = withoutSecret(error, SECRET); level && depth < 10; level = level.cause) depth++;
    assert.equal(depth, 4);
  });
});
