// The backend entry in a strict app: onError reads the error's code.
import { WidgetAuthError, createWidgetAuthHandler } from 'returning-ai-widget/server';

export const widgetAuth = createWidgetAuthHandler({
  apiKey: 'set-from-the-environment',
  communityId: 'community',
  getUserEmail: async () => 'ada@example.com',
  // `instanceof` until onError's `error` is typed WidgetAuthError (the server branch); then it is a no-op.
  onError: (error) => {
    if (error instanceof WidgetAuthError) console.error('widget auth failed', error.code, error.upstreamStatus);
  },
});

export const forget = (email: string): Promise<void> => widgetAuth.forgetToken(email);
