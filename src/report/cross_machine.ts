/**
 * Runs of the same commit compared across machines: accuracy digests must agree (same commit, seed and size
 * give the same numbers on any host), and cost metrics are tabulated per machine.
 *
 * @module
 */
import type { StoredBenchmark, StoredCell } from "../results/types.ts";
import { barChart } from "./charts.ts";
import type {
  BenchmarkCrossMachine,
  CommitGroup,
  CostTable,
  DigestMismatch,
  RunInfo,
} from "./types.ts";

/** Pseudo-metric name of a cell's median wall time (`timing.medianMs`); real metric names cannot start with "@". */
export const WALL_TIME = "@time";

/** Display name and unit of {@linkcode WALL_TIME}. */
export const WALL_TIME_LABEL = { name: "cell wall time (median)", unit: "ms" };

/**
 * The cost metrics of a benchmark across runs, in order of first appearance, each with its unit, followed by
 * {@linkcode WALL_TIME} when any cell has timing.
 *
 * @param benchmarks The benchmark's entries in several runs.
 * @returns `[name, unit]` pairs.
 *
 * @example Usage
 * ```ts
 * import { costMetrics, WALL_TIME } from "./cross_machine.ts";
 * import assert from "node:assert/strict";
 *
 * const cell = { metrics: { t: { unit: "ms", kind: "cost" }, v: { unit: "1", kind: "accuracy" } },
 *   timing: { medianMs: 5 } };
 * const b = { cells: [cell] } as unknown as import("../results/types.ts").StoredBenchmark;
 * assert.deepEqual(costMetrics([b]), [["t", "ms"], [WALL_TIME, "ms"]]);
 * ```
 */
export function costMetrics(
  benchmarks: readonly StoredBenchmark[],
): [string, string][] {
  const found = new Map<string, string>();
  let timed = false;
  for (const b of benchmarks) {
    for (const c of b.cells) {
      if (c.timing !== null) timed = true;
      for (const [name, m] of Object.entries(c.metrics)) {
        if (m.kind === "cost" && !found.has(name)) found.set(name, m.unit);
      }
    }
  }
  const out = [...found];
  if (timed) out.push([WALL_TIME, WALL_TIME_LABEL.unit]);
  return out;
}

/**
 * A cell's value of a metric, or of {@linkcode WALL_TIME}; null when missing.
 *
 * @param cell The cell.
 * @param metric Metric name or {@linkcode WALL_TIME}.
 * @returns The value and its standard error (null for cost metrics and wall time).
 *
 * @example Usage
 * ```ts
 * import { metricValue, WALL_TIME } from "./cross_machine.ts";
 * import assert from "node:assert/strict";
 *
 * const cell = { metrics: { v: { value: 2, stderr: 0.1 } }, timing: { medianMs: 7 } } as unknown as
 *   import("../results/types.ts").StoredCell;
 * assert.deepEqual(metricValue(cell, "v"), { value: 2, stderr: 0.1 });
 * assert.deepEqual(metricValue(cell, WALL_TIME), { value: 7, stderr: null });
 * assert.deepEqual(metricValue(cell, "missing"), { value: null, stderr: null });
 * ```
 */
export function metricValue(
  cell: StoredCell | undefined,
  metric: string,
): { value: number | null; stderr: number | null } {
  if (cell === undefined) return { value: null, stderr: null };
  if (metric === WALL_TIME) {
    return { value: cell.timing?.medianMs ?? null, stderr: null };
  }
  const m = cell.metrics[metric];
  return { value: m?.value ?? null, stderr: m?.stderr ?? null };
}

function groupByCommit(runs: readonly RunInfo[]): Map<string, RunInfo[]> {
  const groups = new Map<string, RunInfo[]>();
  for (const r of runs) {
    if (r.commit === null) continue;
    const g = groups.get(r.commit) ?? [];
    g.push(r);
    groups.set(r.commit, g);
  }
  return groups;
}

