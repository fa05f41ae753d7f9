import { runSuite } from "../../src/bench/run_suite.ts";
import { defineBenchmark } from "../../src/bench/types.ts";
import { canonicalJson } from "../../src/results/canonical_json.ts";
import { validateResults } from "../../src/results/validate.ts";
import {
  type ResultsDocument,
  SCHEMA_VERSION,
} from "../../src/results/types.ts";

/** Script-injection payloads placed in every free-text field of the demo results. */
export const EVIL_SCRIPT = "</script><script>alert(1)</script>";
export const EVIL_IMG = `<img src=x onerror="alert(2)">`;
export const EVIL_MIXED = `x & y <!-- \u2028 \u2029 </SCRIPT >`;

/** Options of {@linkcode demoBenchmark}. */
export interface DemoOptions {
  /** Added to the measured value: a non-zero shift changes the accuracy digest (a "machine" disagreeing). */
  readonly shift?: number;
  /** Cost metric value (ms) returned by every repeat. */
  readonly cost?: number;
  /** Benchmark version. */
  readonly version?: number;
  /** Put the injection payloads into titles, labels, params, notes and messages. */
  readonly evil?: boolean;
}

/**
 * A benchmark exercising every page element: accuracy and cost metrics, references judged pass /
 * expected-break, a diverged cell, and plots with every line role, stderr, log axes and a scatter plot.
 */
export function demoBenchmark(opts: DemoOptions = {}) {
  const evil = opts.evil ?? false;
  const tag = evil ? ` ${EVIL_SCRIPT}` : "";
  return defineBenchmark({
    id: "report_demo",
    version: opts.version ?? 1,
    title: `Report demo${evil ? ` ${EVIL_IMG}` : ""}`,
    paperRef: `demo ref${evil ? ` ${EVIL_MIXED}` : ""}`,
    grid: { eta: [0.1, 0.2, 9], label: [evil ? EVIL_IMG : "plain"] },
    metrics: {
      speed: {
        unit: "1",
        better: "none",
        kind: "accuracy",
        description: "demo accuracy metric",
        references: {
          exact: { rule: "zscore", maxAbsZ: 1e6 },
          continuous: { rule: "budget", maxAbsZ: 0 },
        },
      },
      time: {
        unit: "ms",
        better: "lower",
        kind: "cost",
        description: "demo cost metric",
      },
    },
    timing: { warmup: 0, repeats: 2 },
    run(p, { rng }) {
      const eta = Number(p.eta);
      if (eta > 1) return { metrics: {}, diverged: `unstable${tag}` };
      const value = eta * eta + 0.001 * rng.normal() + (opts.shift ?? 0);
      const k = [1, 10, 100, 1000];
      return {
        metrics: {
          speed: {
            value,
            stderr: 0.001,
            n: 16,
            stderrMethod: `chains${tag}`,
            references: {
              exact: { value: eta * eta },
              continuous: {
                value: eta * eta * 0.5,
                budget: 0.01,
                expectedBreak: `too far from the limit${tag}`,
              },
            },
          },
          time: { value: opts.cost ?? 10 },
        },
        plots: [
          {
            id: "msd",
            title: `Distance from start${tag}`,
            xLabel: `step k${tag}`,
            yLabel: "msd",
            xLog: true,
            yLog: true,
            lines: [
              {
                label: `measured${tag}`,
                role: "measured",
                x: [0, ...k],
                y: [0, ...k.map((x) => eta * x ** 0.8)],
                stderr: [0, ...k.map((x) => 0.1 * eta * x ** 0.8)],
              },
              {
                label: `exact${evil ? ` ${EVIL_IMG}` : ""}`,
                role: "exact",
                x: k,
                y: k.map((x) => eta * x ** 0.8),
              },
              {
                label: `continuous${evil ? ` ${EVIL_MIXED}` : ""}`,
                role: "continuous",
                x: k,
                y: k.map((x) => 1.1 * eta * x ** 0.8),
              },
              { label: "fit", role: "fit", x: k, y: k.map((x) => eta * x) },
            ],
          },
          {
            id: "phase",
            title: "Phase portrait",
            xLabel: "θ",
            yLabel: "v",
            type: "scatter",
            lines: [
              {
                label: "trajectory",
                role: "measured",
                x: [0.1, 0.2, -0.1],
                y: [0.3, -0.2, 0.1],
              },
              {
                label: "stationary ellipse",
                role: "exact",
                x: [1, 0, -1, 0, 1],
                y: [0, 1, 0, -1, 0],
              },
              { label: "other", role: "other", x: [0], y: [0] },
            ],
          },
        ],
        notes: [`demo note${tag}`],
      };
    },
  });
}

