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
  readonly value: number | null;
  readonly unit: string;
  readonly better: Better;
  readonly kind: MetricKind;
  readonly stderr: number | null;
  readonly n: number | null;
  readonly stderrMethod: string | null;
  /** Per-repeat values of `cost` metrics (the stored `value` is their median). */
  readonly samples: readonly number[] | null;
  readonly references: Readonly<Record<string, JudgedReference>>;
}

/** Wall-clock timing of a cell over its repeats. */
export interface CellTiming {
  readonly warmup: number;
  readonly repeats: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

/** One cell of a benchmark in a run. */
export interface StoredCell {
  readonly key: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Derived seed, as a decimal string (JSON has no 64-bit integers). */
  readonly seed: string;
  readonly status: CellStatus;
  /** Error or divergence message; null when ok. */
  readonly message: string | null;
  /** `pass` if every judged reference passed (or broke where expected), `fail` if any failed, `none` if none. */
  readonly verdict: "pass" | "fail" | "none";
  readonly metrics: Readonly<Record<string, StoredMetric>>;
  readonly plots: readonly Plot[];
  readonly notes: readonly string[];
  readonly timing: CellTiming | null;
  /** sha256 of the cell's deterministic outputs (params, status, accuracy metrics, plots, notes). */
  readonly digest: string;
}

/** One benchmark in a run. */
export interface StoredBenchmark {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly paperRef: string;
  readonly cells: readonly StoredCell[];
}

/** Machine and software environment of a run. */
export interface Environment {
  readonly deno: string;
  readonly v8: string;
  readonly typescript: string;
  readonly tfjs: string;
  readonly backend: string;
  readonly simd: boolean;
  readonly kernels: readonly string[];
  readonly cpuModel: string;
  readonly logicalCores: number;
  readonly totalMemoryBytes: number;
  readonly os: string;
  readonly arch: string;
}

/** The whole results document. */
export interface ResultsDocument {
  readonly schemaVersion: number;
  readonly suite: { readonly name: string; readonly version: string };
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
  readonly source: {
    readonly commit: string | null;
    readonly dirty: boolean | null;
    readonly lockSha256: string | null;
  };
  readonly environment: Environment;
  readonly benchmarks: readonly StoredBenchmark[];
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
