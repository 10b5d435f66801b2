import { ReturningAiWidget } from './returning-ai-widget.js';

// Server-side rendering may run without a custom element registry: importing must still work there.
if (globalThis.customElements) ReturningAiWidget.define();

declare global {
  interface HTMLElementTagNameMap {
    'returning-ai-widget': ReturningAiWidget;
  }
}
