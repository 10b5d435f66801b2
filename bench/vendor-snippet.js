// The vendor's snippet, verbatim from "Auth - Token", Step 2 (widget-auth.js), used as the bench's baseline.
// bench/servers.mjs substitutes only the three placeholders: the auth endpoint URL, the widget origin and the
// widget id (lines starting with // are dropped). Nothing else is changed, including its gaps.
async function authenticateWidget() {
  try {
    const response = await fetch('/api/widget-auth', {
      method: 'POST',
      credentials: 'include'
    });
    const data = await response.json();

    if (data.token) {
      localStorage.setItem('returning-ai-widget-token', data.token);
      console.log('Widget authenticated successfully');
    }
  } catch (error) {
    console.error('Widget authentication failed:', error);
  }
}

window.addEventListener('message', (event) => {
  if (event.origin === 'https://prod-widgets.returning.ai') {
    const { type } = event.data;
    if (type === 'RETURNINGAI_WIDGET_REQUEST_TOKEN') {
      const token = localStorage.getItem('returning-ai-widget-token');
      event.source.postMessage(
        { type: 'RETURNINGAI_WIDGET_TOKEN', value: { token, widgetId: 'YOUR_WIDGET_ID' } },
        event.origin
      );
    }
  }
});

document.addEventListener('DOMContentLoaded', authenticateWidget);
