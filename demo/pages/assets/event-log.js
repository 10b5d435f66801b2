// A visible log of what the element reports, so a person can follow the flow.
const EVENTS = ['rai-auth-success', 'rai-auth-failure', 'rai-logout'];
// The element promises never to put the token in events; flag it loudly if one shows up.
const JWT_LIKE = /eyJ[\w-]+\.[\w-]+\./;

export function createLog(list) {
  return {
    add(kind, text = '') {
      const item = document.createElement('li');
      item.dataset.event = kind;
      const time = document.createElement('time');
      time.textContent = new Date().toLocaleTimeString();
      const label = document.createElement('span');
      label.className = 'kind';
      label.textContent = kind;
      item.append(time, label, text);
      list.prepend(item); // newest first
    },
  };
}

/** Logs the element's events; prefix tells widgets apart on multi-widget pages. */
export function logWidgetEvents(log, element, prefix = '') {
  for (const type of EVENTS) {
    element.addEventListener(type, (event) => {
      const detail = JSON.stringify(event.detail);
      log.add(type, `${prefix}${detail}`);
      if (JWT_LIKE.test(detail)) log.add('warning', `${prefix}this event carried a token-like string`);
    });
  }
}
