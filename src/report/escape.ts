/**
 * Escaping for the chart pages: text and attribute values in HTML, JSON embedded in a
 * `<script type="application/json">` element, and JavaScript inlined in a `<script>` element. Every string that
 * comes from a results file goes through one of these before it reaches a page.
 *
 * @module
 */

const HTML_SPECIAL_REGEXP = /[&<>"']/g;
const HTML_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for HTML element content and for quoted attribute values (`&`, `<`, `>`, `"` and `'`).
 *
 * @param text Any text, e.g. a label from a results file.
 * @returns The text with the five special characters replaced by entities.
 *
 * @example Usage
 * ```ts
 * import { escapeHtml } from "./escape.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(escapeHtml(`<img src=x onerror="alert('1')">&`),
 *   "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(HTML_SPECIAL_REGEXP, (c) => HTML_ENTITIES[c]!);
}

const JSON_UNSAFE_REGEXP = /[<>&\u2028\u2029]/g;

/**
 * Serialises a value as JSON that is safe inside `<script type="application/json">…</script>`: `<`, `>`, `&`,
 * U+2028 and U+2029 are written as `\uXXXX` escapes (they can only occur inside JSON strings, so the text still
 * parses to the same value), so no `</script>` or `<!--` can end or alter the element.
 *
 * @param value A JSON-serialisable value (non-finite numbers become `null`, as in `JSON.stringify`).
 * @returns JSON text without raw `<`, `>`, `&`, U+2028 or U+2029.
 * @throws {TypeError} If the value cannot be serialised (a cycle or a bigint).
 *
 * @example Usage
 * ```ts
 * import { jsonForScript } from "./escape.ts";
 * import assert from "node:assert/strict";
 *
 * const text = jsonForScript({ label: "</script><script>alert(1)</script>" });
 * assert.ok(!text.includes("<"));
 * assert.deepEqual(JSON.parse(text), { label: "</script><script>alert(1)</script>" });
 * ```
 */
export function jsonForScript(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) {
    throw new TypeError(
      "Cannot embed value as JSON as it has no JSON form: undefined or a function",
    );
  }
  return text.replace(
    JSON_UNSAFE_REGEXP,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

const SCRIPT_END_REGEXP = /<\/(script)/gi;
const COMMENT_OPEN_REGEXP = /<!--/;

/**
 * Prepares trusted JavaScript (a vendored library or the page's own code) for inlining in a `<script>`
 * element: every `</script` (any case) becomes `<\/script`, which means the same inside JavaScript strings,
 * template literals, comments and regular expressions but no longer ends the element.
 *
 * @param source JavaScript source text.
 * @returns The source, safe to place between `<script>` and `</script>`.
 * @throws {SyntaxError} If the source contains `<!--`, which would switch the HTML parser into the
 *   script-data-escaped state; no rewrite of it is safe in every JavaScript context.
 *
 * @example Usage
 * ```ts
 * import { inlineScript } from "./escape.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(inlineScript('const s = "</SCRIPT>";'), 'const s = "<\\/SCRIPT>";');
 * assert.throws(() => inlineScript("const s = '<!--';"), SyntaxError);
 * ```
 */
export function inlineScript(source: string): string {
  if (COMMENT_OPEN_REGEXP.test(source)) {
    throw new SyntaxError(
      'Cannot inline script as it contains "<!--": the HTML parser would treat it as an escaped comment',
    );
  }
  return source.replace(SCRIPT_END_REGEXP, "<\\/$1");
}
