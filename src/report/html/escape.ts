// The two ways text enters the report page: as HTML text/attribute values, and as JSON inside a
// <script> element. Names come from test authors and builds, so both must survive hostile input.

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Safe in element text and in quoted attribute values. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/** JSON that can sit inside <script type="application/json">: no `</script>`, no `<!--`, and no
 * U+2028/U+2029 (line terminators in older JavaScript). JSON.parse reads it back unchanged. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
