// Type-only imports: nothing from `node:*` is loaded at run time, so this module (and the whole
// `returning-ai-widget/server` entry) still loads in Workers, Deno and edge runtimes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { methodNotAllowedResponse } from './responses.js';

/**
 * The context {@link toNodeHandler} passes as the handler's second argument: the Node objects of
 * the request, so `getUserEmail` can read the session your middleware attached
 * (`(_request, { req }) => req.user?.email`).
 *
 * @typeParam Req - your framework's request type, e.g. Express's `Request` (which has `user`)
 * @typeParam Res - your framework's response type
 */
export interface NodeContext<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse> {
  /** The incoming Node (or Express/Connect) request. */
  req: Req;
  /** The Node (or Express/Connect) response; the adapter writes the handler's answer to it. */
  res: Res;
}

/**
 * A Node `http` request listener that is also an Express/Connect middleware. It never rejects.
 *
 * @typeParam Req - request type, see {@link NodeContext}
 * @typeParam Res - response type, see {@link NodeContext}
 */
export type NodeHandler<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse> = (
  req: Req,
  res: Res,
  next?: (err?: unknown) => void,
) => Promise<void>;

/** Methods the Fetch `Request` constructor refuses; such requests are answered 405 directly. */
const NON_FETCH_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
 * Adapts a Fetch-standard handler (such as the one {@link createWidgetAuthHandler} returns) to
 * Node's `http` module and to Express/Connect.
 *
 * The Node request becomes a Fetch `Request` with its method, URL and headers, but no body (the
 * widget auth handler never reads one). The handler is called with `{ req, res }` as its context and
 * its `Response` (status, headers, body) is written back. If anything in between fails, the error
 * goes to `next(err)` when there is a `next`, otherwise the answer is `500 { "error": "internal" }`.
 *
 * @param handler - a Fetch handler taking `(request, { req, res })`
 *
 * @example
 * ```ts
 * import type { Request as ExpressRequest } from 'express';
 * app.post('/api/widget-auth', requireLogin, toNodeHandler(createWidgetAuthHandler<NodeContext<ExpressRequest>>({
 *   apiKey: process.env.RETURNING_AI_API_KEY!,
 *   communityId: process.env.RETURNING_AI_COMMUNITY_ID!,
 *   getUserEmail: (_request, { req }) => req.user?.email,
 * })));
 * ```
 */
export function toNodeHandler(handler: (request: Request, context: NodeContext) => Response | Promise<Response>): NodeHandler;
/**
 * Same as above, for handlers typed with your framework's request/response types, e.g.
 * `createWidgetAuthHandler<NodeContext<express.Request>>(…)`.
 *
 * @typeParam Req - request type handed to the handler's context, e.g. Express's `Request`
 * @typeParam Res - response type handed to the handler's context
 * @param handler - a Fetch handler taking `(request, { req, res })`
 */
export function toNodeHandler<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse>(
  handler: (request: Request, context: NodeContext<Req, Res>) => Response | Promise<Response>,
): NodeHandler<Req, Res>;
// Two signatures because TypeScript cannot infer both `Req` and the handler's context type from
// one generic call: the plain one lets `toNodeHandler(createWidgetAuthHandler({ getUserEmail:
// (_r, { req }) => … }))` type `req` as IncomingMessage without annotations.
export function toNodeHandler<Req extends IncomingMessage, Res extends ServerResponse>(
  handler: (request: Request, context: NodeContext<Req, Res>) => Response | Promise<Response>,
): NodeHandler<Req, Res> {
  return async (req, res, next) => {
    try {
      const method = (req.method ?? 'GET').toUpperCase();
      const response = NON_FETCH_METHODS.has(method)
        ? methodNotAllowedResponse()
        : await handler(toFetchRequest(req, method), { req, res });
      if (!isResponse(response)) throw new TypeError('toNodeHandler: the handler did not return a Response');
      // The handler may have answered through `res` itself (e.g. a redirect from session code).
      if (res.writableEnded) return;
      await writeResponse(res, response, method);
    } catch (error) {
      if (next) {
        next(error);
        return;
      }
      writeInternalError(res);
    }
  };
}

/** Method, absolute URL and headers of `req`; the body is left unread on purpose. */
function toFetchRequest(req: IncomingMessage, method: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      try {
        headers.append(name, item);
      } catch {
        // A name or value Node accepts and Fetch does not (HTTP/2 pseudo-headers such as `:path`): dropping one odd
        // header beats failing the request.
      }
    }
  }
  return new Request(requestUrl(req), { method, headers });
}

/** Rebuilds the absolute URL; Express's `originalUrl` keeps the mount path that `url` loses. */
function requestUrl(req: IncomingMessage): string {
  // A TLS socket says so; a plain one has no `encrypted` at all.
  const protocol = (req.socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http';
  const path = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url;
  // Only origin-form targets ("/path?query"); anything else could rewrite the origin, so it is dropped (the URL is
  // then the origin and "/").
  const target = path?.startsWith('/') ? path : '';
  // A malformed Host header should not turn into a 500, nor move the path: it falls back to localhost.
  const origin = hostOrigin(protocol, req.headers.host) ?? `${protocol}://localhost`;
  return new URL(`${origin}${target}`).href;
}

/**
 * The origin named by a Host header, or undefined unless it is exactly `host[:port]`: userinfo (`evil@…`), which
 * the Fetch `Request` constructor refuses, or a path, query or fragment, which would rewrite the target.
 */
function hostOrigin(protocol: string, host: string | undefined): string | undefined {
  if (!host || /[/\\?#@]/.test(host)) return undefined;
  try {
    return new URL(`${protocol}://${host}`).origin;
  } catch {
    // Not a host URL can parse (`[::1`, a port out of range): as if there were none.
  }
  return undefined;
}

/** Duck-typed so a Response from another realm or polyfill is accepted too. */
function isResponse(value: unknown): value is Response {
  const candidate = value as Partial<Response> | null | undefined;
  return typeof candidate?.status === 'number' && typeof candidate.headers === 'object' && typeof candidate.arrayBuffer === 'function';
}

/** Copies status, headers and body. The body is buffered: this handler's answers are tiny JSON. */
async function writeResponse(res: ServerResponse, response: Response, method: string): Promise<void> {
  // Read first, so a failing body leaves the headers unsent and the 500 fallback still possible. A HEAD answer has
  // no body on the wire, so it is not read at all.
  const body = method === 'HEAD' ? undefined : new Uint8Array(await response.arrayBuffer());
  res.statusCode = response.status;
  // Set-Cookie comes once per cookie: set as one list, since joining them with commas (as Fetch's get does) breaks them.
  const cookies = response.headers.getSetCookie();
  for (const [name, value] of response.headers) res.setHeader(name, name === 'set-cookie' ? cookies : value);
  res.end(body);
}

/** The adapter's own fallback answer, written synchronously so it cannot fail halfway. */
function writeInternalError(res: ServerResponse): void {
  try {
    if (res.headersSent) {
      // Too late for a status code; cutting the connection is the only honest signal left.
      res.destroy();
      return;
    }
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    res.statusCode = 500;
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Cache-Control', 'no-store');
    res.end(JSON.stringify({ error: 'internal' }));
  } catch {
    res.destroy();
  }
}
