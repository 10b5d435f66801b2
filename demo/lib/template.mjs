// Tiny HTML templating: {{NAME}} is HTML-escaped, {{{NAME}}} is inserted as-is
// (only for markup the server built itself). Unknown names fail loudly.
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

export function render(template, vars) {
  return template.replace(/\{\{(\{?)\s*([A-Z0-9_]+)\s*\}?\}\}/g, (match, raw, name) => {
    if (!(name in vars)) throw new Error(`template variable ${name} is not set`);
    return raw ? String(vars[name]) : escapeHtml(vars[name]);
  });
}