/** Options of {@linkcode demoDocument}. */
export interface DemoDocumentOptions extends DemoOptions {
  readonly id: string;
  readonly startedAt: string;
  readonly seed?: bigint;
  readonly commit?: string | null;
  readonly dirty?: boolean | null;
  readonly cpuModel?: string;
  readonly logicalCores?: number;
  readonly quick?: boolean;
  /** Keep only cells whose key passes (a shard or filtered run). */
  readonly select?: (key: string) => boolean;
}

/** A commit hash for tests: `c` repeated. */
export function commitOf(c: string): string {
  return c.repeat(40).slice(0, 40);
}

/** Builds a valid results document (validated, as parsed from canonical JSON) running the demo benchmark. */
export async function demoDocument(
  o: DemoDocumentOptions,
): Promise<ResultsDocument> {
  let t = 0;
  const seed = o.seed ?? 1n;
  const quick = o.quick ?? false;
  const suite = await runSuite([demoBenchmark(o)], {
    seed,
    quick,
    now: () => (t += 5),
  });
  const select = o.select;
  if (select !== undefined) {
    // A filtered run: keep the selected cells and recount the summary the validator checks.
    const cells = suite.benchmarks[0]!.cells.filter((c) => select(c.key));
    suite.benchmarks[0] = { ...suite.benchmarks[0]!, cells };
    const s = suite.summary;
    s.cells = cells.length;
    s.ok = cells.filter((c) => c.status === "ok").length;
    s.diverged = cells.filter((c) => c.status === "diverged").length;
    s.error = cells.filter((c) => c.status === "error").length;
    const verdicts = cells.flatMap((c) =>
      Object.values(c.metrics).flatMap((m) =>
        Object.values(m.references).map((r) => r.verdict)
      )
    );
    s.pass = verdicts.filter((v) => v === "pass").length;
    s.fail = verdicts.filter((v) => v === "fail").length;
    s.expectedBreak = verdicts.filter((v) => v === "expected-break").length;
  }
  const doc: ResultsDocument = {
    schemaVersion: SCHEMA_VERSION,
    suite: { name: "sgd-limits", version: "0.0.0" },
    run: {
      id: o.id,
      startedAt: o.startedAt,
      endedAt: o.startedAt,
      argv: [],
      quick,
      seed: seed.toString(),
      filter: null,
      repeats: null,
      shard: null,
    },
    source: {
      commit: o.commit === undefined ? commitOf("a") : o.commit,
      dirty: o.dirty === undefined ? false : o.dirty,
      lockSha256: null,
    },
    environment: {
      deno: "2.9.6",
      v8: "x",
      typescript: "x",
      tfjs: "4.22.0",
      backend: "wasm",
      simd: true,
      kernels: [],
      cpuModel: o.cpuModel ?? (o.evil ? `cpu ${EVIL_IMG}` : "Test CPU"),
      logicalCores: o.logicalCores ?? 2,
      totalMemoryBytes: 1,
      os: "linux",
      arch: "x86_64",
    },
    benchmarks: suite.benchmarks,
    summary: suite.summary,
  };
  return validateResults(JSON.parse(canonicalJson(doc)), o.id);
}

/**
 * Four runs: commit a on machines A and B (same numbers), commit a on machine C (a shifted value: digest
 * mismatch), and a later commit b; plus one evil run if asked.
 */
export async function demoRuns(): Promise<
  { path: string; doc: ResultsDocument }[]
> {
  return [
    {
      path: "results/runs/b.json",
      doc: await demoDocument({
        id: "run-b",
        startedAt: "2026-01-01T10:00:00Z",
        cpuModel: "CPU B",
        cost: 20,
      }),
    },
    {
      path: "results/runs/a.json",
      doc: await demoDocument({
        id: "run-a",
        startedAt: "2026-01-01T09:00:00.5Z",
        cpuModel: "CPU A",
        cost: 10,
      }),
    },
    {
      path: "results/runs/c.json",
      doc: await demoDocument({
        id: "run-c",
        startedAt: "2026-01-01T11:00:00Z",
        cpuModel: "CPU C",
        shift: 1e-3,
        cost: 30,
      }),
    },
    {
      path: "results/runs/d.json",
      doc: await demoDocument({
        id: "run-d",
        startedAt: "2026-01-02T08:00:00Z",
        commit: commitOf("b"),
        cpuModel: "CPU A",
        cost: 12,
      }),
    },
  ];
}

/** Writes a document as a results file (canonical JSON). */
export async function writeDocument(
  path: string,
  doc: ResultsDocument,
): Promise<void> {
  await Deno.writeTextFile(path, canonicalJson(doc));
}
