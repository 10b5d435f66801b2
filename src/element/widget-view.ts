import { css, html, nothing, type TemplateResult } from 'lit';
import type { AuthError } from '../core/auth-error.js';

/**
 * The element's look. The states are switched by the host's own attributes: `aria-busy="true"` shows the loading
 * cover, `status="error"` the error panel, `status="logged-out"` the signed-out slot. Every state overlays the frame's
 * box: nothing moves the page's layout. A server-rendered frame is a light-DOM child in the `frame` slot.
 */
export const styles = css`:host{display:block;position:relative;height:600px;--_b:var(--rai-widget-background,#fff);--_c:var(--rai-widget-color,#1f2328);--_a:var(--rai-widget-accent,#0969da);--_r:var(--rai-widget-radius,8px)}:host([theme=dark]){--_b:var(--rai-widget-background,#0d1117);--_c:var(--rai-widget-color,#e6edf3);--_a:var(--rai-widget-accent,#4493f8)}iframe,::slotted(iframe){display:block;width:100%;height:100%;border:0}iframe,::slotted(iframe),div,button{border-radius:var(--_r)}div{position:absolute;inset:0;display:none;place-content:center;justify-items:center;gap:1em;padding:1em;text-align:center;background:var(--_b);color:var(--_c)}:host([aria-busy=true]) [part=loading],:host([status=error]) [part=error]{display:grid}[part=signed-out]{inset:auto 0 0;padding:0;background:0}:host([status=logged-out]) [part=signed-out]{display:block}i{width:2em;height:2em;border:.25em solid;border-color:var(--_a) #0000;border-radius:50%;animation:r 1s linear infinite}@keyframes r{to{transform:rotate(1turn)}}@media (prefers-reduced-motion:reduce){i{animation:none}}button{font:inherit;padding:.5em 1em;border:0;background:var(--_a);color:var(--_b);cursor:pointer}`;

/** The short, fixed text the error panel shows for a failure: never the server's words. A config error names the attribute. */
const failureText = ({ reason, message }: AuthError) =>
  reason === 'config' ? message : reason === 'network' ? 'The sign-in service cannot be reached.' : reason === 'timeout' ? 'Signing in took too long.' : 'Signing in failed.';

/** What the view shows: the frame (or none), the last final failure, and what the retry button does. */
export interface ViewState {
  /** The element's own iframe, or `nothing` (no valid configuration, or a server-rendered frame in the slot). */
  frame: TemplateResult | typeof nothing;
  failure?: AuthError | undefined;
  retry(): void;
  /** A light-DOM frame was slotted: a server-rendered one, or one the parser added after the element upgraded. */
  slotted(event: Event): void;
}

/** The shadow tree: the frame slot and frame, then the panels, each a slot whose default content a page can replace. */
export const widgetView = ({ frame, failure, retry, slotted }: ViewState): TemplateResult =>
  html`<slot name="frame" @slotchange=${slotted}></slot>${frame}<div part="loading"><slot name="loading"><i></i></slot></div><div part="error" role="alert"><slot name="error"><p part="message">${failure && failureText(failure)}</p><button part="retry" ?hidden=${failure?.reason === 'config'} @click=${retry}>Try again</button></slot></div><div part="signed-out"><slot name="signed-out"></slot></div>`;

/** The element's own iframe; `loaded` hears each of its documents load. */
export const frameView = (url: string, title: string, loading: string, loaded: () => void): TemplateResult =>
  html`<iframe part="iframe" allow="clipboard-write" src=${url} title=${title} loading=${loading} @load=${loaded}></iframe>`;
