// Type-checked by `tsc -p test/frameworks` (never run): what the React component of returning-ai-widget/react
// allows and rejects.
import { useRef, useState } from 'react';
import type { TokenProvider, WidgetStatus } from 'returning-ai-widget';
import { ReturningAiWidget, ReturningAiWidgetElement } from 'returning-ai-widget/react';

declare const provider: TokenProvider;

export function Allowed() {
  const ref = useRef<ReturningAiWidgetElement>(null);
  const [status, setStatus] = useState<WidgetStatus>('idle');
  const signOut = () => {
    ref.current?.logout();
    ReturningAiWidgetElement.logout({ storage: 'session' });
  };
  return (
    <>
      <ReturningAiWidget
        ref={ref}
        id="widget"
        className="wide"
        style={{ height: 400 }}
        widgetId="w1"
        widgetType="store"
        baseUrl="https://example.returning.ai"
        theme="dark"
        authEndpoint="/api/widget-auth"
        storage="session"
        storageKey="my-key"
        loading="lazy"
        label="Rewards"
        timeout={5000}
        tokenProvider={provider}
        onAuthSuccess={(event) => console.log(event.detail.refreshed, event.detail.expiresAt, event.detail.widgetId)}
        onAuthFailure={(event) => console.log(event.detail.reason === 'unauthorized', event.detail.retrying)}
        onLogout={(event) => console.log(event.detail.widgetId)}
        onStatusChange={(event) => {
          setStatus(event.detail.status);
          if (event.detail.reason === 'logout' || event.detail.reason === 'network') console.log(event.detail.reason);
        }}
        onClick={(event) => console.log(event.currentTarget.status)}
      >
        <p slot="loading">Loading your rewards…</p>
        <div slot="error">
          Rewards are unavailable. <button onClick={() => ref.current?.retry()}>Try again</button>
        </div>
        <a slot="signed-out" href="/sign-in">
          Sign in to collect rewards
        </a>
      </ReturningAiWidget>
      <ReturningAiWidget widgetId="w2">{status === 'error' && <p slot="error">Unavailable</p>}</ReturningAiWidget>
      <button onClick={signOut}>Sign out</button>
    </>
  );
}

export function Rejected() {
  return (
    <>
      {/* @ts-expect-error theme is 'light' or 'dark' */}
      <ReturningAiWidget widgetId="w1" theme="blue" />
      {/* @ts-expect-error storage is 'local', 'session' or 'memory' */}
      <ReturningAiWidget widgetId="w1" storage="cookie" />
      {/* @ts-expect-error tokenProvider is a function that returns a Promise<string> */}
      <ReturningAiWidget widgetId="w1" tokenProvider="/api/widget-auth" />
      {/* @ts-expect-error a timeout is a number of milliseconds */}
      <ReturningAiWidget widgetId="w1" timeout="5000" />
      <ReturningAiWidget
        widgetId="w1"
        // @ts-expect-error the success detail has no reason (that is onAuthFailure's)
        onAuthSuccess={(event) => console.log(event.detail.reason)}
      />
      <ReturningAiWidget
        widgetId="w1"
        // @ts-expect-error the failure reason is a known word, not any string
        onAuthFailure={(event) => event.detail.reason === 'expired'}
      />
      <ReturningAiWidget
        widgetId="w1"
        // @ts-expect-error a status is one of the five WidgetStatus words
        onStatusChange={(event) => event.detail.status === 'signed-in'}
      />
      <ReturningAiWidget
        widgetId="w1"
        // @ts-expect-error the status event's detail has no widgetId
        onStatusChange={(event) => event.detail.widgetId}
      />
    </>
  );
}
