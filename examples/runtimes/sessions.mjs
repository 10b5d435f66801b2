// Stands in for your own session store in the Node examples: a session id (the `sid` cookie) maps to the email of
// the user who signed in. Your real app already has this (express-session, @fastify/session, Auth.js, …).

/** Session id → email of the signed-in user. The tests add sessions here. */
export const sessions = new Map();

/** The session id in a Cookie header, or undefined. */
function sessionId(cookieHeader) {
  return /(?:^|;\s*)sid=([^;]+)/.exec(cookieHeader ?? '')?.[1];
}

/** The email of the session named by a Cookie header, or undefined when there is none. */
export function emailFromCookie(cookieHeader) {
  const sid = sessionId(cookieHeader);
  return sid === undefined ? undefined : sessions.get(sid);
}

/** Express/Connect middleware standing in for your auth: sets `req.user` from the session, or answers 401. */
export function requireLogin(req, res, next) {
  const email = emailFromCookie(req.headers.cookie);
  if (!email) {
    res.statusCode = 401;
    res.setHeader('content-type', 'application/json');
    res.end('{"error":"unauthenticated"}');
    return;
  }
  req.user = { email };
  next();
}

/** Ends the session of a Node request (Express's `req`). */
export function endSession(req) {
  sessions.delete(sessionId(req.headers.cookie));
}
