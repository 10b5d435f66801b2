// Two widgets, one page: both log their events, and the counter shows they
// were served by a single auth request.
import { createLog, logWidgetEvents } from './event-log.js';
import { mountSessionBar } from './session.js';
import { showStats } from './stats.js';

const log = createLog(document.getElementById('log'));
for (const widget of document.querySelectorAll('returning-ai-widget')) {
  logWidgetEvents(log, widget, `[${widget.getAttribute('widget-type')}] `);
}
mountSessionBar(document.getElementById('session'));
showStats(document.getElementById('stats'));
