// Demo chrome for the CDN page: who is signed in, and the element's events.
import { createLog, logWidgetEvents } from './event-log.js';
import { mountSessionBar } from './session.js';

logWidgetEvents(createLog(document.getElementById('log')), document.querySelector('returning-ai-widget'));
mountSessionBar(document.getElementById('session'));
