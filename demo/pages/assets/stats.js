// Shows how many times the host app's /api/widget-auth was called, so one can
// see that widgets on a page share a token request instead of each fetching.
export function showStats(target, intervalMs = 1000) {
  async function update() {
    try {
      const res = await fetch('/api/stats');
      const { widgetAuthRequests: counts } = await res.json();
      target.dataset.session = String(counts.session);
      target.dataset.total = String(counts.total);
      target.textContent =
        `Auth requests served by the host app: ${counts.session} for this session (${counts.total} in total).`;
    } catch {
      // The demo server stopped; keep the last numbers on screen.
    }
  }
  update();
  setInterval(update, intervalMs);
}
