/**
 * Causes handed to `onError` are copies, never the thrown objects: a client's error can hold the request it sent
 * (axios's `config.headers`, got's `options`, a `Headers` object, a raw `_header` string), so the original may
 * carry the API key in places no filter can list. The copy keeps what a log needs and nothing else.
 */

/** The walk stops here: a log does not need more, and cycles or huge graphs must not hang or bloat it. */
const MAX_DEPTH = 4;
const MAX_PROPERTIES = 20;
const MAX_AGGREGATED = 10;
const MAX_STRING_LENGTH = 4_000;
const REDACTED = '[redacted]';

/** Properties the copy takes in its own way rather than as plain own properties. */
const COPIED_APART = new Set([
  'name',
  'message',
  'stack',
  'errors',
  // Stryker disable next-line StringLiteral: a primitive own `cause` copied as a plain property is then replaced by the `cause` defined below
  'cause',
]);

/** Built-in error classes whose copies keep their class, so `instanceof TypeError` still works in the host's logs. */
const BUILT_IN_ERRORS: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * A copy of `cause` that cannot reveal `secret`, whatever its shape.
 *
 * - A string, or any string in the copy, has every occurrence of `secret` (raw, URI-encoded or JSON-escaped)
 *   replaced by `[redacted]`; other primitives are returned as they are.
 * - An object (an Error or anything thrown) becomes a new Error of the same built-in class holding only its
 *   `name`, `message`, `stack`, own properties whose values are strings, numbers or booleans (`code`, `errno`,
 *   `syscall`, `status`, …), and copies of its `cause` and of AggregateError's `errors`. Every other value
 *   (request options, headers, sockets, functions, symbol-keyed properties) is left out.
 * - Getters are never called, except for `name`, `message` and `stack`; one that throws is skipped. The walk is
 *   bounded in depth and breadth, so cycles end it. An object that cannot be read at all (a hostile Proxy)
 *   gives `undefined`.
 *
 * @param cause - what was thrown
 * @param secret - the text that must not survive (the API key)
 */
export function withoutSecret(cause: unknown, secret: string): unknown {
  try {
    return copy(cause, redactor(secret), 0);
  } catch {
    // Not readable at all (a hostile Proxy): nothing rather than a partial copy.
  }
  return undefined;
}

/** Replaces every spelling of `secret` a message is likely to contain, then bounds the length. */
function redactor(secret: string): (text: string) => string {
  const spellings = [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
  // Redact before truncating, so a cut can never leave part of the key behind.
  return (text) => spellings.reduce((result, spelling) => result.split(spelling).join(REDACTED), text).slice(0, MAX_STRING_LENGTH);
}

function copy(value: unknown, redact: (text: string) => string, depth: number): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value === 'function') return undefined;
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return undefined;

  const read = (name: string): unknown => {
    try {
      return (value as Record<string, unknown>)[name];
    } catch {
      // A getter or a Proxy trap that throws: the field is left out.
    }
    return undefined;
  };
  const text = (name: string): string | undefined => {
    const field = read(name);
    return typeof field === 'string' ? redact(field) : undefined;
  };

  const name = text('name') ?? 'Error';
  const Class = Object.hasOwn(BUILT_IN_ERRORS, name) ? BUILT_IN_ERRORS[name]! : Error;
  const result = new Class(text('message') ?? '') as Error;
  if (result.name !== name) result.name = name;
  const stack = text('stack');
  Object.defineProperty(result, 'stack', { value: stack ?? `${name}: ${result.message}`, writable: true, configurable: true });

  // Defined rather than assigned: a key such as `__proto__` must not reach a setter.
  const define = (key: string, field: unknown, enumerable = true): void => {
    Object.defineProperty(result, key, { value: field, enumerable, writable: true, configurable: true });
  };
  for (const key of Object.getOwnPropertyNames(value).slice(0, MAX_PROPERTIES)) {
    if (COPIED_APART.has(key)) continue;
    // An accessor has no `value`, so it is skipped without being called: it could throw, take time, or compute the secret.
    const field = Object.getOwnPropertyDescriptor(value, key)?.value as unknown;
    if (typeof field === 'string') define(redact(key), redact(field));
    else if (typeof field === 'number' || typeof field === 'boolean') define(redact(key), field);
  }

  // Like the built-in ones: not enumerable, so they print as `[cause]` and `[errors]`.
  const cause = read('cause');
  if (cause !== undefined) define('cause', copy(cause, redact, depth + 1), false);
  const errors = read('errors');
  if (Array.isArray(errors)) define('errors', errors.slice(0, MAX_AGGREGATED).map((error) => copy(error, redact, depth + 1)), false);
  return result;
}
