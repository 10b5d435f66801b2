/**
 * The element's base class: what it used of Lit's ReactiveElement, in a fifth of its bytes (see the size figures in
 * the performance docs). Declared properties mirror their attributes, changes are batched into one `update()` per
 * microtask, `updateComplete` tells when it ran, and `static styles` is adopted by the open shadow root.
 *
 * The property options are Lit's own subset, so tools that read Lit's `static properties` (the Custom Elements
 * Manifest analyzer) describe the element unchanged: `attribute` (a name, or false for a property only), `type:
 * Number`, and `reflect`. Unlike Lit, removing an attribute, or setting a property to null or undefined, gives the
 * property its default back.
 */

/** How a property maps to its attribute. */
export interface PropertyOptions {
  attribute?: string | false;
  type?: NumberConstructor;
  reflect?: boolean;
}

// Importing in Node (server-side rendering) must not throw: there is no HTMLElement there.
const HTMLElementBase = (globalThis.HTMLElement ?? class {}) as typeof HTMLElement;

export class BaseElement extends HTMLElementBase {
  /** The declared properties; each gets an accessor that schedules an update. */
  static properties: Record<string, PropertyOptions> = {};
  /** CSS adopted by every instance's shadow root. */
  static styles = '';

  /** The attribute of each declared property, by attribute name. */
  static get observedAttributes(): string[] {
    const attributes = [];
    for (const [name, options] of Object.entries(this.properties)) {
      const attribute = options.attribute ?? name.toLowerCase();
      if (attribute) attributes.push(attribute);
      if (!Object.prototype.hasOwnProperty.call(this.prototype, name)) {
        const key = Symbol(name);
        Object.defineProperty(this.prototype, name, {
          get(this: BaseElement & Record<symbol, unknown>) {
            return this[key];
          },
          set(this: BaseElement & Record<symbol, unknown>, value: unknown) {
            // Removing the attribute, or setting null or undefined (as frameworks do for a prop they drop), restores
            // the property's default.
            value ??= this.#defaults.get(name);
            this[key] = value;
            if (options.reflect && attribute) this.#reflecting(() => (value == null ? this.removeAttribute(attribute) : this.setAttribute(attribute, String(value))));
            this.requestUpdate();
          },
        });
      }
    }
    return attributes;
  }

  /** The shadow root the element renders into. */
  readonly renderRoot: ShadowRoot;
  #updated: Promise<boolean> = Promise.resolve(true);
  #pending = false;
  #reflect = false;
  // Properties a framework set before the element was defined: own properties that would hide the accessors. They
  // are taken over at the first connection, after the subclass's field defaults, which they override.
  #early?: Map<string, unknown> = new Map();
  readonly #defaults = new Map<string, unknown>();

  constructor() {
    super();
    const self = this as unknown as Record<string, unknown>;
    for (const name of Object.keys((this.constructor as typeof BaseElement).properties)) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        this.#early!.set(name, self[name]);
        delete self[name];
      }
    }
    this.renderRoot = this.attachShadow({ mode: 'open' });
  }

  /**
   * Takes the properties' values as their defaults. A subclass calls it at the end of its constructor, once its field
   * initializers have given each property its starting value.
   */
  protected keepDefaults(): void {
    const self = this as unknown as Record<string, unknown>;
    for (const name of Object.keys((this.constructor as typeof BaseElement).properties)) this.#defaults.set(name, self[name]);
  }

  /** Resolves once the update scheduled by the last change has run. */
  get updateComplete(): Promise<boolean> {
    return this.#updated;
  }

  /** Schedules an update for the next microtask; changes made until then share it. */
  requestUpdate(): void {
    if (this.#pending) return;
    this.#pending = true;
    this.#updated = Promise.resolve().then(() => {
      this.#pending = false;
      this.update();
      return true;
    });
  }

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null): void {
    if (this.#reflect) return;
    const type = this.constructor as typeof BaseElement;
    for (const [name, options] of Object.entries(type.properties)) {
      if ((options.attribute ?? name.toLowerCase()) === attribute) {
        (this as unknown as Record<string, unknown>)[name] = options.type === Number && value !== null ? Number(value) : value;
      }
    }
  }

  connectedCallback(): void {
    this.#early?.forEach((value, name) => ((this as unknown as Record<string, unknown>)[name] = value));
    this.#early = undefined;
    // Adopted in the element's own document: a stylesheet cannot be shared across documents.
    const view = this.ownerDocument.defaultView as (Window & typeof globalThis) | null;
    if (view && !this.renderRoot.adoptedStyleSheets.length) {
      const sheet = new view.CSSStyleSheet();
      sheet.replaceSync((this.constructor as typeof BaseElement).styles);
      this.renderRoot.adoptedStyleSheets = [sheet];
    }
    this.requestUpdate();
  }

  disconnectedCallback(): void {}

  /** Runs once per batch of changes, while connected or not. */
  protected update(): void {}

  #reflecting(write: () => void): void {
    this.#reflect = true;
    try {
      write();
    } finally {
      this.#reflect = false;
    }
  }
}
