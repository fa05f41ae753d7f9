/**
 * The page model of the chart pages: plain data (no functions, JSON-serialisable) that the HTML renderer turns
 * into pages. Chart configurations are chart.js 4 configurations, built here so the browser only has to call
 * `new Chart(canvas, config)`.
 *
 * @module
 */
import type { ParamValue } from "../bench/types.ts";
import type { CellStatus, ResultsDocument } from "../results/types.ts";
import type { JudgedReference } from "../bench/verdict.ts";

/** A validated results document and where it was read from. */
export interface ReportInput {
  /** The path the document was read from (shown on the index page). */
  readonly path: string;
  readonly doc: ResultsDocument;
}

/** The machine a run ran on, as compared across runs: CPU model, logical cores and tfjs backend. */
export interface MachineInfo {
  /** Identity used to group runs: cpuModel, logicalCores and backend joined by "|". */
  readonly key: string;
  /** Human-readable, e.g. "Intel Xeon (2 cores), wasm SIMD". */
  readonly label: string;
}

/** One input run, with the labels the pages use. */
export interface RunInfo {
  /** Position in time order (0 = earliest by `run.startedAt`, ties by run id). */
  readonly order: number;
  readonly id: string;
  readonly path: string;
  /** Chart label "commit8 date" (plus " quick", " dirty", or "#n" when needed to be unique). */
  readonly label: string;
  readonly commit: string | null;
  readonly machine: MachineInfo;
  readonly doc: ResultsDocument;
}

/** One dataset of a chart.js configuration. */
export interface ChartDataset {
  readonly label: string;
  /** `{x, y}` points (linear or log axes) or one value per category label (`null` = gap). */
  readonly data:
    | readonly { readonly x: number; readonly y: number }[]
    | readonly (number | null)[];
  /** The plot role the style came from (`measured`, `exact`, `continuous`, `fit`, `other`, `bar`). */
  readonly role: string;
  readonly borderColor: string;
  readonly backgroundColor: string;
  readonly borderWidth: number;
  readonly borderDash: readonly number[];
  readonly showLine: boolean;
  readonly pointRadius: number;
  readonly spanGaps?: boolean;
  /** Standard error per data point, drawn as ±1 error bars by the page's error-bar plugin. */
  readonly errorBars?: readonly (number | null)[];
}

/** An axis of a chart.js configuration. */
export interface ChartAxis {
  readonly type: "linear" | "logarithmic" | "category";
  readonly title: { readonly display: true; readonly text: string };
}

/** A chart.js configuration (plain JSON). */
export interface ChartConfig {
  readonly type: "scatter" | "line" | "bar";
  readonly data: {
    readonly labels?: readonly string[];
    readonly datasets: readonly ChartDataset[];
  };
  readonly options: {
    readonly maintainAspectRatio: false;
    readonly scales: { readonly x: ChartAxis; readonly y: ChartAxis };
    readonly plugins: {
      readonly title: { readonly display: boolean; readonly text: string };
      readonly legend: { readonly position: "bottom" };
    };
  };
}

/** A chart on a page. */
export interface ChartView {
  /** Canvas element id, unique within its page (`chart-<n>`). */
  readonly canvasId: string;
  readonly title: string;
  /** One line under the chart, e.g. points left out of a log axis. */
  readonly caption: string;
  readonly config: ChartConfig;
}

/** One row of a cell's verdict table: a metric judged against one reference (or a metric with none). */
export interface VerdictRow {
  readonly metric: string;
  readonly unit: string;
  readonly kind: "accuracy" | "cost";
  readonly value: number | null;
  readonly stderr: number | null;
  readonly n: number | null;
  readonly stderrMethod: string | null;
  /** Reference name, or null for a metric without references. */
  readonly reference: string | null;
  readonly judged: JudgedReference | null;
}

/** One cell on a benchmark page. */
export interface CellView {
  readonly key: string;
  /** Parameters, sorted by name. */
  readonly params: readonly (readonly [string, ParamValue])[];
  readonly status: CellStatus;
  readonly message: string | null;
  readonly verdict: "pass" | "fail" | "none";
  readonly seed: string;
  readonly digest: string;
  /** Label of the run this cell comes from. */
  readonly run: string;
  readonly rows: readonly VerdictRow[];
  readonly notes: readonly string[];
  readonly timing: {
    readonly warmup: number;
    readonly repeats: number;
    readonly medianMs: number;
    readonly minMs: number;
    readonly maxMs: number;
  } | null;
  readonly charts: readonly ChartView[];
}

/** A cell whose accuracy digest differs between runs of the same commit, seed and size. */
export interface DigestMismatch {
  readonly benchmarkId: string;
  readonly version: number;
  readonly key: string;
  /** One entry per run: run label, dirty working tree, machine label and the first 12 hex digits of the digest. */
  readonly runs: readonly {
    readonly run: string;
    readonly dirty: boolean;
    readonly machine: string;
    readonly digest: string;
  }[];
}

/** A cost metric of one benchmark across the runs of one commit: one value per (cell, run). */
export interface CostTable {
  readonly metric: string;
  readonly unit: string;
  readonly keys: readonly string[];
  /** Run labels with machine, one column each. */
  readonly columns: readonly string[];
  /** `values[cell][column]`, null where the run lacks the cell or the value. */
  readonly values: readonly (readonly (number | null)[])[];
  readonly chart: ChartView;
}

/** Runs of one commit compared across machines. */
export interface CommitGroup {
  readonly commit: string;
  /** Run labels with machine, in time order. */
  readonly runs: readonly {
    readonly run: string;
    readonly machine: string;
    readonly dirty: boolean | null;
  }[];
  readonly machines: readonly string[];
  /** Cells (benchmark, version, key, seed, size) present in two or more runs, whose digests were compared. */
  readonly compared: number;
  readonly mismatches: readonly DigestMismatch[];
}

/** Cross-machine comparison of one benchmark within one commit group. */
export interface BenchmarkCrossMachine {
  readonly commit: string;
  readonly machines: readonly string[];
  readonly compared: number;
  readonly mismatches: readonly DigestMismatch[];
  readonly costs: readonly CostTable[];
}

/** A benchmark's page. */
export interface BenchmarkPage {
  readonly id: string;
  /** Relative path of the page inside the site, `benchmarks/<id>.html`. */
  readonly path: string;
  readonly title: string;
  readonly version: number;
  readonly paperRef: string;
  /** Labels of runs whose cells of an older version were left out. */
  readonly olderVersionRuns: readonly string[];
  readonly cells: readonly CellView[];
  /** One chart per metric across runs (empty with fewer than two runs). */
  readonly history: readonly ChartView[];
  readonly crossMachine: readonly BenchmarkCrossMachine[];
  /** Counts over `cells`. */
  readonly counts: {
    readonly ok: number;
    readonly diverged: number;
    readonly error: number;
    readonly pass: number;
    readonly fail: number;
    readonly expectedBreak: number;
  };
}

/** The whole site. */
export interface SiteModel {
  readonly runs: readonly RunInfo[];
  readonly benchmarks: readonly BenchmarkPage[];
  /** Commit groups with two or more runs. */
  readonly commits: readonly CommitGroup[];
}
