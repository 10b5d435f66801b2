// Stands in for your own session store in the Node examples: a session id (the `sid` cookie) maps to the email of
// the user who signed in. Your real app already has this (express-session, @fastify/session, Auth.js, …).

/** Session id → email of the signed-in user. The tests add sessions here. */
export const sessions = new Map();

/** The email of the session named by a Cookie header, or undefined when there is none. */
export function emailFromCookie(cookieHeader) {
  const sid = /(?:^|;\s*)sid=([^;]+)/.exec(cookieHeader ?? '')?.[1];
  return sid === undefined ? undefined : sessions.get(sid);
}
