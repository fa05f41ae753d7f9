/** A number with its uncertainty, formatted for LaTeX and for text. */
export interface FormattedNumber {
  /** LaTeX math (no delimiters), e.g. `1.3867(23)\times10^{-2}`. */
  readonly latex: string;
  /** Plain text, e.g. `(1.3867 ± 0.0023)e-2` or `0.6723 ± 0.0027`. */
  readonly text: string;
}

function exponentOf(x: number): number {
  return Math.floor(Math.log10(Math.abs(x)));
}

/**
 * Formats a value with its standard error in concise notation: the uncertainty to two significant digits,
 * the value rounded to the same decimal place, e.g. 0.013866878 ± 0.000023 → `1.3867(23)\times10^{-2}`.
 * Values with a decimal exponent outside [−1, 3] use scientific notation. Without an uncertainty (null or 0)
 * the value gets `digits` significant digits.
 *
 * @param value The value (finite).
 * @param stderr Its standard error (≥ 0), or null.
 * @param digits Significant digits without an uncertainty (1..17).
 * @returns LaTeX and text forms.
 * @throws {RangeError} If `value` is not finite or `stderr` is negative or not finite.
 *
 * @example Usage
 * ```ts
 * import { formatUncertainty } from "./format_uncertainty.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatUncertainty(0.013866878, 0.000023).latex, "1.3867(23)\\times10^{-2}");
 * assert.equal(formatUncertainty(0.6723, 0.0027).text, "0.6723 ± 0.0027");
 * assert.equal(formatUncertainty(1.517, null).latex, "1.517");
 * ```
 */
export function formatUncertainty(
  value: number,
  stderr: number | null,
  digits = 4,
): FormattedNumber {
  if (!Number.isFinite(value)) {
    throw new RangeError(
      `Cannot format a number as it is not finite: ${value}`,
    );
  }
  if (stderr !== null && !(stderr >= 0 && Number.isFinite(stderr))) {
    throw new RangeError(
      `Cannot format an uncertainty as it is not a finite number >= 0: ${stderr}`,
    );
  }
  if (stderr === null || stderr === 0) {
    if (value === 0) return { latex: "0", text: "0" };
    const e = exponentOf(Number(value.toPrecision(digits)));
    if (e >= -1 && e <= 3) {
      const s = String(Number(value.toPrecision(digits)));
      return { latex: s, text: s };
    }
    const m = (value / 10 ** e).toFixed(digits - 1);
    return { latex: `${m}\\times10^{${e}}`, text: `${m}e${e}` };
  }
  // decimal place d of the uncertainty's second significant digit
  let d = exponentOf(stderr) - 1;
  let u = Math.round(stderr / 10 ** d);
  if (u >= 100) {
    d += 1;
    u = Math.round(stderr / 10 ** d);
  }
  let e = value === 0 ? d + 1 : exponentOf(value);
  if (e >= -1 && e <= 3) {
    const decimals = Math.max(0, -d);
    const v = d >= 0 ? Math.round(value / 10 ** d) * 10 ** d : value;
    const vs = v.toFixed(decimals);
    const us = d >= 0 ? String(u * 10 ** d) : String(u);
    const se = d >= 0 ? String(u * 10 ** d) : (u * 10 ** d).toFixed(decimals);
    return { latex: `${vs}(${us})`, text: `${vs} ± ${se}` };
  }
  e = Math.max(e, d);
  const decimals = e - d;
  const m = (value / 10 ** e).toFixed(decimals);
  const seM = (u * 10 ** (d - e)).toFixed(decimals);
  return {
    latex: `${m}(${u})\\times10^{${e}}`,
    text: `(${m} ± ${seM})e${e}`,
  };
}
