// Reads the demo's settings from the environment and decides the mode:
// "real" when the Returning.AI credentials are all present, otherwise "fake"
// (a local stand-in for Returning.AI with a throwaway key that never leaves Node).
import { randomBytes } from 'node:crypto';

const REAL_VARS = ['WIDGET_API_KEY', 'COMMUNITY_ID', 'WIDGET_ID'];
const DEFAULT_USERS = ['ada@example.com', 'grace@example.com'];

function intOf(value, fallback, name) {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function usersOf(value) {
  if (!value) return DEFAULT_USERS;
  const users = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (users.length === 0) throw new Error('DEMO_USERS is set but lists no email');
  return users;
}

/**
 * options override env (used by tests): { port, widgetPort, tokenTtlSeconds, slowEndpointMs }.
 * Returns everything both servers need; secrets stay in this object only.
 */
export function loadConfig(env = process.env, options = {}) {
  const present = REAL_VARS.filter((name) => env[name]);
  if (present.length > 0 && present.length < REAL_VARS.length) {
    // Half-configured real mode would silently fall back to the fake: refuse instead.
    const missing = REAL_VARS.filter((name) => !env[name]);
    throw new Error(`Real mode needs ${REAL_VARS.join(', ')}; missing: ${missing.join(', ')}`);
  }
  const mode = present.length === REAL_VARS.length ? 'real' : 'fake';

  const common = {
    mode,
    port: options.port ?? intOf(env.PORT, 8000, 'PORT'),
    users: usersOf(env.DEMO_USERS),
    // How long the "slow endpoint" toggle holds each auth request: long enough to watch the element wait.
    slowEndpointMs: options.slowEndpointMs ?? intOf(env.DEMO_SLOW_MS, 3000, 'DEMO_SLOW_MS'),
  };

  if (mode === 'real') {
    const widgetType = env.WIDGET_TYPE || 'store';
    return {
      ...common,
      apiKey: env.WIDGET_API_KEY,
      communityId: env.COMMUNITY_ID,
      baseUrl: (env.WIDGET_BASE_URL || 'https://prod-widgets.returning.ai').replace(/\/+$/, ''),
      widgets: [
        { id: env.WIDGET_ID, type: widgetType },
        { id: env.WIDGET_ID_2 || env.WIDGET_ID, type: env.WIDGET_TYPE_2 || widgetType },
      ],
    };
  }

  return {
    ...common,
    widgetPort: options.widgetPort ?? intOf(env.WIDGET_PORT, 8001, 'WIDGET_PORT'),
    tokenTtlSeconds: Math.max(1, options.tokenTtlSeconds ?? intOf(env.TOKEN_TTL_SECONDS, 60, 'TOKEN_TTL_SECONDS')),
    // Fresh per process: the browser never sees these, and nothing can reuse them.
    apiKey: `demo_${randomBytes(16).toString('hex')}`,
    jwtSecret: randomBytes(32),
    communityId: 'demo-community',
    baseUrl: null, // known once the fake server is listening
    widgets: [
      { id: 'demo-store-1', type: 'store' },
      { id: 'demo-leaderboard-1', type: 'leaderboard' },
    ],
  };
}
