// Records every message this window receives from its first script on, before any frame of the page exists, so a
// test can see what a server-rendered widget sent before the element's script ran.
window.received = [];
addEventListener('message', (event) => window.received.push({ data: event.data, source: event.source }));
