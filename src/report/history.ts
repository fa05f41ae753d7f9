import type { StoredBenchmark } from "../results/types.ts";
import { type CategorySeries, seriesChart } from "./charts.ts";
import { metricValue, WALL_TIME, WALL_TIME_LABEL } from "./cross_machine.ts";
import type { ChartView, RunInfo } from "./types.ts";

/** Ratio max/min of a metric's (positive) values from which its history chart uses a logarithmic y axis. */
export const LOG_AXIS_SPAN = 100;

/** One metric's history: its values per run (x) and cell key (series). */
export interface MetricHistory {
  /** Metric name, or {@linkcode WALL_TIME}. */
  readonly metric: string;
  readonly unit: string;
  readonly kind: "accuracy" | "cost";
  /** Run labels in time order. */
  readonly runs: readonly string[];
  readonly series: readonly CategorySeries[];
}

/**
 * Assembles the history of a benchmark: for every metric (accuracy metrics first, then cost metrics, then the
 * cell wall time), its value in each run that contains the benchmark at `version`, runs in time order, one
 * series per cell key (null where a run lacks the cell or the value). Accuracy series carry their standard
 * errors.
 *
 * @param runs All runs, in time order (see `describeRuns`).
 * @param bench The benchmark id and version.
 * @returns One history per metric; empty when fewer than two runs contain the benchmark.
 *
 * @example Usage
 * ```ts
 * import { metricHistories } from "./history.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(metricHistories([], { id: "x", version: 1 }), []);
 * ```
 */
export function metricHistories(
  runs: readonly RunInfo[],
  bench: { readonly id: string; readonly version: number },
): MetricHistory[] {
  const withBench: { r: RunInfo; b: StoredBenchmark }[] = [];
  for (const r of runs) {
    const b = r.doc.benchmarks.find((x) =>
      x.id === bench.id && x.version === bench.version
    );
    if (b !== undefined) withBench.push({ r, b });
  }
  if (withBench.length < 2) return [];
  // Cell keys: the latest run's order first, then keys only older runs have.
  const keys: string[] = [];
  for (let i = withBench.length - 1; i >= 0; i--) {
    for (const c of withBench[i]!.b.cells) {
      if (!keys.includes(c.key)) keys.push(c.key);
    }
  }
  const metrics = new Map<
    string,
    { unit: string; kind: "accuracy" | "cost" }
  >();
  let timed = false;
  for (let i = withBench.length - 1; i >= 0; i--) {
    for (const c of withBench[i]!.b.cells) {
      if (c.timing !== null) timed = true;
      for (const [name, m] of Object.entries(c.metrics)) {
        if (!metrics.has(name)) {
          metrics.set(name, { unit: m.unit, kind: m.kind });
        }
      }
    }
  }
  const ordered = [...metrics].sort((a, b) =>
    a[1].kind === b[1].kind ? 0 : a[1].kind === "accuracy" ? -1 : 1
  );
  if (timed) {
    ordered.push([WALL_TIME, { unit: WALL_TIME_LABEL.unit, kind: "cost" }]);
  }
  const labels = withBench.map((x) => x.r.label);
  return ordered.map(([metric, { unit, kind }]) => ({
    metric,
    unit,
    kind,
    runs: labels,
    series: keys.map((key) => {
      const points = withBench.map((x) =>
        metricValue(x.b.cells.find((c) => c.key === key), metric)
      );
      return {
        label: key,
        values: points.map((p) => p.value),
        ...(kind === "accuracy" ? { stderr: points.map((p) => p.stderr) } : {}),
      };
    }),
  }));
}

/**
 * Charts of {@linkcode metricHistories}: one per metric, runs along x, one line per cell key.
 *
 * @param runs All runs, in time order.
 * @param bench The benchmark id and version, and `canvasId()` allocating canvas ids on its page.
 * @returns The charts (empty with fewer than two runs).
 *
 * @example Usage
 * ```ts
 * import { historyCharts } from "./history.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(historyCharts([], { id: "x", version: 1, canvasId: () => "c" }), []);
 * ```
 */
export function historyCharts(
  runs: readonly RunInfo[],
  bench: {
    readonly id: string;
    readonly version: number;
    readonly canvasId: () => string;
  },
): ChartView[] {
  return metricHistories(runs, bench).map((h) => {
    const name = h.metric === WALL_TIME ? WALL_TIME_LABEL.name : h.metric;
    const values = h.series.flatMap((s) => s.values).filter((v) => v !== null);
    // Cells of one metric can differ by orders of magnitude (e.g. speed ∝ η²): then use a log axis.
    const yLog = values.length > 0 && values.every((v) => v > 0) &&
      Math.max(...values) >= LOG_AXIS_SPAN * Math.min(...values);
    return seriesChart(h.series, {
      yLog,
      canvasId: bench.canvasId(),
      title: `${name} (${h.kind}) across runs`,
      caption: h.kind === "accuracy"
        ? "Measured value ± stderr per run; the same seed and size must reproduce exactly, a new seed within the error bars."
        : "Machine-dependent: compare runs on the same machine.",
      xLabel: "run (commit, start time)",
      yLabel: h.unit,
      categories: h.runs,
    });
  });
}
