/**
 * Comparing two results documents: pure statistics (normal tails, Mann–Whitney U, Holm–Bonferroni, a bootstrap
 * interval of the ratio of medians) and the judgement of accuracy and cost differences, with Markdown, text and
 * github-action-benchmark renderings.
 *
 * @example Usage
 * ```ts
 * import { holmAdjust, mannWhitneyU } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const r = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
 * assert.ok(holmAdjust([r.p])[0]! < 0.01);
 * ```
 *
 * @module
 */
export * from "./normal_tail.ts";
export * from "./mann_whitney.ts";
export * from "./holm.ts";
export * from "./median.ts";
export * from "./bootstrap_ratio.ts";
export * from "./machine_differences.ts";
export * from "./compare_documents.ts";
export * from "./format_report.ts";
export * from "./gab_entries.ts";
