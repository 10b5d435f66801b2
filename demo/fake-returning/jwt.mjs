// Minimal HS256 JWT for the fake Returning.AI server: just enough to mint
// and check tokens the way a real signin API would, using node:crypto only.
import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(input) {
  return Buffer.from(input).toString('base64url');
}

function signature(data, secret) {
  return createHmac('sha256', secret).update(data).digest('base64url');
}

export function signJwt(payload, secret) {
  const body = `${HEADER}.${base64url(JSON.stringify(payload))}`;
  return `${body}.${signature(body, secret)}`;
}

/**
 * Returns { ok: true, payload } or { ok: false, reason } where reason is
 * 'malformed' | 'bad-signature' | 'expired'.
 */
export function verifyJwt(token, secret, nowSeconds = Math.floor(Date.now() / 1000)) {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, reason: 'malformed' };

  const expected = Buffer.from(signature(`${parts[0]}.${parts[1]}`, secret));
  const given = Buffer.from(parts[2]);
  // Constant-time compare so the fake does not teach timing-leaky habits.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }

  let payload;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds) {
    return { ok: false, reason: 'expired', payload };
  }
  return { ok: true, payload };
}
