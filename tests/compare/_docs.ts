import { runSuite } from "../../src/bench/run_suite.ts";
import type { BenchmarkDefinition } from "../../src/bench/types.ts";
import { defineBenchmark } from "../../src/bench/types.ts";
import { Rng } from "../../src/random/rng.ts";
import { canonicalJson } from "../../src/results/canonical_json.ts";
import {
  type Environment,
  type ResultsDocument,
  SCHEMA_VERSION,
} from "../../src/results/types.ts";
import { validateResults } from "../../src/results/validate.ts";

/** The environment of test documents. */
export const TEST_ENV: Environment = {
  deno: "2.9.6",
  v8: "x",
  typescript: "x",
  tfjs: "4.22.0",
  backend: "wasm",
  simd: true,
  kernels: [],
  cpuModel: "Test CPU",
  logicalCores: 2,
  totalMemoryBytes: 1,
  os: "linux",
  arch: "x86_64",
};

/** Options of {@linkcode makeDocument}. */
export interface DocOptions {
  readonly seed?: bigint;
  readonly quick?: boolean;
  readonly repeats?: number;
  readonly env?: Partial<Environment>;
  readonly runId?: string;
  readonly shard?: { readonly index: number; readonly count: number };
  readonly argv?: readonly string[];
  readonly startedAt?: string;
}

/** Runs test benchmarks through the real runner and wraps them in a valid results document. */
export async function makeDocument(
  defs: readonly BenchmarkDefinition[],
  o: DocOptions = {},
): Promise<ResultsDocument> {
  const seed = o.seed ?? 1n;
  let t = 0;
  const suite = await runSuite(defs, {
    seed,
    quick: o.quick ?? false,
    ...(o.repeats !== undefined ? { repeats: o.repeats } : {}),
    ...(o.shard !== undefined ? { shard: o.shard } : {}),
    now: () => t++,
  });
  const doc: ResultsDocument = {
    schemaVersion: SCHEMA_VERSION,
    suite: { name: "sgd-limits", version: "0.1.0" },
    run: {
      id: o.runId ?? `test-${seed}`,
      startedAt: o.startedAt ?? "2026-01-01T00:00:00.000Z",
      endedAt: "2026-01-01T00:00:01.000Z",
      argv: [...(o.argv ?? [])],
      quick: o.quick ?? false,
      seed: seed.toString(),
      filter: null,
      repeats: o.repeats ?? null,
      shard: o.shard ?? null,
    },
    source: {
      commit: "0".repeat(40),
      dirty: false,
      lockSha256: "1".repeat(64),
    },
    environment: { ...TEST_ENV, ...o.env },
    benchmarks: suite.benchmarks,
    summary: suite.summary,
  };
  return validateResults(JSON.parse(canonicalJson(doc)), "test");
}

/** Options of {@linkcode noisyBenchmark}. */
export interface NoisyOptions {
  readonly id?: string;
  readonly version?: number;
  /** The "theory constant": the exact prediction is `theory · a`. */
  readonly theory?: number;
  /** Shift of the measured mean, in units of the cell's stderr. */
  readonly shift?: number;
  readonly grid?: readonly number[];
}

/**
 * An accuracy benchmark: measures mean a + N(0, 1)/√n over n = 400 draws with stderr 1/√n, and predicts
 * `theory · a` (zscore rule, 4σ).
 */
export function noisyBenchmark(o: NoisyOptions = {}): BenchmarkDefinition {
  const theory = o.theory ?? 1;
  const shift = o.shift ?? 0;
  return defineBenchmark({
    id: o.id ?? "noisy",
    version: o.version ?? 1,
    title: "Noisy mean",
    paperRef: "-",
    grid: { a: [...(o.grid ?? [1, 2, 3])] },
    quickGrid: { a: [1] },
    metrics: {
      mean: {
        unit: "1",
        better: "none",
        kind: "accuracy",
        description: "sample mean",
        references: { exact: { rule: "zscore", maxAbsZ: 4 } },
      },
    },
    run(p, { rng }) {
      const n = 400;
      let s = 0;
      for (let i = 0; i < n; i++) s += rng.normal();
      const se = 1 / Math.sqrt(n);
      return {
        metrics: {
          mean: {
            value: Number(p.a) + s / n + shift * se,
            stderr: se,
            n,
            references: { exact: { value: theory * Number(p.a) } },
          },
        },
      };
    },
  });
}

/** Options of {@linkcode costBenchmark}. */
export interface CostOptions {
  readonly id?: string;
  /** Multiplies every timing sample. */
  readonly factor?: number;
  readonly better?: "lower" | "higher";
  /** Relative noise of the repeats. */
  readonly noise?: number;
  /** Seed of the repeat-to-repeat noise. */
  readonly noiseSeed?: bigint;
  readonly cells?: number;
}

/** A cost benchmark whose repeats are 10 ms · factor · (1 + noise·N(0, 1)), the noise drawn from its own stream. */
export function costBenchmark(o: CostOptions = {}): BenchmarkDefinition {
  const noise = Rng.fromSeed(o.noiseSeed ?? 99n);
  return defineBenchmark({
    id: o.id ?? "timed",
    version: 1,
    title: "Timed",
    paperRef: "-",
    grid: { k: Array.from({ length: o.cells ?? 1 }, (_, i) => i) },
    metrics: {
      ms: {
        unit: "ms",
        better: o.better ?? "lower",
        kind: "cost",
        description: "time",
      },
    },
    timing: { warmup: 0, repeats: 8 },
    run: () => ({
      metrics: {
        ms: {
          value: 10 * (o.factor ?? 1) *
            (1 + (o.noise ?? 0.02) * noise.normal()),
        },
      },
    }),
  });
}
