// The element's own typings: the tag in HTMLElementTagNameMap, the events in GlobalEventHandlersEventMap.
import 'returning-ai-widget';
import type { ReturningAiWidget, StatusReason } from 'returning-ai-widget';
import type { ReturningAiWidgetVueComponent } from 'returning-ai-widget/vue';
import { ReturningAiWidget as WidgetClass } from 'returning-ai-widget/returning-ai-widget.js';

const widget: ReturningAiWidget | null = document.querySelector('returning-ai-widget');
widget?.addEventListener('rai-status-change', (event) => {
  const reason: StatusReason | undefined = event.detail.reason;
  console.log(event.detail.status, reason);
});
widget?.addEventListener('rai-auth-failure', (event) => console.log(event.detail.reason, event.detail.retrying));
WidgetClass.define('my-rewards');
export type VueWidget = InstanceType<ReturningAiWidgetVueComponent>;
