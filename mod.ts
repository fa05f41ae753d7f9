/**
 * sgd-limits: a reproducible benchmark suite for the limiting dynamics of SGD (Kunin et al., Neural
 * Computation 2024). This entry point exports the pure library: seeded randomness, the benchmark registry types
 * and runner, and the results schema and validators. It has no side effects and does not load tfjs.
 *
 * @example Usage
 * ```ts
 * import { deriveSeed, Rng } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const rng = Rng.fromSeed(deriveSeed(1n, ["example"]));
 * assert.ok(rng.float() < 1);
 * ```
 *
 * @module
 */
export * from "./src/random/mod.ts";
export * from "./src/bench/types.ts";
export { benchmarkCells, cellKey, expandGrid } from "./src/bench/cells.ts";
export type { Cell } from "./src/bench/cells.ts";
export { runSuite } from "./src/bench/run_suite.ts";
export type {
  Progress,
  SuiteOptions,
  SuiteResult,
} from "./src/bench/run_suite.ts";
export { judgeMetric, judgeReference } from "./src/bench/verdict.ts";
export type { JudgedReference, Verdict } from "./src/bench/verdict.ts";
export * from "./src/results/types.ts";
export { canonicalJson } from "./src/results/canonical_json.ts";
export { cellDigest } from "./src/results/digest.ts";
export {
  parseResults,
  RESULTS_SCHEMA,
  ResultsError,
  validateResults,
} from "./src/results/validate.ts";
export * from "./src/linalg/mod.ts";
export * from "./src/theory/mod.ts";
export * from "./src/stats/mod.ts";
export * from "./src/sim/mod.ts";
export * from "./src/analysis/mod.ts";
