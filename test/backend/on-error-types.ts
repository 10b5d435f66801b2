// Never run: type-checked by `npm run lint` (tsc, strict), so that `onError` stays typed as the docs use it. Every
// `onError` line the README and docs show is here verbatim (test/node/server-on-error-types.test.mjs checks that):
// with `error: unknown`, their `error.code` and `error.upstreamStatus` failed `next build` with TS18046.
import type { IncomingMessage } from 'node:http';
import { createWidgetAuthHandler, type NodeContext, type WidgetAuthError, type WidgetAuthErrorCode } from '../../src/server/index.js';

/** True when A and B are the same type (not merely assignable either way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when its type argument is `true`. */
function expectType<T extends true>(_proof?: T): void {}

declare function auth(): Promise<{ user: { email: string } } | null>;
const settings = { apiKey: 'fake-key', communityId: 'community-1' };

// A Next.js route handler: the context is not used, and nothing annotates `error`.
export const POST = createWidgetAuthHandler({
  ...settings,
  getUserEmail: async () => (await auth())?.user.email,
  onError: (error) => console.error('widget auth failed', error.code, error.upstreamStatus),
});

// The Express recipe in TypeScript, with the context typed as docs/backend.md says.
type SignedInRequest = IncomingMessage & { user?: { email: string }; session: { user?: { email: string } } };
export const expressWidgetAuth = createWidgetAuthHandler<NodeContext<SignedInRequest>>({
  ...settings,
  getUserEmail: (_request, { req }) => req.user?.email ?? req.session.user?.email,
  onError: (error) => console.error('widget auth failed:', error.code, error.upstreamStatus ?? ''),
});

// What `onError` gets, exactly.
export const typed = createWidgetAuthHandler({
  ...settings,
  getUserEmail: () => null,
  onError: (error, _request) => {
    expectType<Equal<typeof error, WidgetAuthError>>();
    expectType<Equal<typeof error.code, WidgetAuthErrorCode>>();
    expectType<Equal<typeof error.status, number>>();
    expectType<Equal<typeof error.upstreamStatus, number | undefined>>();
    expectType<Equal<typeof _request, Request>>();
    // @ts-expect-error: not a code the handler reports, so `code` is not `any` or `string`
    if (error.code === 'forbidden') return;
  },
});

// A logger written for anything thrown still fits, and so does an async one.
export const loose = createWidgetAuthHandler({ ...settings, getUserEmail: () => null, onError: (error: unknown) => console.error(error) });
export const asyncLogger = createWidgetAuthHandler({ ...settings, getUserEmail: () => null, onError: async (error) => void (await Promise.resolve(error.code)) });
