import { machineDifferences } from "../compare/machine_differences.ts";
import type { ResultsDocument, StoredCell } from "../results/types.ts";
import type { Bundle } from "./bundle.ts";

/** How one cited number fared when re-run. */
export type ReproductionStatus =
  | "reproduced"
  | "within-tolerance"
  | "not-reproduced"
  | "cost";

/** One line of a verification. */
export interface ReproductionRow {
  readonly benchmarkId: string;
  readonly key: string;
  /** Metric name, or null for a whole-cell line. */
  readonly metric: string | null;
  readonly kind: "cell" | "accuracy" | "cost";
  readonly status: ReproductionStatus;
  readonly cited: number | null;
  readonly rerun: number | null;
  /** rerun / cited. */
  readonly ratio: number | null;
  readonly detail: string;
}

/** What {@linkcode judgeReproduction} returns. */
export interface ReproductionReport {
  readonly rows: readonly ReproductionRow[];
  /** True when every cited accuracy number was reproduced or is within tolerance. */
  readonly reproduced: boolean;
  /** Machine fields in which the re-run differs from the cited run. */
  readonly machineDifferences: readonly string[];
}

/** Options of {@linkcode judgeReproduction}. */
export interface ReproductionOptions {
  /**
   * Tolerance in combined standard errors: |Δ| ≤ k·√(se₁² + se₂²).
   * @default {4}
   */
  readonly k?: number;
  /**
   * Relative tolerance for numbers without a standard error.
   * @default {1e-9}
   */
  readonly rtol?: number;
  /** Why a cited cell could not be re-run, by `benchmarkId/key` (e.g. its benchmark's version changed). */
  readonly unavailable?: ReadonlyMap<string, string>;
}

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}

/**
 * Judges a re-run of a bundle's cited cells. Per cell: equal digest → every accuracy number `reproduced`
 * (bit-identical); otherwise per accuracy metric, `within-tolerance` when |Δ| ≤ k·√(se_cited² + se_rerun²)
 * (or |Δ| ≤ rtol·max(|a|, |b|) without standard errors) and no prediction changed and no verdict turned to
 * `fail`, else `not-reproduced`. A missing or differently-ended cell (status) is `not-reproduced`. Cost
 * metrics are reported as `cost` lines with the ratio of medians and whether the machines are comparable.
 *
 * @param bundle The bundle.
 * @param rerun The re-run document (its cells are looked up by benchmark id and key).
 * @param options Tolerances and reasons for cells that could not be re-run.
 * @returns Rows and the overall answer.
 *
 * @example Usage
 * ```ts
 * import { judgeReproduction } from "./judge_reproduction.ts";
 * import assert from "node:assert/strict";
 *
 * const env = { backend: "wasm", simd: true, cpuModel: "A", logicalCores: 2, os: "linux", arch: "x86_64" };
 * const r = judgeReproduction({ cited: [], environment: env } as never, { benchmarks: [], environment: env } as never);
 * assert.equal(r.reproduced, true);
 * ```
 */
export function judgeReproduction(
  bundle: Bundle,
  rerun: Pick<ResultsDocument, "benchmarks" | "environment">,
  options: ReproductionOptions = {},
): ReproductionReport {
  const k = options.k ?? 4;
  const rtol = options.rtol ?? 1e-9;
  const machine = machineDifferences(bundle.environment, rerun.environment);
  const cells = new Map<string, StoredCell>();
  for (const b of rerun.benchmarks) {
    for (const c of b.cells) cells.set(`${b.id}/${c.key}`, c);
  }
  const rows: ReproductionRow[] = [];
  for (const { benchmark, cell: cited } of bundle.cited) {
    const id = benchmark.id;
    const where = `${id}/${cited.key}`;
    const row = (r: Omit<ReproductionRow, "benchmarkId" | "key">) =>
      rows.push({ benchmarkId: id, key: cited.key, ...r });
    const fresh = cells.get(where);
    if (fresh === undefined || fresh.status !== cited.status) {
      row({
        metric: null,
        kind: "cell",
        status: "not-reproduced",
        cited: null,
        rerun: null,
        ratio: null,
        detail: fresh === undefined
          ? options.unavailable?.get(where) ?? "the cell was not re-run"
          : `status ${cited.status} → ${fresh.status}${
            fresh.message ? `: ${fresh.message}` : ""
          }`,
      });
      continue;
    }
    const identical = fresh.digest === cited.digest;
    for (const [name, m] of Object.entries(cited.metrics)) {
      const f = fresh.metrics[name];
      const ratio = f?.value != null && m.value !== null && m.value !== 0
        ? f.value / m.value
        : null;
      if (m.kind === "cost") {
        row({
          metric: name,
          kind: "cost",
          status: "cost",
          cited: m.value,
          rerun: f?.value ?? null,
          ratio,
          detail: machine.length === 0
            ? `same machine class: ×${
              ratio === null ? "-" : ratio.toFixed(3)
            } (${f?.samples?.length ?? 0} vs ${m.samples?.length ?? 0} repeats)`
            : `different machine (${machine.join(", ")}): ×${
              ratio === null ? "-" : ratio.toFixed(3)
            }, not comparable`,
        });
        continue;
      }
      if (identical) {
        row({
          metric: name,
          kind: "accuracy",
          status: "reproduced",
          cited: m.value,
          rerun: f?.value ?? null,
          ratio,
          detail: "bit-identical (same digest)",
        });
        continue;
      }
      const problems: string[] = [];
      let tol = "";
      if (f === undefined) problems.push("metric missing in the re-run");
      else {
        for (const [rn, r] of Object.entries(m.references)) {
          const fr = f.references[rn];
          if (fr === undefined) problems.push(`prediction "${rn}" missing`);
          else if (fr.value !== r.value) {
            problems.push(
              `prediction "${rn}" changed ${fmt(r.value)} → ${fmt(fr.value)}`,
            );
          } else if (fr.verdict === "fail" && r.verdict !== "fail") {
            problems.push(`verdict against "${rn}" ${r.verdict} → fail`);
          }
        }
        if (m.value === null || f.value === null) {
          if (m.value !== f.value) {
            problems.push("value finite in one run only");
          }
        } else {
          const d = Math.abs(f.value - m.value);
          if (m.stderr !== null && f.stderr !== null) {
            const bound = k * Math.hypot(m.stderr, f.stderr);
            tol = `|Δ| = ${fmt(d)} ≤ ${k}·√(se²+se²) = ${fmt(bound)}`;
            if (!(d <= bound)) {
              problems.push(
                `|Δ| = ${fmt(d)} > ${k}·√(se²+se²) = ${fmt(bound)}`,
              );
            }
          } else {
            const bound = rtol * Math.max(Math.abs(m.value), Math.abs(f.value));
            tol = `|Δ| = ${fmt(d)} ≤ rtol·|x| = ${fmt(bound)}`;
            if (!(d <= bound)) {
              problems.push(`|Δ| = ${fmt(d)} > rtol·|x| = ${fmt(bound)}`);
            }
          }
        }
      }
      row({
        metric: name,
        kind: "accuracy",
        status: problems.length ? "not-reproduced" : "within-tolerance",
        cited: m.value,
        rerun: f?.value ?? null,
        ratio,
        detail: problems.length
          ? problems.join("; ")
          : `${tol} (digest differs)`,
      });
    }
  }
  return {
    rows,
    reproduced: rows.every((r) =>
      r.kind === "cost" || r.status === "reproduced" ||
      r.status === "within-tolerance"
    ),
    machineDifferences: machine,
  };
}
