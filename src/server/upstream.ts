import { WidgetAuthError, type WidgetAuthErrorCode } from './errors.js';
import { withoutSecret } from './safe-cause.js';
import type { ResolvedOptions } from './options.js';
import { readBoundedText } from './bounded-body.js';

/** The signin answer is a small JSON object; anything much larger is not one, and is not read to its end. */
const MAX_BODY_BYTES = 64 * 1024;
/** Longest token relayed to the browser (JWTs are a few hundred bytes): it is stored and posted to the widget. */
export const MAX_TOKEN_LENGTH = 8 * 1024;

/** Settings the signin call needs; a subset of the resolved options. */
export type SigninSettings = Pick<ResolvedOptions<unknown>, 'apiKey' | 'signinUrl' | 'timeoutMs' | 'fetch'>;

/**
 * Exchanges a user's email for a widget token with Returning.AI's signin API.
 *
 * The deadline covers the headers and the body. It aborts the request (freeing the connection)
 * and also races it, so a custom `fetch` that ignores the signal still cannot hang the handler.
 *
 * @returns the token (a non-empty string)
 * @throws {WidgetAuthError} for every failure, with the status and code the browser should get
 */
export async function fetchSigninToken(settings: SigninSettings, email: string): Promise<string> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A flag, not the rejection value: aborting can make fetch reject before the deadline does.
  let timedOut = false;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new Error());
      controller.abort();
    }, settings.timeoutMs);
  });
  // Builds the error; a cause that mentions the API key is dropped.
  const failure = (
    code: WidgetAuthErrorCode,
    status: number,
    message: string,
    extra: { upstreamStatus?: number; cause?: unknown } = {},
  ): WidgetAuthError => {
    const cause = withoutSecret(extra.cause, settings.apiKey);
    return new WidgetAuthError(code, message, { status, cause, upstreamStatus: extra.upstreamStatus });
  };

  try {
    let response: Response;
    try {
      response = await Promise.race([
        settings.fetch(settings.signinUrl, {
          method: 'POST',
          headers: {
            'returningai-api-key': settings.apiKey,
            email,
            'Content-Type': 'application/json',
          },
          // A followed redirect would resend the API key header to wherever Location points.
          redirect: 'manual',
          signal: controller.signal,
        }),
        deadline,
      ]);
    } catch (error) {
      if (timedOut) throw failure('upstream-timeout', 504, 'Returning.AI signin timed out');
      throw failure('upstream-unreachable', 502, 'Returning.AI signin could not be reached', { cause: error });
    }

    const upstreamStatus = response.status;
    if (upstreamStatus < 200 || upstreamStatus > 299) {
      // Not read: error bodies may echo request details. Cancelled so the connection is released.
      response.body?.cancel().catch(() => {});
      if (upstreamStatus === 401 || upstreamStatus === 403) {
        throw failure('upstream-rejected', 502, 'Returning.AI rejected the API key or community id', { upstreamStatus });
      }
      throw failure('upstream-error', 502, `Returning.AI signin answered HTTP ${upstreamStatus}`, { upstreamStatus });
    }

    let text: string | undefined;
    try {
      text = await Promise.race([readBoundedText(response, MAX_BODY_BYTES), deadline]);
    } catch (error) {
      if (timedOut) throw failure('upstream-timeout', 504, 'Returning.AI signin timed out', { upstreamStatus });
      throw failure('upstream-unreachable', 502, 'Returning.AI signin connection failed while reading the answer', {
        upstreamStatus,
        cause: error,
      });
    }

    if (text === undefined) {
      throw failure('upstream-invalid-response', 502, `Returning.AI signin answered more than ${MAX_BODY_BYTES} bytes`, { upstreamStatus });
    }
    const token = tokenFrom(text);
    if (token === undefined) {
      throw failure('upstream-invalid-response', 502, 'Returning.AI signin answered without a token', { upstreamStatus });
    }
    return token;
  } finally {
    clearTimeout(timer);
  }
}

/** The `token` of a JSON object body, if it is a non-empty string of at most {@link MAX_TOKEN_LENGTH} characters. */
function tokenFrom(text: string): string | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Not JSON: no token.
  }
  const token = (data as { token?: unknown } | null | undefined)?.token;
  return typeof token === 'string' && token !== '' && token.length <= MAX_TOKEN_LENGTH ? token : undefined;
}
