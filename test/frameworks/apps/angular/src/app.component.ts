// The element in an Angular component: CUSTOM_ELEMENTS_SCHEMA lets the template use the tag, bind its
// `tokenProvider` property and listen to its events. Importing the package defines the tag.
// #region component
import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';
import 'returning-ai-widget';
import type { AuthFailureDetail, AuthSuccessDetail } from 'returning-ai-widget';
import { baseUrl, tokenProvider } from '../../token-provider.js';

@Component({
  selector: 'app-root',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <returning-ai-widget
      widget-id="w1"
      [baseUrl]="baseUrl"
      storage="memory"
      [tokenProvider]="tokenProvider"
      (rai-auth-success)="onSuccess($event)"
      (rai-auth-failure)="onFailure($event)"
    ></returning-ai-widget>
    <p id="status">{{ status() }}</p>
  `,
})
export class AppComponent {
  readonly baseUrl = baseUrl;
  readonly tokenProvider = tokenProvider;
  readonly status = signal('Signing in…');

  onSuccess(event: Event): void {
    this.status.set(`Signed in to widget ${(event as CustomEvent<AuthSuccessDetail>).detail.widgetId}`);
  }

  onFailure(event: Event): void {
    this.status.set(`Sign-in failed: ${(event as CustomEvent<AuthFailureDetail>).detail.reason}`);
  }
}
// #endregion component
