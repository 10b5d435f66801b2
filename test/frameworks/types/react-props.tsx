// Type-checked by `tsc -p test/frameworks` (never run): what returning-ai-widget/react allows and rejects in JSX.
import { useRef } from 'react';
import type { ReturningAiWidget, TokenProvider } from 'returning-ai-widget';
import type {} from 'returning-ai-widget/react';

declare const provider: TokenProvider;

export function Allowed() {
  const ref = useRef<ReturningAiWidget>(null);
  return (
    <returning-ai-widget
      ref={ref}
      id="widget"
      className="wide"
      widget-id="w1"
      widget-type="store"
      base-url="https://example.returning.ai"
      theme="dark"
      auth-endpoint="/api/widget-auth"
      storage="session"
      storage-key="my-key"
      loading="lazy"
      label="Rewards"
      timeout={5000}
      tokenProvider={provider}
      onrai-auth-success={(event) => console.log(event.detail.refreshed, event.detail.expiresAt, event.detail.widgetId)}
      onrai-auth-failure={(event) => console.log(event.detail.reason === 'unauthorized', event.detail.retrying)}
      onrai-logout={(event) => console.log(event.detail.widgetId)}
      onrai-status-change={(event) => console.log(event.detail.status === 'logged-out' && event.detail.reason === 'logout')}
    >
      <p slot="loading">Loading your rewards…</p>
    </returning-ai-widget>
  );
}

export function Rejected() {
  return (
    <>
      {/* @ts-expect-error theme is 'light' or 'dark' */}
      <returning-ai-widget widget-id="w1" theme="blue" />
      {/* @ts-expect-error storage is 'local', 'session' or 'memory' */}
      <returning-ai-widget widget-id="w1" storage="cookie" />
      {/* @ts-expect-error tokenProvider is a function that returns a Promise<string> */}
      <returning-ai-widget widget-id="w1" tokenProvider="/api/widget-auth" />
      {/* @ts-expect-error a timeout is a number of milliseconds */}
      <returning-ai-widget widget-id="w1" timeout={{ ms: 5 }} />
      <returning-ai-widget
        widget-id="w1"
        // @ts-expect-error the success detail has no reason (that is rai-auth-failure's)
        onrai-auth-success={(event) => console.log(event.detail.reason)}
      />
      <returning-ai-widget
        widget-id="w1"
        // @ts-expect-error the failure reason is a known word, not any string
        onrai-auth-failure={(event) => event.detail.reason === 'expired'}
      />
      <returning-ai-widget
        widget-id="w1"
        // @ts-expect-error a status is one of the five WidgetStatus words
        onrai-status-change={(event) => event.detail.status === 'signed-in'}
      />
    </>
  );
}
