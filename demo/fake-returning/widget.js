// The widget side of the token protocol, as a real widget would run it:
// ask window.parent for a token, accept answers only from window.parent,
// verify with its own server, and ask again on expiry or rejection.
const REQUEST = 'RETURNINGAI_WIDGET_REQUEST_TOKEN';
const ANSWERS = new Set(['RETURNINGAI_WIDGET_TOKEN', 'RETURNINGAI_WIDGET_REFRESH']);
const MAX_REJECTIONS = 3; // stop asking after this many bad tokens in a row
const RETRY_AFTER_REJECTION_MS = 1000;

const body = document.body;
const widgetId = body.dataset.widgetId;
// Tells documents apart: a reloaded widget starts over with no token.
body.dataset.doc = Math.random().toString(36).slice(2, 10);
const framed = window.parent !== window;
const $ = (id) => document.getElementById(id);

const s = {
  state: 'no-token', // no-token | verifying | signed-in | expired | rejected
  email: '',
  iat: 0,
  exp: 0,
  refreshes: 0,
  rejections: 0,
  requests: 0,
  gaveUp: false,
  hadToken: false, // a later good token counts as a refresh
  token: '', // the token held (or being verified)
  asked: false, // a request is out and unanswered: a token that comes otherwise was pushed
  generation: 0, // bumps on every new token so stale async work is dropped
  expiryTimer: 0,
  headline: 'No token — waiting for the host page',
  detail: framed
    ? 'This widget asks its parent page for a token with postMessage.'
    : 'Open this page inside the host demo: it gets its token from its parent page.',
};

function note(text) {
  const item = document.createElement('li');
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString();
  item.append(time, text);
  $('log').prepend(item);
  while ($('log').children.length > 30) $('log').lastChild.remove();
}

function render() {
  const left = s.state === 'signed-in' ? Math.max(0, s.exp - Date.now() / 1000) : 0;
  Object.assign(body.dataset, {
    state: s.state,
    email: s.email,
    expiresAt: s.exp ? String(s.exp) : '',
    refreshes: String(s.refreshes),
    rejections: String(s.rejections),
    requests: String(s.requests),
    gaveUp: String(s.gaveUp),
  });
  $('headline').textContent = s.headline;
  $('detail').textContent = s.detail;
  $('countdown').textContent = s.state === 'signed-in' ? `${Math.ceil(left)} s` : '—';
  $('refreshes').textContent = String(s.refreshes);
  $('requests').textContent = String(s.requests);
  const lifetime = s.exp - s.iat;
  $('meter-fill').style.width = lifetime > 0 ? `${(100 * left) / lifetime}%` : '0';
  $('ask').hidden = !framed || !(s.gaveUp || s.state === 'no-token');
}

function set(state, headline, detail) {
  Object.assign(s, { state, headline, detail });
  render();
}

function requestToken(why) {
  if (!framed) return;
  s.requests += 1;
  s.asked = true;
  // A request carries no secret, and the widget cannot know its parent's origin: '*' is fine here.
  window.parent.postMessage({ type: REQUEST }, '*');
  note(`asked the host page for a token (${why})`);
  render();
}

function forgetToken() {
  s.generation += 1;
  clearTimeout(s.expiryTimer);
  Object.assign(s, { email: '', iat: 0, exp: 0, token: '' });
}

async function verify(token) {
  try {
    const res = await fetch('/widget/verify', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const data = await res.json().catch(() => ({}));
    return res.ok ? { ok: true, claims: data } : { ok: false, reason: data.error || `HTTP ${res.status}` };
  } catch {
    return { ok: false, reason: 'verify request failed' };
  }
}

function onSignedIn(claims) {
  const refreshed = s.hadToken;
  Object.assign(s, { hadToken: true, email: claims.email, iat: claims.iat, exp: claims.exp, rejections: 0, gaveUp: false });
  if (refreshed) s.refreshes += 1;
  const until = new Date(claims.exp * 1000).toLocaleTimeString();
  note(refreshed ? `token refreshed, valid until ${until}` : `signed in as ${claims.email}, valid until ${until}`);
  set('signed-in', `Signed in as ${claims.email}`,
    refreshed ? `Token refreshed (${s.refreshes}×) — the host page fetched a new one.` : 'Token verified by the widget server.');
  clearTimeout(s.expiryTimer);
  s.expiryTimer = setTimeout(onExpired, Math.max(0, claims.exp * 1000 - Date.now()));
}

function onExpired() {
  forgetToken();
  note('token expired');
  set('expired', 'Token expired — asking for a new one', 'Waiting for the host page to answer.');
  requestToken('token expired');
}

function onRejected(reason) {
  forgetToken();
  s.rejections += 1;
  note(`token rejected (${reason})`);
  if (s.rejections >= MAX_REJECTIONS) {
    s.gaveUp = true;
    set('rejected', 'Token rejected', `Gave up after ${s.rejections} rejected tokens in a row (last: ${reason}).`);
    return;
  }
  set('rejected', 'Token rejected', `Reason: ${reason}. Asking again (${s.rejections}/${MAX_REJECTIONS}).`);
  const generation = s.generation;
  setTimeout(() => {
    if (generation === s.generation && !s.gaveUp) requestToken('previous token rejected');
  }, RETRY_AFTER_REJECTION_MS);
}

async function onToken(token, kind) {
  forgetToken();
  s.token = token;
  const generation = s.generation;
  set('verifying', 'Checking token…', `Received ${kind} from the host page.`);
  const result = await verify(token);
  if (generation !== s.generation) return; // a newer token arrived meanwhile
  if (result.ok) onSignedIn(result.claims);
  else onRejected(result.reason);
}

window.addEventListener('message', (event) => {
  // Only the embedding page may hand us a token; other frames of any origin are ignored.
  if (!framed || event.source !== window.parent) return;
  const data = event.data;
  if (!data || typeof data !== 'object' || !ANSWERS.has(data.type)) return;
  const value = data.value && typeof data.value === 'object' ? data.value : {};
  if (value.widgetId !== widgetId) {
    note(`ignored a token for another widget (${JSON.stringify(value.widgetId)})`);
    return;
  }
  if (typeof value.token !== 'string' || value.token === '') {
    forgetToken();
    note('the host page answered without a token');
    set('no-token', 'No token — waiting for the host page', 'The host page has no token for this user yet.');
    return;
  }
  const asked = s.asked;
  s.asked = false;
  // The host page pushes a token to a widget that loaded without one, and a refresh before expiry; a request may cross
  // such a push on the way, and is then answered with the same token again: nothing new.
  if (value.token === s.token) return note('received the token it holds again (its request crossed a push)');
  const kind = data.type === 'RETURNINGAI_WIDGET_REFRESH' ? 'a pushed refresh' : asked ? 'a token' : 'a pushed token';
  note(`received ${kind}`);
  onToken(value.token, kind);
});

$('ask').addEventListener('click', () => {
  Object.assign(s, { rejections: 0, gaveUp: false });
  requestToken('asked by hand');
});

setInterval(render, 500); // keeps the countdown moving
render();
requestToken('page loaded');
