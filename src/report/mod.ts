/**
 * Chart pages for results files: a pure page model (runs, one page per benchmark with verdict tables and
 * plots, history across runs, cross-machine digest and cost comparison) and its HTML rendering. No file
 * access: the `report` command reads results and chart.js and writes the files.
 *
 * @example Usage
 * ```ts
 * import { buildSite, renderSite } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => buildSite([]), RangeError);
 * const files = renderSite({ runs: [], benchmarks: [], commits: [] }, { chartJs: "", chartJsVersion: "4.6.1" });
 * assert.equal(files[0]!.path, "index.html");
 * ```
 *
 * @module
 */
export * from "./build_site.ts";
export * from "./render_site.ts";
export * from "./charts.ts";
export * from "./cross_machine.ts";
export * from "./describe_runs.ts";
export * from "./escape.ts";
export * from "./history.ts";
export * from "./html.ts";
export type * from "./types.ts";
