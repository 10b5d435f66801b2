/**
 * The page's token owner exists as soon as the library loads (issue 17, finding 1). A page of the site that loads the
 * library without a widget yet must hear another tab's logout: with `storage="session"`, its own copy of the token
 * stays in its tab's sessionStorage until it does, and a widget mounted later would be handed the signed-out user's
 * token. This file does not load the library in the test page (no import of ./support.js): the only owner on it is
 * the "tab" frame's.
 */
import { expect } from '@open-wc/testing';

type Tab = Window & typeof globalThis & { ready: Promise<unknown>; reports: Array<{ kind: string; value?: { token: string } }> };

const part = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const now = Math.floor(Date.now() / 1000);
const signedOutUsersToken = `${part({ alg: 'none' })}.${part({ iat: now, exp: now + 300 })}.signed-out-user`;

async function poll<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string): Promise<T> {
  const deadline = performance.now() + 5000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the token owner is created as the library loads', () => {
  it('a page with the library but no widget hears a logout, and a widget mounted there later gets no token of the signed-out user', async () => {
    const { WIDGET_ORIGIN } = (await (await fetch('/__fixtures.json')).json()) as { WIDGET_ORIGIN: string };
    // The host app's auth endpoint: the session has ended, it refuses.
    const id = `ep-${Math.random().toString(36).slice(2)}`;
    await fetch(`/__auth-control/${id}?mode=401`, { method: 'POST' });
    const endpoint = new URL(`/__auth/${id}`, location.href).href;
    const key = `key-${id}`;

    // This tab signed in with storage="session" on an earlier page: its sessionStorage holds the token.
    sessionStorage.setItem(key, signedOutUsersToken);
    sessionStorage.setItem(`${key}.source`, `${signedOutUsersToken.slice(-16)} ${endpoint}`);
    // Now a page of the site with the library and no widget (a same-origin frame shares this tab's sessionStorage).
    const frame = document.createElement('iframe');
    frame.src = '/test/support/other-tab.html';
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
    const tab = frame.contentWindow as Tab;
    await tab.ready;

    // Another tab ends the host session and calls the static logout({ storage: 'session' }): its BroadcastChannel
    // message. A later message of the same sender reaches a channel opened after the owner's once the owner has had it.
    const heard = new Promise((resolve) => (new tab.BroadcastChannel('returning-ai-widget').onmessage = resolve));
    const otherTab = new BroadcastChannel('returning-ai-widget');
    otherTab.postMessage({ type: 'logout', kind: 'session', key });
    otherTab.postMessage({ type: 'ping' });
    await heard;
    otherTab.close();

    // A widget mounted on that page is signed out: the place heard the logout, and nothing signed it in again since.
    const el = tab.document.createElement('returning-ai-widget') as HTMLElement & { status: string };
    const attributes = { 'auth-endpoint': endpoint, 'storage-key': key, storage: 'session', 'widget-id': 'w1', 'base-url': WIDGET_ORIGIN };
    for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
    tab.document.body.append(el);
    const calls = async () => ((await (await fetch(`/__auth-control/${id}`)).json()) as { calls: number }).calls;
    await poll(async () => tab.reports.some((report) => report.kind === 'token') || el.status !== 'idle', 'a token or a status');
    expect(el.status).to.equal('logged-out');
    await poll(() => tab.reports.some((report) => report.kind === 'loaded'), 'the widget to load');
    expect(tab.reports.filter((report) => report.kind === 'token').map((report) => report.value!.token)).to.deep.equal([]);
    expect(await calls()).to.equal(0);
    expect(sessionStorage.getItem(key), 'the token, removed from this tab').to.equal(null);
    expect(sessionStorage.getItem(`${key}.source`), 'and its binding').to.equal(null);
    frame.remove();
  });
});
