// The "slow endpoint" / "failing endpoint" toggles. The host app keeps them per session (GET and POST
// /api/demo-faults); the checkboxes only show and change what the server holds, so a reload keeps them.
import { SESSION_CHANGED } from './session.js';

/**
 * fieldset: holds checkboxes named after the faults ("slow", "failing"); slowSeconds: where to show the delay;
 * onChange(name, on) hears each confirmed change, onError(error) each refused one. The fieldset's data-slow /
 * data-failing say what the server holds ("true" / "false").
 */
export function mountFaultToggles(fieldset, { slowSeconds, onChange = () => {}, onError = () => {} }) {
  const boxes = [...fieldset.querySelectorAll('input[type=checkbox]')];

  function show(state) {
    // Signed out there is no session to keep them in (and the endpoint answers 401 anyway).
    fieldset.disabled = !state.signedIn;
    for (const box of boxes) {
      box.checked = state[box.name] === true;
      fieldset.dataset[box.name] = String(box.checked);
    }
    if (slowSeconds) slowSeconds.textContent = String(state.slowMs / 1000);
  }

  async function load() {
    const res = await fetch('/api/demo-faults');
    show(await res.json());
  }

  for (const box of boxes) {
    box.addEventListener('change', async () => {
      box.disabled = true;
      try {
        const res = await fetch('/api/demo-faults', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ [box.name]: box.checked }),
        });
        const state = await res.json();
        if (!res.ok) throw new Error(state.error ?? `HTTP ${res.status}`);
        show(state);
        onChange(box.name, state[box.name]);
      } catch (error) {
        onError(error);
        await load().catch(() => {}); // back to what the server holds
      } finally {
        box.disabled = false;
      }
    });
  }
  window.addEventListener(SESSION_CHANGED, () => void load());
  return load();
}
