// Switching users must not hand the previous user's widget token to the next one:
// the element reuses a stored, unexpired token on page load without asking the
// backend. There is no element on this page to call logout() on, so clear its
// default storage slot (the `storage-key` default, also the vendor's key) here.
const KEY = 'returning-ai-widget-token';

document.querySelector('form').addEventListener('submit', () => {
  for (const area of [globalThis.localStorage, globalThis.sessionStorage]) {
    try {
      // The token, then the source it is bound to, beside it.
      area?.removeItem(KEY);
      area?.removeItem(`${KEY}.source`);
    } catch {
      // Storage blocked: then nothing was stored either.
    }
  }
});
