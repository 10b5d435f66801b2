// Angular, compiled in the browser by Angular's JIT compiler (an AOT build, `ng build`, needs no
// `@angular/compiler` import). CUSTOM_ELEMENTS_SCHEMA lets the template use the element, bind its
// `tokenProvider` property and listen to its events.
import '@angular/compiler';
import { Component, CUSTOM_ELEMENTS_SCHEMA, provideZonelessChangeDetection, signal } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import 'returning-ai-widget';
import type { AuthFailureDetail, AuthSuccessDetail } from 'returning-ai-widget';
import { baseUrl, tokenProvider } from '../token-provider.js';

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
class AppComponent {
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

bootstrapApplication(AppComponent, { providers: [provideZonelessChangeDetection()] }).catch((error) => console.error(error));
