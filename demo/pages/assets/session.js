// Who is signed in to the host app, and signing out the way a site should:
// end the server session, then tell every widget on the page to forget its token.
export const SESSION_CHANGED = 'demo-session-changed';

export async function currentUser() {
  const res = await fetch('/api/me');
  return (await res.json()).email;
}

export async function signOutOfHost() {
  const res = await fetch('/signout', { method: 'POST', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`sign-out failed: HTTP ${res.status}`);
  // One logout() per storage slot: the element already tells every widget sharing a slot.
  const slots = new Map();
  for (const widget of document.querySelectorAll('returning-ai-widget')) {
    slots.set(`${widget.storage}:${widget.storageKey}`, widget);
  }
  for (const widget of slots.values()) widget.logout?.();
  window.dispatchEvent(new Event(SESSION_CHANGED));
}

/** Renders "Signed in as … [Sign out]" or a sign-in link into container, kept up to date. */
export function mountSessionBar(container) {
  async function draw() {
    const email = await currentUser();
    container.dataset.email = email ?? '';
    if (email) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Sign out';
      button.addEventListener('click', () => signOutOfHost());
      container.replaceChildren(`Signed in as ${email}`, button);
    } else {
      const link = document.createElement('a');
      link.href = `/signin?next=${encodeURIComponent(location.pathname)}`;
      link.textContent = 'Sign in';
      container.replaceChildren('Not signed in', link);
    }
  }
  window.addEventListener(SESSION_CHANGED, draw);
  return draw();
}
