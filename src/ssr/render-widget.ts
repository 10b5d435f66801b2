/**
 * The element's markup for server rendering: `<returning-ai-widget>` with its attributes and, inside it, the widget's
 * iframe in the element's `frame` slot. The browser starts loading the widget page while it parses the HTML, before
 * any script; the element, once its script runs, adopts that iframe (its document is not loaded twice) and hands the
 * widget its token, even if the widget asked before the script ran. Plain strings: no DOM, no Lit, nothing of
 * `window` is touched, in Node or in any server runtime.
 */
import type { ReturningAiWidgetAttributes } from '../frameworks/shared.js';
import { DEFAULT_BASE_URL, DEFAULT_LABEL, DEFAULT_WIDGET_TYPE, widgetUrl } from '../element/widget-config.js';

/** The element's attributes (kebab-case, as in HTML); `undefined` and `null` values are left out. */
export type WidgetAttributes = { [Name in keyof ReturningAiWidgetAttributes]?: ReturningAiWidgetAttributes[Name] | null };

/** The markup as data: the element's attributes, and its frame's (none when the frame's URL cannot be built). */
export interface WidgetMarkup {
  host: Record<string, string>;
  frame?: Record<string, string>;
}

const ATTRIBUTE_NAME = /^[a-z][a-z\d-]*$/;

/**
 * The element's attributes and its server-rendered frame's, for a renderer of your own (the React component uses it).
 * When the frame's URL cannot be built from `base-url`, `widget-type`, `widget-id` and `theme`, there is no frame: the
 * element then reports the attribute at fault in the browser (a `config` failure and its error panel).
 * @param attributes - The element's attributes, as on the tag.
 * @throws {TypeError} For a name that is not a plain attribute name (it would let markup through).
 */
export function widgetMarkup(attributes: WidgetAttributes): WidgetMarkup {
  const host: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (!ATTRIBUTE_NAME.test(name)) throw new TypeError(`renderWidget: "${name}" is not an attribute name`);
    if (value != null) host[name] = String(value);
  }
  let src: string;
  try {
    src = widgetUrl(host['base-url'] ?? DEFAULT_BASE_URL, host['widget-type'] ?? DEFAULT_WIDGET_TYPE, host['widget-id'] ?? '', host.theme || undefined).href;
  } catch {
    return { host };
  }
  // The size and border the element gives its frame, as presentational attributes (a strict CSP refuses inline
  // styles): the page's layout does not move when the element's styles arrive with its script.
  const frame: Record<string, string> = { slot: 'frame', src, title: host.label ?? DEFAULT_LABEL, allow: 'clipboard-write', width: '100%', height: '600', frameborder: '0' };
  if (host.loading === 'lazy') frame.loading = 'lazy';
  return { host, frame };
}

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const serialize = (attributes: Record<string, string>) => Object.entries(attributes).map(([name, value]) => ` ${name}="${escape(value)}"`).join('');

/**
 * The HTML of `<returning-ai-widget>` with its iframe already in it, for a server-rendered page. Attribute values are
 * escaped; `options.content` (your slot content, such as `<a slot="signed-out" href="/login">Sign in</a>`) is your own
 * markup and goes in as it is, after the frame.
 * @param attributes - The element's attributes, as on the tag: `{ 'widget-id': 'w1', 'auth-endpoint': '/api/widget-auth' }`.
 * @param options - `content`: HTML to put inside the element.
 * @returns The element's HTML.
 */
export function renderWidget(attributes: WidgetAttributes, options: { content?: string } = {}): string {
  const { host, frame } = widgetMarkup(attributes);
  return `<returning-ai-widget${serialize(host)}>${frame ? `<iframe${serialize(frame)}></iframe>` : ''}${options.content ?? ''}</returning-ai-widget>`;
}