function digestMismatches(
  runs: readonly RunInfo[],
  only?: string,
): { compared: number; mismatches: DigestMismatch[] } {
  const byCell = new Map<
    string,
    { b: StoredBenchmark; c: StoredCell; runs: { r: RunInfo; d: string }[] }
  >();
  for (const r of runs) {
    for (const b of r.doc.benchmarks) {
      if (only !== undefined && b.id !== only) continue;
      for (const c of b.cells) {
        // Same benchmark version, cell, derived seed and size must give the same deterministic outputs.
        const k = JSON.stringify([
          b.id,
          b.version,
          c.key,
          c.seed,
          r.doc.run.quick,
        ]);
        const e = byCell.get(k) ?? { b, c, runs: [] };
        e.runs.push({ r, d: c.digest });
        byCell.set(k, e);
      }
    }
  }
  let compared = 0;
  const mismatches: DigestMismatch[] = [];
  for (const e of byCell.values()) {
    if (e.runs.length < 2) continue;
    compared++;
    if (new Set(e.runs.map((x) => x.d)).size > 1) {
      mismatches.push({
        benchmarkId: e.b.id,
        version: e.b.version,
        key: e.c.key,
        runs: e.runs.map((x) => ({
          run: x.r.label,
          dirty: x.r.doc.source.dirty === true,
          machine: x.r.machine.label,
          digest: x.d.slice(0, 12),
        })),
      });
    }
  }
  return { compared, mismatches };
}

/**
 * Groups runs by commit (runs without a commit are left out) and, for each commit with two or more runs, checks
 * that every cell present in several runs with the same benchmark version, key, derived seed and size (quick
 * or full) has the same digest in all of them. A mismatch means the accuracy numbers differ between hosts
 * (or the working tree was dirty).
 *
 * @param runs The runs, in time order.
 * @returns One group per commit with two or more runs, in order of each commit's first run.
 *
 * @example Usage
 * ```ts
 * import { commitGroups } from "./cross_machine.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(commitGroups([]), []);
 * ```
 */
export function commitGroups(runs: readonly RunInfo[]): CommitGroup[] {
  const out: CommitGroup[] = [];
  for (const [commit, group] of groupByCommit(runs)) {
    if (group.length < 2) continue;
    const { compared, mismatches } = digestMismatches(group);
    out.push({
      commit,
      runs: group.map((r) => ({
        run: r.label,
        machine: r.machine.label,
        dirty: r.doc.source.dirty,
      })),
      machines: [...new Set(group.map((r) => r.machine.label))],
      compared,
      mismatches,
    });
  }
  return out;
}

/**
 * Cross-machine view of one benchmark: for each commit with two or more runs containing the benchmark (at
 * `version`), the digest check restricted to it and one table and grouped bar chart per cost metric (cells
 * along x, one bar per run labelled with its machine).
 *
 * @param runs All runs, in time order.
 * @param bench Which benchmark: `id`, `version`, and `canvasId()` allocating canvas ids on its page.
 * @returns One entry per commit group.
 *
 * @example Usage
 * ```ts
 * import { benchmarkCrossMachine } from "./cross_machine.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(benchmarkCrossMachine([], { id: "x", version: 1, canvasId: () => "c" }), []);
 * ```
 */
export function benchmarkCrossMachine(
  runs: readonly RunInfo[],
  bench: {
    readonly id: string;
    readonly version: number;
    readonly canvasId: () => string;
  },
): BenchmarkCrossMachine[] {
  const out: BenchmarkCrossMachine[] = [];
  for (const [commit, group] of groupByCommit(runs)) {
    const withBench = group
      .map((r) => ({
        r,
        b: r.doc.benchmarks.find((b) =>
          b.id === bench.id && b.version === bench.version
        ),
      }))
      .filter((x): x is { r: RunInfo; b: StoredBenchmark } =>
        x.b !== undefined
      );
    if (withBench.length < 2) continue;
    const { compared, mismatches } = digestMismatches(
      withBench.map((x) => x.r),
      bench.id,
    );
    const keys: string[] = [];
    for (const { b } of withBench) {
      for (const c of b.cells) if (!keys.includes(c.key)) keys.push(c.key);
    }
    const columns = withBench.map((x) => `${x.r.label} — ${x.r.machine.label}`);
    const costs: CostTable[] = costMetrics(withBench.map((x) => x.b)).map(
      ([metric, unit]) => {
        const values = keys.map((k) =>
          withBench.map((x) =>
            metricValue(x.b.cells.find((c) => c.key === k), metric).value
          )
        );
        const name = metric === WALL_TIME ? WALL_TIME_LABEL.name : metric;
        return {
          metric: name,
          unit,
          keys,
          columns,
          values,
          chart: barChart(
            columns.map((label, j) => ({
              label,
              values: values.map((row) => row[j]!),
            })),
            {
              canvasId: bench.canvasId(),
              title: `${name} per machine`,
              xLabel: "cell",
              yLabel: unit,
              categories: keys,
            },
          ),
        };
      },
    );
    out.push({
      commit,
      machines: [...new Set(withBench.map((x) => x.r.machine.label))],
      compared,
      mismatches,
      costs,
    });
  }
  return out;
}
