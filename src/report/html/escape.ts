// Run data inside a <script type="application/json"> element. HTML text and attributes are escaped by
// the template engine (engine.ts); this element's content is not HTML, so it needs its own rule.

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
