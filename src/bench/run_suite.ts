import { Rng } from "../random/rng.ts";
import { cellDigest } from "../results/digest.ts";
import type {
  CellStatus,
  StoredBenchmark,
  StoredCell,
  StoredMetric,
} from "../results/types.ts";
import { benchmarkCells, type Cell } from "./cells.ts";
import { judgeMetric } from "./verdict.ts";
import type { BenchmarkDefinition, CellOutput } from "./types.ts";

/** Options of {@linkcode runSuite}. */
export interface SuiteOptions {
  /** Base seed; every cell's seed is derived from it, the benchmark id and the cell key. */
  readonly seed: bigint;
  /** Use quick grids and CI-size workloads. */
  readonly quick: boolean;
  /** Timed repeats per cell (overrides each benchmark's default; accuracy benchmarks default to 1). */
  readonly repeats?: number;
  /** Run only the cells of this shard: cell j (0-based, in registry and grid order) goes to shard j mod count + 1. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Monotonic clock in ms. */
  readonly now: () => number;
  /** Run only the cells this returns true for (applied after sharding), e.g. to re-verify cited cells. */
  readonly select?: (benchmarkId: string, key: string) => boolean;
  /** Called before and after each cell. */
  readonly onProgress?: (p: Progress) => void;
}

/** Progress of a suite run. */
export interface Progress {
  /** `start` before a cell runs, `end` after it. */
  readonly phase: "start" | "end";
  /** Cells finished so far. */
  readonly done: number;
  /** Cells in this run. */
  readonly total: number;
  /** Benchmark of the current cell. */
  readonly benchmarkId: string;
  /** Canonical key of the current cell. */
  readonly key: string;
  /** Milliseconds since the run started. */
  readonly elapsedMs: number;
  /** Estimated time left (null until one cell has finished). */
  readonly etaMs: number | null;
  /** Status of the cell just finished (on `end`). */
  readonly status?: CellStatus;
}

