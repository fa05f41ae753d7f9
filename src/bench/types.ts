/**
 * Types of the benchmark registry: what a benchmark declares (id, version, grids, metrics with their units,
 * better direction and verdict rules) and what one cell of it returns.
 *
 * @module
 */
import type { Rng } from "../random/rng.ts";

/** A parameter value of a benchmark cell. */
export type ParamValue = number | string | boolean;

/** The parameters of one cell. */
export type Params = Readonly<Record<string, ParamValue>>;

/** Candidate values per parameter; the runner takes the Cartesian product. */
export type ParamGrid = Readonly<Record<string, readonly ParamValue[]>>;

/** Which direction of a metric is better, for regression tracking. */
export type Better = "lower" | "higher" | "none";

/**
 * What a metric measures: `accuracy` numbers are deterministic for a seed and machine-invariant (they must
 * agree across hosts); `cost` numbers (time, throughput) depend on the machine and vary between repeats.
 */
export type MetricKind = "accuracy" | "cost";

/**
 * How a measured value is judged against one reference value (a prediction) of the same cell.
 *
 * - `zscore`: passes when |value − reference| ≤ maxAbsZ · stderr (a Monte-Carlo test against an exact
 *   prediction).
 * - `budget`: passes when |value − reference| ≤ budget · |reference| + maxAbsZ · stderr, where the cell supplies
 *   the relative `budget` (the expected model error, e.g. O(ηh) for the continuous model).
 * - `relative`: passes when |value − reference| ≤ maxRelError · |reference| (deterministic quantities).
 */
export type VerdictRule =
  | { readonly rule: "zscore"; readonly maxAbsZ: number }
  | { readonly rule: "budget"; readonly maxAbsZ: number }
  | { readonly rule: "relative"; readonly maxRelError: number };

/** Declaration of one metric of a benchmark. */
export interface MetricSpec {
  /** Unit, e.g. "1" (dimensionless), "ms", "updates/s", "param²". */
  readonly unit: string;
  /** Which direction is better, for regression tracking. */
  readonly better: Better;
  /** Accuracy (deterministic, machine-invariant) or cost (machine-dependent). */
  readonly kind: MetricKind;
  /** One sentence: what is measured and how. */
  readonly description: string;
  /** Verdict rule per reference name (e.g. `exact`, `continuous`); metrics without references have none. */
  readonly references?: Readonly<Record<string, VerdictRule>>;
}

/** One reference (prediction) returned by a cell for a metric. */
export interface ReferenceValue {
  /** The predicted value. */
  readonly value: number;
  /** Relative model-error budget, required by the `budget` rule. */
  readonly budget?: number;
  /**
   * Set when the reference is known not to apply in this cell (e.g. the continuous model near the stability
   * edge): a failing verdict is then reported as `expected-break` with this reason, not as `fail`.
   */
  readonly expectedBreak?: string;
}

/** A metric value returned by a cell. */
export interface MetricValue {
  /** The measured value. */
  readonly value: number;
  /** Standard error of `value` (Monte-Carlo), where statistical. */
  readonly stderr?: number;
  /** Number of independent samples behind `value` and `stderr`. */
  readonly n?: number;
  /** How `stderr` was estimated, e.g. "independent chains" or "batch means (20 batches)". */
  readonly stderrMethod?: string;
  /** Predictions to judge the value against, by reference name. */
  readonly references?: Readonly<Record<string, ReferenceValue>>;
}

/** A line of a plot: x/y pairs, optionally with a standard error per point. */
export interface PlotLine {
  /** Legend label. */
  readonly label: string;
  /** `measured` (simulation or network), `exact` (exact discrete theory), `continuous` (paper model), `fit`, `other`. */
  readonly role: "measured" | "exact" | "continuous" | "fit" | "other";
  /** Abscissae. */
  readonly x: readonly number[];
  /** Ordinates, one per abscissa. */
  readonly y: readonly number[];
  /** Standard error per point (measured lines). */
  readonly stderr?: readonly number[];
}

/** A plot a cell contributes to its benchmark's chart page. */
export interface Plot {
  /** Identifier, unique within the cell. */
  readonly id: string;
  /** Chart title. */
  readonly title: string;
  /** Label of the x axis. */
  readonly xLabel: string;
  /** Label of the y axis. */
  readonly yLabel: string;
  /** Logarithmic x axis. */
  readonly xLog?: boolean;
  /** Logarithmic y axis. */
  readonly yLog?: boolean;
  /** `line` (default) or `scatter` (e.g. phase portraits). */
  readonly type?: "line" | "scatter";
  /** The lines to draw. */
  readonly lines: readonly PlotLine[];
}

/** What one cell returns. */
export interface CellOutput {
  /** Values of the declared metrics, by name. */
  readonly metrics: Readonly<Record<string, MetricValue>>;
  /** Plots for the chart pages. */
  readonly plots?: readonly Plot[];
  /** Set when the simulation left the stable region (NaN/∞); the cell is then recorded as `diverged`. */
  readonly diverged?: string;
  /** Free-form notes shown with the cell (fit windows, data subsets, …). */
  readonly notes?: readonly string[];
}

/** Everything a cell gets from the runner. */
export interface RunContext {
  /** Generator seeded from (base seed, benchmark id, canonical params). */
  readonly rng: Rng;
  /** The derived seed behind `rng`. */
  readonly seed: bigint;
  /** CI size: the quick grid and smaller workloads. */
  readonly quick: boolean;
  /** Monotonic clock in milliseconds (injected so pure code never reads the clock). */
  readonly now: () => number;
}

/** A benchmark definition: one entry of the registry. */
export interface BenchmarkDefinition {
  /** snake_case id; equals the file name under benchmarks/ and the key in results. */
  readonly id: string;
  /** Bump when the meaning of the numbers changes; results of other versions are not compared. */
  readonly version: number;
  /** Human-readable title. */
  readonly title: string;
  /** Where the prediction comes from, e.g. "Kunin et al. 2024, §4.1; theory.md §7.1 (C1)". */
  readonly paperRef: string;
  /** Full parameter grid. */
  readonly grid: ParamGrid;
  /** Overrides of `grid` for `--quick`. */
  readonly quickGrid?: ParamGrid;
  /** The metrics every cell returns, by name. */
  readonly metrics: Readonly<Record<string, MetricSpec>>;
  /** Default timing for `cost` benchmarks: untimed warm-up runs and timed repeats of each cell. */
  readonly timing?: { readonly warmup: number; readonly repeats: number };
  /** Runs one cell (deterministic given `ctx.rng`). */
  run(params: Params, ctx: RunContext): Promise<CellOutput> | CellOutput;
}

/**
 * Identity function that gives a benchmark definition its type.
 *
 * @param def The definition.
 * @returns `def`.
 *
 * @example Usage
 * ```ts
 * import { defineBenchmark } from "./types.ts";
 * import assert from "node:assert/strict";
 *
 * const b = defineBenchmark({
 *   id: "demo", version: 1, title: "Demo", paperRef: "-", grid: { n: [1, 2] },
 *   metrics: { value: { unit: "1", better: "none", kind: "accuracy", description: "n squared" } },
 *   run: (p) => ({ metrics: { value: { value: Number(p.n) ** 2 } } }),
 * });
 * assert.equal(b.id, "demo");
 * ```
 */
export function defineBenchmark(def: BenchmarkDefinition): BenchmarkDefinition {
  return def;
}
