/**
 * @module
 * HTML escaping for values placed into message templates (e-mail bodies, Telegram's HTML parse mode).
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes `&`, `<`, `>`, `"` and `'` so `value` is inert text in HTML element content and in quoted
 * attribute values. Every value a template interpolates goes through it, issuer and account included:
 * a tenant-chosen issuer name is input, not markup.
 *
 * @example
 * ```ts
 * import { escapeHtml } from '@secondfactor/channels';
 *
 * escapeHtml('<b>Acme</b> & "Co"'); // '&lt;b&gt;Acme&lt;/b&gt; &amp; &quot;Co&quot;'
 * ```
 */
export function escapeHtml(value: string): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
