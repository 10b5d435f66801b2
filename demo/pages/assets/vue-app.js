// The element inside a Vue 3 app: attribute bindings, event handlers in the
// template, and a theme toggle that re-themes the widget live.
import { createApp, ref } from '/vendor/vue.js';
import { mountSessionBar } from './session.js';

const root = document.getElementById('app');
const settings = { ...root.dataset }; // widgetId, widgetType, baseUrl from the server

const app = createApp({
  setup() {
    const theme = ref('light');
    const status = ref('—');
    const events = ref([]);

    function record(event) {
      events.value.unshift({
        id: events.value.length,
        type: event.type,
        time: new Date().toLocaleTimeString(),
        detail: JSON.stringify(event.detail),
      });
      status.value = event.target.status ?? '—';
    }

    const toggleTheme = () => (theme.value = theme.value === 'light' ? 'dark' : 'light');
    return { settings, theme, status, events, record, toggleTheme };
  },
  template: `
    <div class="controls">
      <button type="button" id="theme-toggle" @click="toggleTheme">Theme: {{ theme }} (toggle)</button>
    </div>
    <p class="status-line">status after the last event: <b>{{ status }}</b></p>
    <returning-ai-widget
      :widget-id="settings.widgetId"
      :widget-type="settings.widgetType"
      :base-url="settings.baseUrl"
      auth-endpoint="/api/widget-auth"
      :theme="theme"
      label="Rewards store (Vue)"
      @rai-auth-success="record"
      @rai-auth-failure="record"
      @rai-logout="record"
    ></returning-ai-widget>
    <h2>Events seen by Vue handlers</h2>
    <ol class="log" id="log">
      <li v-for="e in events" :key="e.id" :data-event="e.type">
        <time>{{ e.time }}</time><span class="kind">{{ e.type }}</span>{{ e.detail }}
      </li>
    </ol>
  `,
});

// Tell Vue's compiler this is a custom element, not an unknown Vue component.
app.config.compilerOptions.isCustomElement = (tag) => tag === 'returning-ai-widget';
app.mount(root);
mountSessionBar(document.getElementById('session'));
