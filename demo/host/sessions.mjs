// The host app's own sign-in state: an in-memory session store keyed by an
// HttpOnly cookie. This stands in for whatever auth a real customer site has.
import { randomBytes } from 'node:crypto';

const COOKIE = 'demo_session';

function cookiesOf(req) {
  const out = {};
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

export function createSessionStore() {
  const sessions = new Map(); // id -> { email, createdAt, settings }

  return {
    /** The session of this request, or null. */
    get(req) {
      const id = cookiesOf(req)[COOKIE];
      const session = id ? sessions.get(id) : undefined;
      return session ? { id, ...session } : null;
    },

    /** Verified email of the signed-in user, or null: the only source the auth endpoint trusts. */
    emailOf(req) {
      return this.get(req)?.email ?? null;
    },

    /** This session's demo settings (a live object that ends with the session), or null when signed out. */
    settingsOf(req) {
      return this.get(req)?.settings ?? null;
    },

    /** Creates a session and returns the Set-Cookie header value. */
    create(email) {
      const id = randomBytes(24).toString('base64url');
      sessions.set(id, { email, createdAt: Date.now(), settings: {} });
      // HttpOnly: page scripts cannot read it; SameSite=Lax: other sites cannot POST with it.
      return `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`;
    },

    /** Destroys this request's session and returns a Set-Cookie header that clears it. */
    destroy(req) {
      const id = cookiesOf(req)[COOKIE];
      if (id) sessions.delete(id);
      return `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
    },
  };
}
