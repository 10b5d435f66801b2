// A host page with one <returning-ai-widget>, relaying what happens to the test page that opened or framed it.
const params = new URLSearchParams(location.search);
const tester = window.opener || parent;
const relay = (message) => tester.postMessage({ host: true, ...message }, location.origin);

const violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  violations.push(`${event.violatedDirective} ${event.blockedURI}`);
  relay({ kind: 'violation', violation: violations.at(-1) });
});

const el = document.createElement('returning-ai-widget');
el.setAttribute('base-url', params.get('base'));
el.setAttribute('widget-id', 'host-page');
el.setAttribute('auth-endpoint', '/__test-auth');
el.setAttribute('storage', 'memory');
for (const type of ['rai-auth-success', 'rai-auth-failure', 'rai-logout']) {
  el.addEventListener(type, (event) => relay({ kind: type, detail: event.detail }));
}
addEventListener('message', (event) => {
  const widget = el.shadowRoot?.querySelector('iframe')?.contentWindow;
  if (event.source === widget && event.data?.fake && event.data.kind === 'token') relay({ kind: 'widget-token', widgetId: event.data.value.widgetId });
  if (event.source === tester && event.data?.hostCommand === 'status') relay({ kind: 'status', status: el.status, violations });
});
document.body.append(el);
