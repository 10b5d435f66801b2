import type { AuthError } from '../../src/core/auth-error.js';
import type { TokenView } from '../../src/core/token-owner.js';

/** A view that records what the owner told it. */
export class RecordingView implements TokenView {
  readonly failures: Array<{ reason: string; status?: number; retrying: boolean }> = [];
  logouts = 0;
  changes = 0;
  onLogout?: () => void;
  onFailed?: (retrying: boolean) => void;

  failed(error: AuthError, retrying: boolean): void {
    this.failures.push({ reason: error.reason, ...(error.status !== undefined && { status: error.status }), retrying });
    this.onFailed?.(retrying);
  }

  loggedOut(): void {
    this.logouts++;
    this.onLogout?.();
  }

  changed(): void {
    this.changes++;
  }

  readonly renewals: string[] = [];
  onRenewed?: (token: string) => void;

  renewed(token: string): void {
    this.renewals.push(token);
    this.onRenewed?.(token);
  }
}

let serial = 0;

/** An unsigned JWT issued at `now` (ms) that lives `seconds`; distinct each call. */
export function jwt(now: number, seconds: number, extra: Record<string, unknown> = {}): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const iat = Math.floor(now / 1000);
  return `${part({ alg: 'HS256' })}.${part({ iat, exp: iat + seconds, n: ++serial, ...extra })}.sig`;
}

/** A JWT whose payload is `payload`, whatever its shape. */
export const jwtWithPayload = (payload: unknown) =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

export const ENDPOINT = 'https://host.example/api/widget-auth';
export const OTHER_ENDPOINT = 'https://host.example/api/other-auth';
export const KEY = 'returning-ai-widget-token';
export const BINDING = `${KEY}.source`;

/** What the owner keeps for a token of `source`: the raw token under the key, and its binding beside it. */
export const bound = (source: string, token: string, key = KEY) =>
  new Map([
    [key, token],
    [`${key}.source`, `${token.slice(-16)} ${source}`],
  ]);

/** Puts a token of `source` in `area` as the owner keeps it, as if a tab had stored it long ago (no events). */
export function store(area: { items: Map<string, string> }, source: string, token: string, key = KEY): void {
  for (const [name, value] of bound(source, token, key)) area.items.set(name, value);
}
