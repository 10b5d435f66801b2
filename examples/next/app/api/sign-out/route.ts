// Sign-out, step 1 (the sign-out button does step 2): end the session, so that the auth endpoint answers 401 from
// now on, and forget the user's token in the handler's cache, so that the next sign-in gets a new one.
// #region sign-out
import { endSession } from '../../../lib/session';
import { widgetAuth } from '../../../lib/widget-auth';

export async function POST() {
  const session = await endSession();
  if (session) await widgetAuth.forgetToken(session.email);
  return new Response(null, { status: 204 });
}
// #endregion sign-out
