// For plain `tsc` (the repo's lint): it cannot read .vue files. vue-tsc resolves them itself and ignores this.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
