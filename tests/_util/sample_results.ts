import { runSuite } from "../../src/bench/run_suite.ts";
import { defineBenchmark } from "../../src/bench/types.ts";
import { canonicalJson } from "../../src/results/canonical_json.ts";
import {
  type ResultsDocument,
  SCHEMA_VERSION,
} from "../../src/results/types.ts";

/** A small benchmark used to build results documents in tests. */
export const sampleBenchmark = defineBenchmark({
  id: "sample",
  version: 1,
  title: "Sample",
  paperRef: "-",
  grid: { a: [1, 2] },
  metrics: {
    v: {
      unit: "1",
      better: "none",
      kind: "accuracy",
      description: "a + noise",
      references: { exact: { rule: "zscore", maxAbsZ: 10 } },
    },
  },
  run: (p, { rng }) => ({
    metrics: {
      v: {
        value: Number(p.a) + rng.normal(),
        stderr: 1,
        references: { exact: { value: Number(p.a) } },
      },
    },
    plots: [{
      id: "p",
      title: "P",
      xLabel: "x",
      yLabel: "y",
      lines: [{ label: "l", role: "measured", x: [1, 2], y: [3, 4] }],
    }],
  }),
});

/** Builds a valid results document (as parsed JSON) for tests to mutate. */
export async function sampleDocument(seed = 1n): Promise<ResultsDocument> {
  let t = 0;
  const suite = await runSuite([sampleBenchmark], {
    seed,
    quick: false,
    now: () => t++,
  });
  const doc: ResultsDocument = {
    schemaVersion: SCHEMA_VERSION,
    suite: { name: "sgd-limits", version: "0.0.0" },
    run: {
      id: "test-run",
      startedAt: "2026-01-01T00:00:00.000Z",
      endedAt: "2026-01-01T00:00:01.000Z",
      argv: [],
      quick: false,
      seed: seed.toString(),
      filter: null,
      repeats: null,
      shard: null,
    },
    source: { commit: null, dirty: null, lockSha256: null },
    environment: {
      deno: "2.9.6",
      v8: "x",
      typescript: "x",
      tfjs: "4.22.0",
      backend: "wasm",
      simd: true,
      kernels: [],
      cpuModel: "test",
      logicalCores: 2,
      totalMemoryBytes: 1,
      os: "linux",
      arch: "x86_64",
    },
    benchmarks: suite.benchmarks,
    summary: suite.summary,
  };
  return JSON.parse(canonicalJson(doc));
}
