// Runs first in every bench page (a classic script, before the element's module or the vendor's snippet).
// It seeds the stored token, optionally counts live timers and fetches, collects the bench widget's reports,
// and drives the in-page loops of the bench. Its own waits use the unwrapped timer functions.
(() => {
  const cfg = window.__cfg || {};
  const key = cfg.storageKey || 'returning-ai-widget-token';
  // Both keep the raw token under the key; the element binds it to the endpoint that issued it, beside it.
  if (cfg.seed) localStorage.setItem(key, cfg.seed);
  else localStorage.removeItem(key);
  if (cfg.seed && cfg.impl !== 'vendor') localStorage.setItem(`${key}.source`, `${cfg.seed.slice(-16)} ${new URL(cfg.auth, location.href).href}`);
  else localStorage.removeItem(`${key}.source`);

  const realSetTimeout = window.setTimeout.bind(window);
  const realClearTimeout = window.clearTimeout.bind(window);
  const sleep = (ms) => new Promise((resolve) => realSetTimeout(resolve, ms));

  // Live timers and fetches, counted only in pages that ask for it (the steady-state figure). Each live timeout
  // keeps its delay: with the bench's 1 h tokens, only refresh-ahead timers are set LONG_TIMEOUT_MS or more ahead.
  const LONG_TIMEOUT_MS = 10 * 60 * 1000;
  const live = { timeouts: new Map(), intervals: new Set(), fetches: 0, fetchesStarted: 0 };
  if (cfg.instrument) {
    const { setInterval: realSetInterval, clearInterval: realClearInterval, fetch: realFetch } = window;
    window.setTimeout = function setTimeout(handler, ms, ...args) {
      const id = realSetTimeout(
        (...a) => {
          live.timeouts.delete(id);
          return typeof handler === 'function' ? handler(...a) : (0, eval)(String(handler));
        },
        ms,
        ...args,
      );
      live.timeouts.set(id, Number(ms) || 0);
      return id;
    };
    window.clearTimeout = function clearTimeout(id) {
      live.timeouts.delete(id);
      return realClearTimeout(id);
    };
    window.setInterval = function setInterval(...args) {
      const id = realSetInterval.apply(window, args);
      live.intervals.add(id);
      return id;
    };
    window.clearInterval = function clearInterval(id) {
      live.intervals.delete(id);
      return realClearInterval.call(window, id);
    };
    window.fetch = function fetch(...args) {
      live.fetches++;
      live.fetchesStarted++;
      const settle = () => live.fetches--;
      const promise = realFetch.apply(window, args);
      promise.then(settle, settle);
      return promise;
    };
  }

  // The bench widget's reports: { bench: true, widgetId, event: 'loaded' | 'reply', … }. The steady-state page only
  // counts them, so that the harness itself holds no memory that grows with the cycles.
  const reports = [];
  let reportCount = 0;
  let wake = () => {};
  addEventListener('message', (event) => {
    if (event.data && event.data.bench === true) {
      reportCount++;
      if (!cfg.instrument) reports.push({ ...event.data, hostNow: performance.now() });
      wake();
    }
  });

  /** Resolves with pred()'s first truthy value, checked at every report and every 50 ms; rejects after timeout. */
  async function waitFor(pred, timeout = 10000, what = 'a condition') {
    const deadline = performance.now() + timeout;
    for (;;) {
      const value = pred();
      if (value) return value;
      if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => {
        wake = resolve;
        realSetTimeout(resolve, 50);
      });
    }
  }

  // When the element was defined and when the widgets asked, page clock: a widget that asked before the element's
  // module ran was heard by no one (the cold-start figure counts them; the element pushes them a token).
  const marks = { defined: NaN, requests: [] };
  if (!cfg.instrument) {
    addEventListener('message', (event) => {
      if (event.data && event.data.type === 'RETURNINGAI_WIDGET_REQUEST_TOKEN') marks.requests.push(performance.now());
    });
    customElements.whenDefined('returning-ai-widget').then(() => (marks.defined = performance.now()));
  }

  const replies = (from = 0) => reports.slice(from).filter((r) => r.event === 'reply');

  /** Replies beyond the first to one request, from the widgets' 'extra' reports (the last one per widget request). */
  function extraReplies() {
    const last = new Map();
    for (const r of reports) if (r.event === 'extra') last.set(`${r.widgetId}\n${r.seq}`, r);
    const statuses = {};
    const validWidgets = [];
    let extra = 0;
    let maxReplies = replies().length ? 1 : 0;
    for (const r of last.values()) {
      extra += r.replies - 1;
      maxReplies = Math.max(maxReplies, r.replies);
      if (r.statuses.valid) validWidgets.push(r.widgetId);
      for (const [status, count] of Object.entries(r.statuses)) statuses[status] = (statuses[status] || 0) + count;
    }
    return { extra, maxReplies, statuses, validWidgets };
  }

  /** Reloads widget `i`: the element's reload(), or for the vendor's page the iframe's src set again. */
  function reloadWidget(i = 0) {
    const el = document.querySelectorAll('returning-ai-widget')[i];
    if (el) return el.reload();
    const frame = document.querySelectorAll('iframe')[i];
    frame.setAttribute('src', frame.getAttribute('src'));
  }

  /** Figure 2: `n` reloads of widget 0 after `warmup` more; each load's first reply, timed by the widget. */
  async function latencyTrials(n, warmup) {
    await waitFor(() => replies().length, 10000, 'the first reply');
    const samples = [];
    for (let i = 0; i < n + warmup; i++) {
      const from = reports.length;
      reloadWidget(0);
      const reply = await waitFor(() => replies(from)[0], 5000, `reply ${i}`);
      if (i >= warmup) samples.push(reply);
    }
    return samples;
  }

  /**
   * Figure 6: mounts and unmounts `total` elements, `batch` at a time. `until`: 'delivered' (removed once its widget
   * holds a token, so its refresh timer is armed), 'rendered' (removed once its iframe exists and its session has
   * started; mounted lazy in a hidden box, so the iframe does not load), or a number of ms (removed while its token
   * request is still in flight).
   */
  // Collected elements are counted by a FinalizationRegistry (no WeakRef kept per element).
  let mounted = 0;
  let collected = 0;
  const registry = new FinalizationRegistry(() => collected++);
  let serial = 0;
  async function mountCycles({ total, batch, until, attrs, keep = false }) {
    const mount = document.getElementById('mount');
    const parked = document.getElementById('parked');
    let timeouts = 0;
    for (let done = 0; done < total; done += batch) {
      const els = [];
      for (let j = 0; j < Math.min(batch, total - done); j++) {
        const el = document.createElement('returning-ai-widget');
        for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
        el.setAttribute('widget-id', `cycle-${++serial}`);
        els.push(el);
        registry.register(el, undefined);
        mounted++;
      }
      let ready;
      if (until === 'delivered') {
        ready = Promise.all(els.map((el) => new Promise((resolve) => el.addEventListener('rai-auth-success', resolve, { once: true }))));
      }
      if (until === 'rendered') {
        // Lazy iframes in a hidden box never start loading: the element's whole life without the navigation's cost.
        for (const el of els) el.setAttribute('loading', 'lazy');
        parked.append(...els);
        ready = Promise.all(els.map((el) => el.updateComplete));
      } else {
        mount.append(...els);
      }
      if (typeof until === 'number') ready = sleep(until);
      const ok = await Promise.race([ready.then(() => true), sleep(5000).then(() => false)]);
      if (!ok) timeouts++;
      if (!keep) for (const el of els) el.remove();
    }
    return { timeouts, mounted };
  }

  /** Removes every element still mounted (after a `keep` round). */
  function unmountAll() {
    for (const el of document.querySelectorAll('returning-ai-widget')) el.remove();
  }

  function snapshot() {
    return {
      timeouts: live.timeouts.size,
      longTimeouts: [...live.timeouts.values()].filter((ms) => ms >= LONG_TIMEOUT_MS).length,
      intervals: live.intervals.size,
      fetchesInFlight: live.fetches,
      fetchesStarted: live.fetchesStarted,
      elementsAlive: mounted - collected,
      elementsMounted: mounted,
      reports: reportCount,
      elementsInDom: document.querySelectorAll('returning-ai-widget').length,
    };
  }

  window.__bench = { cfg, marks, reports, replies, extraReplies, waitFor, sleep, latencyTrials, mountCycles, unmountAll, snapshot };
})();
