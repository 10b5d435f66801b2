// Sign-in: the sign-in page's form posts here, and a 303 redirect loads the widget page anew, as OAuth and most
// authentication libraries end a sign-in. A new page view starts with no signed-out widget; a sign-in without a
// page load (a Server Action's redirect, a dialog) must call authenticate() on the element afterwards instead.
import { startSession } from '../../../lib/session';

/** Stands in for your real sign-in (a password check, OAuth…): here any email signs in. */
export async function POST(request: Request) {
  const email = String((await request.formData()).get('email') ?? '').trim();
  if (email) await startSession(email);
  return new Response(null, { status: 303, headers: { Location: email ? '/' : '/sign-in' } });
}
