import type { StoredBenchmark } from "../results/types.ts";

function fmt(x: number | null, digits = 4): string {
  if (x === null) return "-";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3
    ? x.toExponential(digits - 1)
    : x.toPrecision(digits);
}

/**
 * Formats a readable summary table of a run: one row per (cell, metric, reference) with the measured value ±
 * stderr, the reference, z-score, relative error and verdict.
 *
 * @param benchmarks Stored benchmarks of a run.
 * @returns Lines of text (no trailing newline).
 *
 * @example Usage
 * ```ts
 * import { summaryTable } from "./summary_table.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(summaryTable([]), /benchmark/);
 * ```
 */
export function summaryTable(benchmarks: readonly StoredBenchmark[]): string {
  const rows: string[][] = [[
    "benchmark",
    "cell",
    "status",
    "metric",
    "measured",
    "± stderr",
    "reference",
    "predicted",
    "z",
    "rel.err",
    "verdict",
  ]];
  for (const b of benchmarks) {
    for (const c of b.cells) {
      const metricEntries = Object.entries(c.metrics);
      if (c.status !== "ok" || metricEntries.length === 0) {
        rows.push([
          b.id,
          c.key,
          c.status,
          "-",
          "-",
          "-",
          "-",
          "-",
          "-",
          "-",
          c.status === "ok" ? "none" : (c.message ?? "").slice(0, 60),
        ]);
        continue;
      }
      for (const [name, m] of metricEntries) {
        const refs = Object.entries(m.references);
        const base = [
          b.id,
          c.key,
          c.status,
          name,
          `${fmt(m.value)}${m.unit === "1" ? "" : " " + m.unit}`,
          fmt(m.stderr, 2),
        ];
        if (refs.length === 0) rows.push([...base, "-", "-", "-", "-", m.kind]);
        for (const [rn, r] of refs) {
          rows.push([
            ...base,
            rn,
            fmt(r.value),
            r.z === null ? "-" : r.z.toFixed(2),
            r.relError === null ? "-" : fmt(r.relError, 2),
            r.verdict,
          ]);
        }
      }
    }
  }
  const widths = rows[0]!.map((_, j) =>
    Math.max(...rows.map((r) => r[j]!.length))
  );
  return rows.map((r) =>
    r.map((cell, j) => cell.padEnd(widths[j]!)).join("  ").trimEnd()
  ).join("\n");
}
