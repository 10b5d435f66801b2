// Controls for the plain-tag page: calls the element's methods and shows its
// status and events. Loaded before the element's bundle so no event is missed.
import { mountFaultToggles } from './endpoint-faults.js';
import { createLog, logWidgetEvents } from './event-log.js';
import { mountSessionBar, signOutOfHost } from './session.js';
import { showStats } from './stats.js';

const widget = document.getElementById('widget');
const log = createLog(document.getElementById('log'));
logWidgetEvents(log, widget);
mountSessionBar(document.getElementById('session'));
showStats(document.getElementById('stats'));
mountFaultToggles(document.getElementById('faults'), {
  slowSeconds: document.getElementById('slow-seconds'),
  onChange: (name, on) => log.add('toggle', `${name} endpoint ${on ? 'on' : 'off'}`),
  onError: (error) => log.add('warning', `toggle refused: ${error.message}`),
});

// The status line keeps the recent transitions: some (logged-out, authenticating) pass in a blink.
const statusLine = document.getElementById('status');
const history = [];
function showStatus() {
  const current = widget.getAttribute('status');
  if (current && history.at(-1) !== current) history.push(current);
  if (history.length > 8) history.shift();
  const prop = document.createElement('b');
  prop.textContent = widget.status ?? '—';
  statusLine.dataset.status = widget.status ?? '';
  statusLine.dataset.history = history.join(' ');
  statusLine.replaceChildren('status: ', prop, `  (attribute history: ${history.join(' → ') || '—'})`);
}
new MutationObserver((records) => {
  // Replay each change, so a status that was replaced within one task still shows up.
  for (const record of records) {
    if (record.oldValue && history.at(-1) !== record.oldValue) history.push(record.oldValue);
  }
  showStatus();
}).observe(widget, { attributes: true, attributeFilter: ['status'], attributeOldValue: true });
setInterval(showStatus, 500); // the property is the source of truth; keep the line fresh
showStatus();

const actions = {
  logout() {
    log.add('call', 'logout()');
    widget.logout();
  },
  async signout() {
    log.add('call', 'sign out of the host app, then logout()');
    await signOutOfHost();
  },
  async authenticate() {
    log.add('call', 'authenticate()');
    try {
      const ok = await widget.authenticate();
      log.add('result', `authenticate() resolved ${ok}`);
    } catch (error) {
      log.add('result', `authenticate() rejected: ${error?.message ?? error}`);
    }
  },
  reload() {
    log.add('call', 'reload()');
    widget.reload();
  },
};

for (const button of document.querySelectorAll('button[data-action]')) {
  button.addEventListener('click', () => {
    if (!customElements.get('returning-ai-widget')) {
      log.add('warning', 'the element is not defined yet: run npm run build');
      return;
    }
    Promise.resolve()
      .then(() => actions[button.dataset.action]())
      .catch((error) => log.add('warning', String(error)));
  });
}
