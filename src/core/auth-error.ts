/** Why obtaining a token failed; the `reason` of a `rai-auth-failure` event. */
export type AuthFailureReason = 'unauthorized' | 'http' | 'network' | 'timeout' | 'invalid-response' | 'config';

/** A failure with a reason the page can act on. Its message never contains a token. */
export class AuthError extends Error {
  constructor(
    readonly reason: AuthFailureReason,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
