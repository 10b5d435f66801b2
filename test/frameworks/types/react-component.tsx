// Type-checked by `tsc -p test/frameworks` (never run): what the React component of returning-ai-widget/react
// allows and rejects.
import { useRef } from 'react';
import type { TokenProvider } from 'returning-ai-widget';
import { ReturningAiWidget, ReturningAiWidgetElement } from 'returning-ai-widget/react';

declare const provider: TokenProvider;

export function Allowed() {
  const ref = useRef<ReturningAiWidgetElement>(null);
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
        onClick={(event) => console.log(event.currentTarget.status)}
      />
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
      {/* @ts-expect-error the element renders nothing of its children */}
      <ReturningAiWidget widgetId="w1">text</ReturningAiWidget>
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
    </>
  );
}
