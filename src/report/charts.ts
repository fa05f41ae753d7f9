/**
 * chart.js configurations for the three kinds of chart on the pages: a benchmark cell's {@linkcode Plot}
 * (styled by line role), a series over runs (history), and grouped bars (cost per machine).
 *
 * @module
 */
import type { Plot, PlotLine } from "../bench/types.ts";
import type {
  ChartAxis,
  ChartConfig,
  ChartDataset,
  ChartView,
} from "./types.ts";

/** Okabe–Ito colours (distinguishable with colour-vision deficiencies), yellow left out for contrast on white. */
export const PALETTE: readonly string[] = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#000000",
];

/**
 * Line style per role: `measured` are points (with ±stderr error bars), `exact` a solid line, `continuous` a
 * dashed line, `fit` a dotted line; `other` a thin solid line (points in scatter plots).
 */
export const ROLE_STYLE: Readonly<
  Record<
    PlotLine["role"],
    {
      readonly showLine: boolean;
      readonly borderWidth: number;
      readonly borderDash: readonly number[];
      readonly pointRadius: number;
    }
  >
> = {
  measured: { showLine: false, borderWidth: 1, borderDash: [], pointRadius: 3 },
  exact: { showLine: true, borderWidth: 2, borderDash: [], pointRadius: 0 },
  continuous: {
    showLine: true,
    borderWidth: 2,
    borderDash: [8, 5],
    pointRadius: 0,
  },
  fit: { showLine: true, borderWidth: 2, borderDash: [2, 3], pointRadius: 0 },
  other: { showLine: true, borderWidth: 1, borderDash: [], pointRadius: 1.5 },
};

function colour(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

function axis(
  type: ChartAxis["type"],
  text: string,
): ChartAxis {
  return { type, title: { display: true, text } };
}

function config(
  type: ChartConfig["type"],
  data: ChartConfig["data"],
  x: ChartAxis,
  y: ChartAxis,
): ChartConfig {
  return {
    type,
    data,
    options: {
      maintainAspectRatio: false,
      scales: { x, y },
      plugins: {
        title: { display: false, text: "" },
        legend: { position: "bottom" },
      },
    },
  };
}

/**
 * Builds the chart of one {@linkcode Plot}: every line becomes a dataset styled by its role (see
 * {@linkcode ROLE_STYLE}); `stderr` becomes ±1 error bars; `xLog`/`yLog` give logarithmic axes, and points
 * with a non-positive coordinate on a log axis are left out (the caption counts them); `type: "scatter"`
 * draws `measured` and `other` lines as points only (phase portraits).
 *
 * @param plot A plot from a results file.
 * @param canvasId Id of the canvas the chart is drawn on (unique within the page).
 * @returns The chart view.
 *
 * @example Usage
 * ```ts
 * import { plotChart } from "./charts.ts";
 * import assert from "node:assert/strict";
 *
 * const view = plotChart({
 *   id: "msd", title: "MSD", xLabel: "k", yLabel: "msd", xLog: true, yLog: true,
 *   lines: [
 *     { label: "SGD", role: "measured", x: [0, 10, 100], y: [0, 1, 5], stderr: [0, 0.1, 0.3] },
 *     { label: "exact", role: "exact", x: [10, 100], y: [1.1, 4.9] },
 *   ],
 * }, "chart-0");
 * assert.equal(view.config.options.scales.y.type, "logarithmic");
 * assert.deepEqual(view.config.data.datasets[0]!.data, [{ x: 10, y: 1 }, { x: 100, y: 5 }]);
 * assert.deepEqual(view.config.data.datasets[0]!.errorBars, [0.1, 0.3]);
 * assert.match(view.caption, /1 point with a non-positive value/);
 * ```
 */
export function plotChart(plot: Plot, canvasId: string): ChartView {
  const scatter = plot.type === "scatter";
  let dropped = 0;
  const datasets = plot.lines.map((line, i): ChartDataset => {
    const style = ROLE_STYLE[line.role];
    const points: { x: number; y: number }[] = [];
    const bars: (number | null)[] = [];
    for (let j = 0; j < line.x.length; j++) {
      const x = line.x[j]!;
      const y = line.y[j]!;
      if ((plot.xLog && !(x > 0)) || (plot.yLog && !(y > 0))) {
        dropped++;
        continue;
      }
      points.push({ x, y });
      if (line.stderr) bars.push(line.stderr[j] ?? null);
    }
    const pointsOnly = scatter &&
      (line.role === "measured" || line.role === "other");
    const c = colour(i);
    return {
      label: line.label,
      data: points,
      role: line.role,
      borderColor: c,
      backgroundColor: `${c}99`,
      borderWidth: style.borderWidth,
      borderDash: style.borderDash,
      showLine: pointsOnly ? false : style.showLine,
      pointRadius: pointsOnly
        ? (line.role === "measured" ? 2 : 1.5)
        : style.pointRadius,
      ...(line.stderr ? { errorBars: bars } : {}),
    };
  });
  const caption = dropped === 0
    ? ""
    : `${dropped} point${
      dropped === 1 ? "" : "s"
    } with a non-positive value left out of the logarithmic axis.`;
  return {
    canvasId,
    title: plot.title,
    caption,
    config: config(
      "scatter",
      { datasets },
      axis(plot.xLog ? "logarithmic" : "linear", plot.xLabel),
      axis(plot.yLog ? "logarithmic" : "linear", plot.yLabel),
    ),
  };
}

/** One series of {@linkcode seriesChart}: a value (and optional standard error) per category. */
export interface CategorySeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly stderr?: readonly (number | null)[];
}

