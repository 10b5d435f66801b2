// The element in an Angular component: CUSTOM_ELEMENTS_SCHEMA lets the template use the tag, bind its
// `tokenProvider` property, listen to its events and give its slots content. Importing the package defines the tag.
// #region component
import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';
import 'returning-ai-widget';
import type { AuthSuccessDetail, StatusChangeDetail } from 'returning-ai-widget';
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
      (rai-status-change)="onStatusChange($event)"
    >
      <p slot="loading">Loading your rewards…</p>
      <a slot="signed-out" href="/sign-in">Sign in to collect rewards</a>
    </returning-ai-widget>
    <p id="status">{{ status() }}</p>
    <p id="widget-status">{{ widgetStatus() }}</p>
  `,
})
export class AppComponent {
  readonly baseUrl = baseUrl;
  readonly tokenProvider = tokenProvider;
  readonly status = signal('Signing in…');
  readonly widgetStatus = signal('idle');

  onSuccess(event: Event): void {
    this.status.set(`Signed in to widget ${(event as CustomEvent<AuthSuccessDetail>).detail.widgetId}`);
  }

  onStatusChange(event: Event): void {
    const { status, reason } = (event as CustomEvent<StatusChangeDetail>).detail;
    this.widgetStatus.set(reason ? `${status} (${reason})` : status);
  }
}
// #endregion component
