// An Express 5 site with the widget, and no bundler: a session login, the widget's auth endpoint behind a guard
// that answers 401, the element served from node_modules, and sign-out. Tested end to end in Chromium by
// test/frameworks/express.test.mjs.
//
// Run it from the repository root (after `npm run build`):
//   RETURNING_AI_API_KEY=… RETURNING_AI_COMMUNITY_ID=… WIDGET_ID=… SESSION_SECRET=… node examples/express/server.mjs
// In your own app: npm install express express-session returning-ai-widget
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
// #region setup
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express from 'express';
import session from 'express-session';
import { createWidgetAuthHandler, toNodeHandler } from 'returning-ai-widget/server';
import { renderWidget } from 'returning-ai-widget/ssr';

// The element's browser files (ES module, classic script, source maps), straight from node_modules.
const ELEMENT_FILES = dirname(createRequire(import.meta.url).resolve('returning-ai-widget/cdn/returning-ai-widget.js'));
// #endregion setup
const PAGE = readFileSync(new URL('page.html', import.meta.url), 'utf8');

/**
 * The site. `config`: the Returning.AI API key, community id and widget id, the session secret, and for tests
 * the signin API's `baseUrl` and the widget's `widgetBaseUrl` (both default to Returning.AI's hosts).
 */
export function createApp(config) {
  // #region app
  const app = express();
  app.use(
    session({
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      // SameSite=Lax: another site cannot post to /api/widget-auth or /logout with the user's cookie.
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies ?? false },
    }),
  );

  // A page guard may redirect to the login page; an API guard must answer 401. The element reads 401 as
  // "signed out" (`rai-auth-failure` with reason `unauthorized`); a redirect to an HTML page is not a token.
  const requireLogin = (req, res, next) => (req.session.user ? next() : res.redirect('/login'));
  const requireLoginApi = (req, res, next) => (req.session.user ? next() : res.status(401).json({ error: 'unauthenticated' }));

  const widgetAuth = createWidgetAuthHandler({
    apiKey: config.apiKey, // secret: it never leaves the server
    communityId: config.communityId,
    baseUrl: config.baseUrl,
    // The email comes from the session, never from the request.
    getUserEmail: (_request, { req }) => req.session.user?.email,
    onError: (error) => console.error('widget auth failed:', error.code, error.upstreamStatus ?? ''),
  });
  app.post('/api/widget-auth', requireLoginApi, toNodeHandler(widgetAuth));

  // The element, served as it is: no bundler, no build step.
  app.use('/vendor/returning-ai-widget', express.static(ELEMENT_FILES));
  // #endregion app

  app.get('/login', (_req, res) => res.type('html').send(LOGIN_PAGE));
  app.post('/login', express.urlencoded({ extended: false }), (req, res, next) => {
    // Stands in for your real login (a password check, OAuth…): here any email signs in.
    const email = String(req.body?.email ?? '').trim();
    if (!email) return res.redirect('/login');
    // A new session id at login, so that one set before it (session fixation) is worthless.
    req.session.regenerate((error) => {
      if (error) return next(error);
      req.session.user = { email };
      res.redirect('/');
    });
  });

  // #region logout
  // Sign-out, step 1 (the page does step 2): end the session, so that no new widget token can be issued, and
  // drop the user's token from the handler's cache, so that the next sign-in gets a new one.
  // (Express 5 passes a rejected promise of an async handler to the error handler.)
  app.post('/logout', async (req, res) => {
    const email = req.session.user?.email;
    await new Promise((resolve, reject) => req.session.destroy((error) => (error ? reject(error) : resolve())));
    if (email) await widgetAuth.forgetToken(email);
    res.clearCookie('connect.sid').sendStatus(204);
  });
  // #endregion logout

  app.get('/', requireLogin, (_req, res) => res.type('html').send(widgetPage(config)));
  return app;
}

const LOGIN_PAGE = `<!doctype html>
<html lang="en">
  <meta charset="utf-8" />
  <title>Log in</title>
  <form method="post" action="/login">
    <label>Email <input name="email" type="email" required /></label>
    <button>Log in</button>
  </form>
</html>`;

// #region render
/**
 * page.html with the element rendered in, its iframe already inside: the widget page loads while the browser parses
 * the HTML, and the element's script adopts it. (`widgetBaseUrl` is the widget's host, for tests; it defaults to
 * Returning.AI's.)
 */
function widgetPage({ widgetId, widgetBaseUrl }) {
  return PAGE.replace('<!-- widget -->', renderWidget({ 'widget-id': widgetId, 'auth-endpoint': '/api/widget-auth', 'base-url': widgetBaseUrl }));
}
// #endregion render

// `node examples/express/server.mjs`: the site on PORT (default 3000), configured from the environment.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = (name) => process.env[name] || (console.error(`${name} is required`), process.exit(1));
  const app = createApp({
    apiKey: env('RETURNING_AI_API_KEY'),
    communityId: env('RETURNING_AI_COMMUNITY_ID'),
    widgetId: env('WIDGET_ID'),
    sessionSecret: env('SESSION_SECRET'),
    secureCookies: process.env.NODE_ENV === 'production',
  });
  const port = Number(process.env.PORT) || 3000;
  app.listen(port, () => process.stdout.write(`http://localhost:${port}\n`));
}
