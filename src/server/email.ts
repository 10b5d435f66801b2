/** Longest address SMTP can carry (RFC 5321 path limit minus the angle brackets). */
const MAX_EMAIL_LENGTH = 254;

/**
 * Printable ASCII without spaces. The email travels as an HTTP header value, so CR/LF (header
 * injection), other control characters and whitespace must never get through; non-ASCII cannot be
 * sent reliably in a header either, so internationalised addresses are refused rather than mangled.
 */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/**
 * A deliberately simple plausibility check: one `@`, a non-empty local part, a domain containing a
 * dot with no empty label at either end, at most 254 characters, header-safe characters only.
 * Returning.AI does the real validation; this only stops garbage and header injection early.
 */
export function isPlausibleEmail(email: string): boolean {
  if (email.length > MAX_EMAIL_LENGTH || !HEADER_SAFE.test(email)) return false;
  const parts = email.split('@');
  if (parts.length !== 2) return false;
  const [local, domain] = parts as [string, string];
  return local.length > 0 && domain.includes('.') && !domain.startsWith('.') && !domain.endsWith('.');
}
