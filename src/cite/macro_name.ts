import type { ParamValue } from "../bench/types.ts";

const DIGITS = [
  "Zero",
  "One",
  "Two",
  "Three",
  "Four",
  "Five",
  "Six",
  "Seven",
  "Eight",
  "Nine",
];

const SYMBOLS: Readonly<Record<string, string>> = {
  ".": "Point",
  "-": "Minus",
  "+": "Plus",
  "e": "E",
};

/**
 * Turns an identifier (snake_case or camelCase, digits allowed) into letters only: each `_`-separated word
 * capitalised, digits spelled out (`c12_msd` → `COneTwoMsd`, `batchSize` → `BatchSize`); other characters
 * are dropped.
 *
 * @param id An identifier.
 * @returns Letters only, starting with a capital (empty for an empty id).
 *
 * @example Usage
 * ```ts
 * import { camelWord } from "./macro_name.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(camelWord("sgd_quadratic_speed"), "SgdQuadraticSpeed");
 * assert.equal(camelWord("c12_msd"), "COneTwoMsd");
 * ```
 */
export function camelWord(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter((w) => w !== "").map((w) => {
    let out = "";
    for (const ch of w) out += /[0-9]/.test(ch) ? DIGITS[Number(ch)] : ch;
    return out[0]!.toUpperCase() + out.slice(1);
  }).join("");
}

/**
 * Spells a parameter value with letters only: numbers character by character (`0.05` → `ZeroPointZeroFive`,
 * `-1e-7` → `MinusOneEMinusSeven`), booleans as `True`/`False`, strings as {@linkcode camelWord}.
 *
 * @param v The value.
 * @returns Letters only.
 *
 * @example Usage
 * ```ts
 * import { spellValue } from "./macro_name.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(spellValue(0.05), "ZeroPointZeroFive");
 * assert.equal(spellValue(true), "True");
 * ```
 */
export function spellValue(v: ParamValue): string {
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "string") return camelWord(v) || "Empty";
  let out = "";
  for (const ch of String(v)) {
    out += /[0-9]/.test(ch) ? DIGITS[Number(ch)] : SYMBOLS[ch] ?? "";
  }
  return out;
}

/**
 * Builds a LaTeX macro name (without the backslash) from parts: `sgdl` followed by each part as
 * {@linkcode camelWord}. Letters only, so it is a valid control word.
 *
 * @param parts Words (identifiers or already spelled values).
 * @returns The macro name, e.g. `sgdlSgdQuadraticSpeedEtaZeroPointZeroFiveSpeed`.
 *
 * @example Usage
 * ```ts
 * import { macroName, spellValue } from "./macro_name.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(macroName(["speed", "eta", spellValue(0.05)]), "sgdlSpeedEtaZeroPointZeroFive");
 * ```
 */
export function macroName(parts: readonly string[]): string {
  return "sgdl" + parts.map(camelWord).join("");
}
