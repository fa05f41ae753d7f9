/**
 * A tiny HTML template helper that escapes by default: every interpolated string goes through
 * {@linkcode escapeHtml}; only {@linkcode SafeHtml} values (built by {@linkcode markup} itself or, for trusted
 * script and JSON text, by {@linkcode trustedHtml}) are inserted as they are.
 *
 * @module
 */
import { escapeHtml } from "./escape.ts";

/**
 * HTML text that is safe to insert as is.
 *
 * @example Usage
 * ```ts
 * import { SafeHtml } from "./html.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(String(new SafeHtml("<b>x</b>")), "<b>x</b>");
 * ```
 */
export class SafeHtml {
  readonly #text: string;
  /**
   * @param text Trusted HTML.
   */
  constructor(text: string) {
    this.#text = text;
  }
  /** @returns The HTML text. */
  toString(): string {
    return this.#text;
  }
}

function part(value: unknown): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(part).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}

/**
 * Tagged template that builds HTML, escaping every interpolated value except {@linkcode SafeHtml} (arrays are
 * joined; `null`, `undefined` and `false` give nothing).
 *
 * @param strings The literal parts (trusted: written in this code base).
 * @param values Interpolated values (untrusted unless SafeHtml).
 * @returns The HTML.
 *
 * @example Usage
 * ```ts
 * import { markup } from "./html.ts";
 * import assert from "node:assert/strict";
 *
 * const label = "<script>alert(1)</script>";
 * const row = markup`<td title="${label}">${label}</td>`;
 * assert.equal(String(row),
 *   '<td title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</td>');
 * assert.equal(String(markup`<ul>${["a", "b"].map((x) => markup`<li>${x}</li>`)}</ul>`), "<ul><li>a</li><li>b</li></ul>");
 * ```
 */
export function markup(
  strings: TemplateStringsArray,
  ...values: unknown[]
): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) {
    out += part(values[i]) + strings[i + 1]!;
  }
  return new SafeHtml(out);
}

/**
 * Marks text as trusted HTML. Only for text this code base produced and escaped for its context (inlined
 * scripts via `inlineScript`, JSON via `jsonForScript`), never for strings from a results file.
 *
 * @param text Trusted HTML.
 * @returns The same text as {@linkcode SafeHtml}.
 *
 * @example Usage
 * ```ts
 * import { markup, trustedHtml } from "./html.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(String(markup`<p>${trustedHtml("<b>x</b>")}</p>`), "<p><b>x</b></p>");
 * ```
 */
export function trustedHtml(text: string): SafeHtml {
  return new SafeHtml(text);
}

/**
 * Formats a number for tables: four significant digits, exponent form outside [1e-3, 1e6), "—" for null.
 *
 * @param value The number.
 * @returns The text.
 *
 * @example Usage
 * ```ts
 * import { formatNumber } from "./html.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatNumber(0.0138668), "0.01387");
 * assert.equal(formatNumber(2.3e-5), "2.30e-5");
 * assert.equal(formatNumber(64), "64");
 * assert.equal(formatNumber(null), "—");
 * ```
 */
export function formatNumber(value: number | null): string {
  if (value === null) return "—";
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const a = Math.abs(value);
  if (a >= 1e-3 && a < 1e6) return String(Number(value.toPrecision(4)));
  return value.toExponential(2).replace("e+", "e");
}