/** Options of {@linkcode seriesChart} and {@linkcode barChart}. */
export interface CategoryChartOptions {
  readonly canvasId: string;
  readonly title: string;
  readonly caption?: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Category labels along x (e.g. run labels). */
  readonly categories: readonly string[];
  /** Logarithmic y axis (values ≤ 0 are then not drawn). @default {false} */
  readonly yLog?: boolean;
}

/**
 * Builds a line chart over categories (e.g. runs in time order): one dataset per series, points joined by a
 * line across gaps, with ±1 standard-error bars where given.
 *
 * @param series The series; each has one value per category (null = missing).
 * @param options Canvas id, titles and the categories.
 * @returns The chart view.
 * @throws {TypeError} If a series' length differs from the number of categories.
 *
 * @example Usage
 * ```ts
 * import { seriesChart } from "./charts.ts";
 * import assert from "node:assert/strict";
 *
 * const v = seriesChart([{ label: "eta=0.1", values: [1, null, 1.1], stderr: [0.1, null, 0.1] }], {
 *   canvasId: "chart-1", title: "speed", xLabel: "run", yLabel: "speed", categories: ["a", "b", "c"],
 * });
 * assert.equal(v.config.type, "line");
 * assert.deepEqual(v.config.data.labels, ["a", "b", "c"]);
 * assert.equal(v.config.data.datasets[0]!.spanGaps, true);
 * ```
 */
export function seriesChart(
  series: readonly CategorySeries[],
  options: CategoryChartOptions,
): ChartView {
  const datasets = series.map((s, i): ChartDataset => {
    checkLength(s.values, options.categories.length, s.label);
    if (s.stderr) checkLength(s.stderr, options.categories.length, s.label);
    const c = colour(i);
    return {
      label: s.label,
      data: s.values,
      role: "measured",
      borderColor: c,
      backgroundColor: `${c}99`,
      borderWidth: 1.5,
      borderDash: [],
      showLine: true,
      pointRadius: 3,
      spanGaps: true,
      ...(s.stderr ? { errorBars: s.stderr } : {}),
    };
  });
  return {
    canvasId: options.canvasId,
    title: options.title,
    caption: options.caption ?? "",
    config: config(
      "line",
      { labels: options.categories, datasets },
      axis("category", options.xLabel),
      axis(options.yLog ? "logarithmic" : "linear", options.yLabel),
    ),
  };
}

/**
 * Builds a grouped bar chart: categories along x (e.g. cells), one bar per series in each group (e.g. one per
 * machine).
 *
 * @param series The series; each has one value per category (null = no bar).
 * @param options Canvas id, titles and the categories.
 * @returns The chart view.
 * @throws {TypeError} If a series' length differs from the number of categories.
 *
 * @example Usage
 * ```ts
 * import { barChart } from "./charts.ts";
 * import assert from "node:assert/strict";
 *
 * const v = barChart([{ label: "host A", values: [3] }, { label: "host B", values: [4] }], {
 *   canvasId: "chart-2", title: "time", xLabel: "cell", yLabel: "ms", categories: ["n=1"],
 * });
 * assert.equal(v.config.type, "bar");
 * assert.equal(v.config.data.datasets.length, 2);
 * ```
 */
export function barChart(
  series: readonly CategorySeries[],
  options: CategoryChartOptions,
): ChartView {
  const datasets = series.map((s, i): ChartDataset => {
    checkLength(s.values, options.categories.length, s.label);
    const c = colour(i);
    return {
      label: s.label,
      data: s.values,
      role: "bar",
      borderColor: c,
      backgroundColor: `${c}cc`,
      borderWidth: 1,
      borderDash: [],
      showLine: false,
      pointRadius: 0,
    };
  });
  return {
    canvasId: options.canvasId,
    title: options.title,
    caption: options.caption ?? "",
    config: config(
      "bar",
      { labels: options.categories, datasets },
      axis("category", options.xLabel),
      axis("linear", options.yLabel),
    ),
  };
}

function checkLength(
  values: readonly unknown[],
  n: number,
  label: string,
): void {
  if (values.length !== n) {
    throw new TypeError(
      `Cannot build chart series "${label}" as it has ${values.length} values for ${n} categories`,
    );
  }
}
