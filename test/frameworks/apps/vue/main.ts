// Vue 3: importing the package defines <returning-ai-widget> before the app mounts, so Vue sets
// `tokenProvider` as a property. The build tells Vue's compiler the tag is a custom element (isCustomElement).
// #region main
import { createApp } from 'vue';
import 'returning-ai-widget';
import App from './App.vue';

createApp(App).mount('#app');
// #endregion main