/** What {@linkcode runSuite} returns. */
export interface SuiteResult {
  /** Stored benchmarks, in run order. */
  readonly benchmarks: StoredBenchmark[];
  /** Counts of cells by status and of judged references by verdict. */
  readonly summary: {
    cells: number;
    ok: number;
    diverged: number;
    error: number;
    pass: number;
    fail: number;
    expectedBreak: number;
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function finiteOrNull(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? x : null;
}

interface Attempt {
  readonly output: CellOutput | null;
  readonly error: string | null;
  readonly ms: number;
}

async function attempt(
  def: BenchmarkDefinition,
  cell: Cell,
  quick: boolean,
  now: () => number,
): Promise<Attempt> {
  const ctx = { rng: Rng.fromSeed(cell.seed), seed: cell.seed, quick, now };
  const t0 = now();
  try {
    const output = await def.run(cell.params, ctx);
    return { output, error: null, ms: now() - t0 };
  } catch (e) {
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { output: null, error: msg, ms: now() - t0 };
  }
}

function storeCell(
  def: BenchmarkDefinition,
  cell: Cell,
  outputs: readonly CellOutput[],
  timing: StoredCell["timing"],
): Omit<StoredCell, "digest"> {
  const first = outputs[0]!;
  const status: CellStatus = first.diverged !== undefined ? "diverged" : "ok";
  const metrics: Record<string, StoredMetric> = {};
  for (const name of Object.keys(first.metrics)) {
    if (!(name in def.metrics)) {
      throw new TypeError(
        `Cannot store metric "${name}" as benchmark "${def.id}" does not declare it`,
      );
    }
  }
  for (const [name, spec] of Object.entries(def.metrics)) {
    const m = first.metrics[name];
    if (m === undefined) {
      if (status === "ok") {
        throw new TypeError(`Cannot store cell as metric "${name}" is missing`);
      }
      continue;
    }
    const samples = spec.kind === "cost"
      ? outputs.map((o) => o.metrics[name]?.value ?? NaN)
      : null;
    const finiteSamples = samples?.filter(Number.isFinite) ?? null;
    const value = spec.kind === "cost"
      ? (finiteSamples!.length ? median(finiteSamples!) : null)
      : finiteOrNull(m.value);
    metrics[name] = {
      value,
      unit: spec.unit,
      better: spec.better,
      kind: spec.kind,
      stderr: finiteOrNull(m.stderr),
      n: m.n ?? null,
      stderrMethod: m.stderrMethod ?? null,
      samples: finiteSamples,
      // A metric the cell could not measure (non-finite value, no predictions given) is stored as null, unjudged.
      references: status === "ok" &&
          (Number.isFinite(m.value) || m.references !== undefined)
        ? judgeMetric(spec, m)
        : {},
    };
  }
  const judged = Object.values(metrics).flatMap((m) =>
    Object.values(m.references)
  );
  const verdict = judged.length === 0
    ? "none"
    : judged.some((r) => r.verdict === "fail")
    ? "fail"
    : "pass";
  return {
    key: cell.key,
    params: cell.params,
    seed: cell.seed.toString(),
    status,
    message: first.diverged ?? null,
    verdict,
    metrics,
    plots: first.plots ?? [],
    notes: first.notes ?? [],
    timing,
  };
}

function errorCell(cell: Cell, message: string): Omit<StoredCell, "digest"> {
  return {
    key: cell.key,
    params: cell.params,
    seed: cell.seed.toString(),
    status: "error",
    message,
    verdict: "none",
    metrics: {},
    plots: [],
    notes: [],
    timing: null,
  };
}

/**
 * Runs benchmark cells and returns their stored form. Each cell runs `warmup` untimed times and `repeats`
 * timed times, each time with a fresh generator from the cell's derived seed; accuracy outputs must be
 * identical across repeats (else the cell is an `error`: nondeterminism), cost metrics keep every repeat's value
 * and store the median. A cell that throws is recorded as `error` and the sweep goes on; a cell that reports
 * divergence is recorded as `diverged`.
 *
 * @param defs The benchmarks to run, in order.
 * @param options Seed, quick flag, repeats, shard, clock and progress callback.
 * @returns Stored benchmarks and summary counts.
 *
 * @example Usage
 * ```ts
 * import { runSuite } from "./run_suite.ts";
 * import { defineBenchmark } from "./types.ts";
 * import assert from "node:assert/strict";
 *
 * const demo = defineBenchmark({
 *   id: "demo", version: 1, title: "Demo", paperRef: "-", grid: { n: [1, 2] },
 *   metrics: { sq: { unit: "1", better: "none", kind: "accuracy", description: "n²",
 *     references: { exact: { rule: "relative", maxRelError: 0 } } } },
 *   run: (p) => ({ metrics: { sq: { value: Number(p.n) ** 2, references: { exact: { value: Number(p.n) ** 2 } } } } }),
 * });
 * const r = await runSuite([demo], { seed: 1n, quick: false, now: () => 0 });
 * assert.equal(r.summary.pass, 2);
 * ```
 */
export async function runSuite(
  defs: readonly BenchmarkDefinition[],
  options: SuiteOptions,
): Promise<SuiteResult> {
  const { now, quick } = options;
  const plan: { def: BenchmarkDefinition; cells: Cell[] }[] = [];
  let j = 0;
  for (const def of defs) {
    const cells = benchmarkCells(def, { seed: options.seed, quick }).filter(
      (cell) => {
        const mine = !options.shard ||
          j % options.shard.count === options.shard.index - 1;
        j++;
        return mine && (options.select?.(def.id, cell.key) ?? true);
      },
    );
    plan.push({ def, cells });
  }
  const total = plan.reduce((s, p) => s + p.cells.length, 0);
  const start = now();
  let done = 0;
  const summary = {
    cells: 0,
    ok: 0,
    diverged: 0,
    error: 0,
    pass: 0,
    fail: 0,
    expectedBreak: 0,
  };
  const benchmarks: StoredBenchmark[] = [];
  for (const { def, cells } of plan) {
    const stored: StoredCell[] = [];
    const warmup = def.timing?.warmup ?? 0;
    const repeats = options.repeats ?? def.timing?.repeats ?? 1;
    for (const cell of cells) {
      const progress = (phase: "start" | "end", status?: CellStatus) => {
        const elapsedMs = now() - start;
        options.onProgress?.({
          phase,
          done,
          total,
          benchmarkId: def.id,
          key: cell.key,
          elapsedMs,
          etaMs: done > 0 ? (elapsedMs / done) * (total - done) : null,
          ...(status ? { status } : {}),
        });
      };
      progress("start");
      let partial: Omit<StoredCell, "digest">;
      const outputs: CellOutput[] = [];
      const times: number[] = [];
      let failure: string | null = null;
      for (let r = 0; r < warmup + repeats && failure === null; r++) {
        const a = await attempt(def, cell, quick, now);
        if (a.error !== null) failure = a.error;
        else if (r >= warmup) {
          outputs.push(a.output!);
          times.push(a.ms);
        }
      }
      if (failure !== null) partial = errorCell(cell, failure);
      else {
        const timing = {
          warmup,
          repeats,
          medianMs: median(times),
          minMs: Math.min(...times),
          maxMs: Math.max(...times),
        };
        try {
          partial = storeCell(def, cell, outputs, timing);
          // Every repeat must reproduce the accuracy outputs exactly (same seed ⇒ same numbers).
          const digests = new Set(
            outputs.map((o) => cellDigest(storeCell(def, cell, [o], null))),
          );
          if (digests.size > 1) {
            partial = errorCell(
              cell,
              `nondeterministic: ${digests.size} different outputs over ${repeats} repeats`,
            );
          }
        } catch (e) {
          partial = errorCell(
            cell,
            e instanceof Error ? `${e.name}: ${e.message}` : String(e),
          );
        }
      }
      const full: StoredCell = { ...partial, digest: cellDigest(partial) };
      stored.push(full);
      summary.cells++;
      summary[full.status]++;
      for (const m of Object.values(full.metrics)) {
        for (const ref of Object.values(m.references)) {
          if (ref.verdict === "pass") summary.pass++;
          else if (ref.verdict === "fail") summary.fail++;
          else summary.expectedBreak++;
        }
      }
      done++;
      progress("end", full.status);
    }
    if (cells.length > 0 || (!options.shard && !options.select)) {
      benchmarks.push({
        id: def.id,
        version: def.version,
        title: def.title,
        paperRef: def.paperRef,
        cells: stored,
      });
    }
  }
  return { benchmarks, summary };
}
