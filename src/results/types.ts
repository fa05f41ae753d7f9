/**
 * The results document (schema version 1): one JSON file per run. The JSON Schema in `schema.json` is the
 * normative description; these types mirror it.
 *
 * @module
 */
import type { Better, MetricKind, ParamValue, Plot } from "../bench/types.ts";
import type { JudgedReference } from "../bench/verdict.ts";

/** The schema version this build writes and reads. */
export const SCHEMA_VERSION = 1;

/** Status of one cell. */
export type CellStatus = "ok" | "diverged" | "error";

/** A metric as stored in a cell. */
export interface StoredMetric {
  /** The value (the median over repeats for cost metrics); null if not finite. */
  readonly value: number | null;
  /** Unit of the value. */
  readonly unit: string;
  /** Which direction is better. */
  readonly better: Better;
  /** Accuracy or cost. */
  readonly kind: MetricKind;
  /** Standard error, where statistical. */
  readonly stderr: number | null;
  /** Number of independent samples behind the standard error. */
  readonly n: number | null;
  /** How the standard error was estimated. */
  readonly stderrMethod: string | null;
  /** Per-repeat values of `cost` metrics (the stored `value` is their median). */
  readonly samples: readonly number[] | null;
  /** Judged reference predictions, by name. */
  readonly references: Readonly<Record<string, JudgedReference>>;
}

/** Wall-clock timing of a cell over its repeats. */
export interface CellTiming {
  /** Untimed warm-up runs. */
  readonly warmup: number;
  /** Timed runs. */
  readonly repeats: number;
  /** Median wall time of the timed runs. */
  readonly medianMs: number;
  /** Fastest timed run. */
  readonly minMs: number;
  /** Slowest timed run. */
  readonly maxMs: number;
}

/** One cell of a benchmark in a run. */
export interface StoredCell {
  /** Canonical key of the parameters. */
  readonly key: string;
  /** The parameters. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Derived seed, as a decimal string (JSON has no 64-bit integers). */
  readonly seed: string;
  /** Outcome of the cell. */
  readonly status: CellStatus;
  /** Error or divergence message; null when ok. */
  readonly message: string | null;
  /** `pass` if every judged reference passed (or broke where expected), `fail` if any failed, `none` if none. */
  readonly verdict: "pass" | "fail" | "none";
  /** Metrics by name. */
  readonly metrics: Readonly<Record<string, StoredMetric>>;
  /** Plots for the chart pages. */
  readonly plots: readonly Plot[];
  /** Free-form notes (fit windows, sizes). */
  readonly notes: readonly string[];
  /** Wall-clock timing over repeats; null for error cells. */
  readonly timing: CellTiming | null;
  /** sha256 of the cell's deterministic outputs (params, status, accuracy metrics, plots, notes). */
  readonly digest: string;
}

/** One benchmark in a run. */
export interface StoredBenchmark {
  /** Benchmark id (= file name under benchmarks/). */
  readonly id: string;
  /** Benchmark version; results of different versions are not compared. */
  readonly version: number;
  /** Title. */
  readonly title: string;
  /** Where the prediction comes from. */
  readonly paperRef: string;
  /** Cells in grid order. */
  readonly cells: readonly StoredCell[];
}

/** Machine and software environment of a run. */
export interface Environment {
  /** Deno version. */
  readonly deno: string;
  /** V8 version. */
  readonly v8: string;
  /** TypeScript version. */
  readonly typescript: string;
  /** tfjs version. */
  readonly tfjs: string;
  /** tfjs backend: wasm, wasm-nosimd or cpu. */
  readonly backend: string;
  /** Whether the wasm SIMD build ran. */
  readonly simd: boolean;
  /** Custom kernels and gradients registered at start-up. */
  readonly kernels: readonly string[];
  /** CPU model (from /proc/cpuinfo). */
  readonly cpuModel: string;
  /** Logical cores. */
  readonly logicalCores: number;
  /** Total memory in bytes. */
  readonly totalMemoryBytes: number;
  /** Operating system. */
  readonly os: string;
  /** CPU architecture. */
  readonly arch: string;
}

/** The whole results document. */
export interface ResultsDocument {
  /** Schema version of this document. */
  readonly schemaVersion: number;
  /** Suite name and version. */
  readonly suite: { readonly name: string; readonly version: string };
  /** How the run was invoked. */
  readonly run: {
    readonly id: string;
    readonly startedAt: string;
    readonly endedAt: string;
    readonly argv: readonly string[];
    readonly quick: boolean;
    readonly seed: string;
    readonly filter: string | null;
    readonly repeats: number | null;
    readonly shard: { readonly index: number; readonly count: number } | null;
  };
  /** Where the code came from. */
  readonly source: {
    readonly commit: string | null;
    readonly dirty: boolean | null;
    readonly lockSha256: string | null;
  };
  /** Machine and software. */
  readonly environment: Environment;
  /** Benchmarks, in registry order. */
  readonly benchmarks: readonly StoredBenchmark[];
  /** Counts of cells by status and of judged references by verdict. */
  readonly summary: {
    readonly cells: number;
    readonly ok: number;
    readonly diverged: number;
    readonly error: number;
    readonly pass: number;
    readonly fail: number;
    readonly expectedBreak: number;
  };
}
