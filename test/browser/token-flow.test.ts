import { expect } from '@open-wc/testing';
import { WIDGET_ORIGIN, authEndpoint, cleanup, mount, startWorker } from './support.js';

describe('token flow', () => {
  before(startWorker);
  afterEach(cleanup);

  it('answers the widget’s token request with a token from the auth endpoint', async () => {
    const endpoint = authEndpoint();
    const { el, events, widget } = await mount({ 'auth-endpoint': endpoint.url, 'widget-id': 'abc' });
    const token = await widget.token();
    expect(token).to.equal(endpoint.tokens[0]);
    expect(widget.reports('token')[0]!.value).to.deep.equal({ token, widgetId: 'abc' });
    expect(widget.reports('token')[0]!.origin).to.equal(WIDGET_ORIGIN);
    expect(el.status).to.equal('authenticated');
    expect(events.success).to.have.length(1);
  });
});
