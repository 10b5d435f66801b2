// A server-rendered host page for the browser tests: `renderWidget()` of the built `returning-ai-widget/ssr` runs here,
// in Node, as a site's server would run it. GET /__ssr-host?base=…&key=…[&id=…][&src=…][&script=classic-head]
//   base, key: the widget origin and a storage key; id: the widget id (default ssr-1);
//   src: replace the rendered frame's URL (a frame that is not the page the element wants);
//   script=classic-head: the CDN classic script in <head>, so the element is defined before the body is parsed.
// Without `script`, the page has no element script at all: the test adds it when it chooses.
const recorder = '<script src="/test/support/ssr-recorder.js"></script>';

export async function ssrHost(context, next) {
  if (context.path !== '/__ssr-host') return next();
  const { renderWidget } = await import('../../dist/ssr/index.js');
  const { base, key, id = 'ssr-1', src, script } = context.query;
  let markup = renderWidget({ 'base-url': base, 'widget-id': id, 'auth-endpoint': '/__test-auth', storage: 'memory', 'storage-key': key });
  if (src) markup = markup.replace(/ src="[^"]*"/, ` src="${src}"`);
  const head = script === 'classic-head' ? `${recorder}<script src="/dist/cdn/returning-ai-widget.iife.js"></script>` : recorder;
  context.type = 'html';
  context.body = `<!doctype html><html><head><meta charset="utf-8"><title>Server-rendered host page</title>${head}</head><body>${markup}</body></html>`;
}
