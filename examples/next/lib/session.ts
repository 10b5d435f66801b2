// Stands in for your authentication (Auth.js, Clerk, iron-session…): who is signed in, in a cookie signed with
// SESSION_SECRET, so that the browser can neither read nor forge it. The widget's auth endpoint takes the user's
// email from here, never from anything the browser sends.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { cookies } from 'next/headers';

const COOKIE = 'session';
const MAX_AGE_SECONDS = 8 * 60 * 60;

export interface Session {
  email: string;
}

function secret(): string {
  const value = process.env.SESSION_SECRET;
  if (!value || value.length < 32) throw new Error('SESSION_SECRET must be set, at least 32 characters');
  return value;
}

const sign = (payload: string) => createHmac('sha256', secret()).update(payload).digest('base64url');

/** The signed-in user, or null. */
export async function readSession(): Promise<Session | null> {
  const value = (await cookies()).get(COOKIE)?.value;
  const [payload, signature] = value?.split('.') ?? [];
  if (!payload || !signature) return null;
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const { email, expires } = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { email: string; expires: number };
  return expires > Date.now() ? { email } : null;
}

/** Signs `email` in. */
export async function startSession(email: string): Promise<void> {
  const payload = Buffer.from(JSON.stringify({ email, expires: Date.now() + MAX_AGE_SECONDS * 1000 })).toString('base64url');
  (await cookies()).set(COOKIE, `${payload}.${sign(payload)}`, {
    httpOnly: true,
    // SameSite=Lax: another site cannot post to the auth endpoint or sign-out with the user's cookie.
    sameSite: 'lax',
    secure: process.env.NODE_ENV === 'production', // Chromium stores it from http://localhost and 127.0.0.1 too
    path: '/',
    maxAge: MAX_AGE_SECONDS,
  });
}

/** Signs the user out; resolves to the session that ended, if there was one. */
export async function endSession(): Promise<Session | null> {
  const session = await readSession();
  (await cookies()).delete(COOKIE);
  return session;
}
