/**
 * Citation bundles: a content-hashed selection of cells from a results file, rendered as bundle.json,
 * CITATION.cff, LaTeX macros, a Markdown table and a README with the re-verify command; checking a bundle for
 * edits; and judging a re-run of its cells.
 *
 * @example Usage
 * ```ts
 * import { formatUncertainty, macroName, spellValue } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(macroName(["speed", "eta", spellValue(0.05)]), "sgdlSpeedEtaZeroPointZeroFive");
 * assert.equal(formatUncertainty(0.013866878, 0.000023).latex, "1.3867(23)\\times10^{-2}");
 * ```
 *
 * @module
 */
export * from "./bundle.ts";
export * from "./format_uncertainty.ts";
export * from "./macro_name.ts";
export * from "./render_bundle.ts";
export * from "./check_bundle.ts";
export * from "./judge_reproduction.ts";
