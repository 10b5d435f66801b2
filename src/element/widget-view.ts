import type { AuthFailureReason } from '../core/auth-error.js';

/**
 * The element's look. The states are switched by the host's own attributes, so no template engine is needed:
 * `aria-busy="true"` shows the loading cover, `status="error"` the error panel, `status="logged-out"` the
 * signed-out slot. Every state overlays the frame's box: nothing moves the page's layout.
 */
export const styles = `:host{display:block;position:relative;height:600px;--_b:var(--rai-widget-background,#fff);--_c:var(--rai-widget-color,#1f2328);--_a:var(--rai-widget-accent,#0969da);--_r:var(--rai-widget-radius,8px)}:host([theme=dark]){--_b:var(--rai-widget-background,#0d1117);--_c:var(--rai-widget-color,#e6edf3);--_a:var(--rai-widget-accent,#4493f8)}iframe{display:block;width:100%;height:100%;border:0}iframe,div,button{border-radius:var(--_r)}div{position:absolute;inset:0;display:none;place-content:center;justify-items:center;gap:1em;padding:1em;text-align:center;background:var(--_b);color:var(--_c)}:host([aria-busy=true]) [part=loading],:host([status=error]) [part=error]{display:grid}[part=signed-out]{inset:auto 0 0;padding:0;background:0}:host([status=logged-out]) [part=signed-out]{display:block}i{width:2em;height:2em;border:.25em solid;border-color:var(--_a) #0000;border-radius:50%;animation:r 1s linear infinite}@keyframes r{to{transform:rotate(1turn)}}@media (prefers-reduced-motion:reduce){i{animation:none}}button{font:inherit;padding:.5em 1em;border:0;background:var(--_a);color:var(--_b);cursor:pointer}`;

/** The short, fixed text the error panel shows for a reason: never the server's words. A config error names the attribute. */
export const failureText = (reason: AuthFailureReason, message: string) =>
  reason === 'config' ? message : reason === 'network' ? 'The sign-in service cannot be reached.' : reason === 'timeout' ? 'Signing in took too long.' : 'Signing in failed.';

/**
 * Builds the shadow tree with DOM calls (no HTML strings, so the strictest Trusted Types policy has nothing to
 * refuse): the panels, each a slot whose default content a page can replace. The iframe comes later, once the
 * configuration is valid. Returns the parts the element updates.
 */
export function renderShadow(root: ShadowRoot, retry: () => void) {
  const make = (tag: string, part: string | 0, ...children: Array<Node | string>) => {
    const node = root.ownerDocument.createElement(tag);
    if (part) node.setAttribute('part', part);
    node.append(...children);
    return node;
  };
  const slot = (name: string, ...fallback: Node[]) => {
    const node = make('slot', 0, ...fallback);
    node.setAttribute('name', name);
    return node;
  };
  const message = make('p', 'message');
  const button = make('button', 'retry', 'Try again');
  button.addEventListener('click', retry);
  const error = make('div', 'error', slot('error', message, button));
  error.setAttribute('role', 'alert');
  root.append(make('div', 'loading', slot('loading', make('i', 0))), error, make('div', 'signed-out', slot('signed-out')));
  return { message, retry: button };
}

/** The widget's iframe, first in the shadow root; `onLoad` hears each of its documents load. */
export function createFrame(root: ShadowRoot, onLoad: () => void): HTMLIFrameElement {
  const frame = root.ownerDocument.createElement('iframe');
  frame.setAttribute('part', 'iframe');
  frame.allow = 'clipboard-write';
  frame.addEventListener('load', onLoad);
  root.prepend(frame);
  return frame;
}
