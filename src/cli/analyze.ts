/**
 * `deno task analyze <trajectory dir> [<trajectory dir> …]`: analyses stored SGD trajectories of networks
 * (theory.md §4) and writes one standard results document: per run the speed plateau vs η²·trΣ/(S(1−β²)),
 * the anomalous exponent c with a bootstrap interval, the top-k Hessian eigenpairs with residuals and a
 * Hutchinson trace, projections on the eigenvectors; across runs the speed collapse (C15) and the exponents
 * (C16). Every input is read and validated before any work; bad input exits 2 with one line naming the file
 * (and tensor) and nothing is written.
 *
 * @module
 */
import { basename } from "node:path";
import { parseArgs } from "node:util";
import type { BenchmarkDefinition, CellOutput } from "../bench/types.ts";
import { writeFileAtomic, writeTextAtomic } from "../io/atomic_write.ts";
import { writeNpy } from "../formats/npy.ts";
import { sourceInfo } from "../io/environment.ts";
import { BACKEND_NAMES, type BackendName, initBackend } from "../nn/backend.ts";
import {
  analyzeTrajectory,
  type TrajectoryAnalysis,
} from "../nn/trajectory_analysis.ts";
import {
  type PreparedTrajectory,
  prepareTrajectory,
  TrajectoryInputError,
} from "../io/trajectory_input.ts";
import {
  COLLAPSE_METRICS,
  collapseCell,
  EXPONENT_METRICS,
  exponentCell,
  HESSIAN_METRICS,
  hessianCell,
  PLATEAU_METRICS,
  plateauCell,
  PROJECTION_METRICS,
  projectionsCell,
  SPEED_METRICS,
  speedCell,
} from "../nn/trajectory_cells.ts";
import { deriveSeed } from "../random/derive_seed.ts";
import { Rng } from "../random/rng.ts";
import { canonicalJson } from "../results/canonical_json.ts";
import { validateResults } from "../results/validate.ts";
import { checkNewFile } from "./_outputs.ts";
import { runDocument } from "./_run_document.ts";
import { parsePositiveInt, parseSeed } from "./args.ts";
import { CliError, EXIT, exitWithError, log, out } from "./error.ts";
import { summaryTable } from "./summary_table.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Help text of `deno task analyze`. */
export const ANALYZE_HELP =
  `Analyse stored SGD trajectories of networks and write one results JSON file.

USAGE:
  deno task analyze <trajectory dir> [<trajectory dir> ...] [OPTIONS]

OPTIONS:
  --hessian-k <n>           top Hessian eigenpairs by Lanczos, 1..200 (default 10)
  --hessian-images <n>      training examples for H and tr Σ (first n of the run's subset; default 1000).
                            Cost ∝ n: a ResNet-18 width-16 HVP takes ~1–2 min at 1000 images on wasm, and
                            Lanczos top-10 needs ~56 HVPs; use a few hundred images for a quick look
  --hutchinson-samples <n>  Rademacher probes for tr H, 0..1000 (default 10)
  --window <a:b>            exponent fit window in steps (default the last two thirds of the run)
  --seed <n>                seed of the Lanczos start, probes and bootstrap (default 1)
  --backend <name>          tfjs backend: wasm (SIMD, default), wasm-nosimd, cpu
  --workers <n>             wasm SIMD Workers sharing the Hessian-vector products, 1..64 (default 2; wasm
                            backend only — other backends compute them in this process)
  --out <file>              results file to create; must not exist (default results/runs/<run id>.json)
  --eigenvectors-out <f>    also write the top-k Hessian eigenvectors at θ₀ as float32 .npy [k, P] (one
                            trajectory only; must not exist) and print their eigenvalues — the
                            --directions/--eigenvalues of \`deno task trajectory\`
  --verbose                 print error causes and stacks
  -h, --help                show this help

EXIT CODES:
  0 done, every verdict passed (or broke where expected)     1 an analysis failed
  2 bad flags or input (nothing written)                     3 a verdict failed`;

/** Parsed flags of `deno task analyze`. */
export interface AnalyzeArgs {
  readonly help: boolean;
  readonly dirs: readonly string[];
  readonly hessianK: number;
  readonly hessianImages: number;
  readonly hutchinsonSamples: number;
  readonly window: readonly [number, number] | undefined;
  readonly seed: bigint;
  readonly backend: BackendName;
  readonly out: string | undefined;
  readonly eigenvectorsOut: string | undefined;
  readonly workers: number;
}

/**
 * Parses the flags of `deno task analyze`.
 *
 * @param argv Arguments after the command.
 * @returns Typed flags.
 * @throws {CliError} For unknown flags or malformed values.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseAnalyzeArgs } from "./analyze.ts";
 *
 * const a = parseAnalyzeArgs(["results/trajectories/run", "--hessian-k", "5", "--window", "100:1000"]);
 * assert.deepEqual([a.dirs, a.hessianK, a.hessianImages, a.window], [["results/trajectories/run"], 5, 1000, [100, 1000]]);
 * assert.throws(() => parseAnalyzeArgs([]), /missing trajectory folder/);
 * ```
 */
export function parseAnalyzeArgs(argv: readonly string[]): AnalyzeArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        help: { type: "boolean", short: "h" },
        verbose: { type: "boolean" },
        "hessian-k": { type: "string" },
        "hessian-images": { type: "string" },
        "hutchinson-samples": { type: "string" },
        window: { type: "string" },
        seed: { type: "string" },
        backend: { type: "string" },
        out: { type: "string" },
        "eigenvectors-out": { type: "string" },
        workers: { type: "string" },
      },
    });
  } catch (e) {
    throw new CliError(`${(e as Error).message.split("\n")[0]} (see --help)`);
  }
  const v = parsed.values;
  const backend = v.backend ?? "wasm";
  if (!(BACKEND_NAMES as readonly string[]).includes(backend)) {
    throw new CliError(
      `invalid --backend "${backend}": expected one of ${
        BACKEND_NAMES.join(", ")
      }`,
    );
  }
  if (v.out !== undefined && v.out.trim() === "") {
    throw new CliError("invalid --out: empty path");
  }
  let window: [number, number] | undefined;
  if (v.window !== undefined) {
    const m = /^([0-9]+):([0-9]+)$/.exec(v.window);
    if (!m || Number(m[1]) < 1 || Number(m[2]) <= Number(m[1])) {
      throw new CliError(
        `invalid --window "${v.window}": expected a:b with 1 ≤ a < b (steps)`,
      );
    }
    window = [Number(m[1]), Number(m[2])];
  }
  const eigenvectorsOut = v["eigenvectors-out"];
  if (eigenvectorsOut !== undefined) {
    if (eigenvectorsOut.trim() === "" || !eigenvectorsOut.endsWith(".npy")) {
      throw new CliError(
        `invalid --eigenvectors-out "${eigenvectorsOut}": expected a path ending in .npy`,
      );
    }
    if (parsed.positionals.length > 1) {
      throw new CliError(
        "--eigenvectors-out takes exactly one trajectory folder",
      );
    }
  }
  const samples = v["hutchinson-samples"];
  const help = v.help ?? false;
  if (!help && parsed.positionals.length === 0) {
    throw new CliError("missing trajectory folder (see --help)");
  }
  return {
    help,
    dirs: parsed.positionals,
    hessianK: v["hessian-k"] === undefined
      ? 10
      : parsePositiveInt("--hessian-k", v["hessian-k"], 200),
    hessianImages: v["hessian-images"] === undefined
      ? 1000
      : parsePositiveInt("--hessian-images", v["hessian-images"], 60000),
    hutchinsonSamples: samples === undefined
      ? 10
      : samples === "0"
      ? 0
      : parsePositiveInt("--hutchinson-samples", samples, 1000),
    window,
    seed: v.seed === undefined ? 1n : parseSeed(v.seed),
    backend: backend as BackendName,
    out: v.out,
    eigenvectorsOut,
    workers: v.workers === undefined
      ? 2
      : parsePositiveInt("--workers", v.workers, 64),
  };
}

/**
 * The benchmark definitions of an analysis document: `analyze_speed`, `analyze_exponent`, `analyze_hessian`,
 * `analyze_projections`, `analyze_loss_plateau` (one cell per run) and, with several runs, `analyze_collapse`
 * (one cell).
 *
 * @param names Run names (cell keys), unique.
 * @param analysis Memoised analysis of run i.
 * @param losses Batch losses of run i: pretraining (null when not recorded) and continuation.
 * @returns The definitions.
 */
export function analysisBenchmarks(
  names: readonly string[],
  analysis: (index: number) => Promise<TrajectoryAnalysis>,
  losses: (index: number) => {
    readonly pretrain: ArrayLike<number> | null;
    readonly continuation: ArrayLike<number>;
  },
): BenchmarkDefinition[] {
  const grid = { run: [...names] };
  const cell =
    (f: (a: TrajectoryAnalysis) => CellOutput) =>
    async (params: Readonly<Record<string, unknown>>): Promise<CellOutput> =>
      f(await analysis(names.indexOf(String(params.run))));
  const defs: BenchmarkDefinition[] = [
    {
      id: "analyze_speed",
      version: 1,
      title: "Network trajectory: speed plateau vs η²·trΣ/(S(1−β²))",
      paperRef: "theory.md §4.1 (C15 per run)",
      grid,
      metrics: SPEED_METRICS,
      run: cell(speedCell),
    },
    {
      id: "analyze_exponent",
      version: 1,
      title: "Network trajectory: anomalous exponent c of ‖θ_k − θ₀‖²",
      paperRef: "theory.md §4.4, §5.4 (C12, C16)",
      grid,
      metrics: EXPONENT_METRICS,
      run: cell(exponentCell),
    },
    {
      id: "analyze_hessian",
      version: 2,
      title: "Network trajectory: top-k Hessian eigenpairs (Lanczos) and tr H",
      paperRef: "theory.md §4.5",
      grid,
      metrics: HESSIAN_METRICS,
      run: cell(hessianCell),
    },
    {
      id: "analyze_projections",
      version: 2,
      title: "Network trajectory: projections on Hessian eigenvectors",
      paperRef: "theory.md §4.2–4.3 (C3, C4, C9)",
      grid,
      metrics: PROJECTION_METRICS,
      run: cell(projectionsCell),
    },
    {
      id: "analyze_loss_plateau",
      version: 1,
      title:
        "Network trajectory: did the loss stop falling (pretraining, continuation)?",
      paperRef: "theory.md §5.1 (the protocol starts after convergence)",
      grid,
      metrics: PLATEAU_METRICS,
      run: (params) => {
        const l = losses(names.indexOf(String(params.run)));
        return plateauCell(l.pretrain, l.continuation);
      },
    },
  ];
  if (names.length >= 2) {
    defs.push({
      id: "analyze_collapse",
      version: 1,
      title:
        "Network trajectories: speed collapse and exponent trend across runs",
      paperRef: "theory.md §4.1, §5.4 (C15, C16)",
      grid: { runs: [names.length] },
      metrics: COLLAPSE_METRICS,
      run: async () =>
        collapseCell(
          await Promise.all(names.map((_, i) => analysis(i))),
        ),
    });
  }
  return defs;
}

function runId(startedAt: Date, commit: string | null): string {
  const t = startedAt.toISOString().replace(/[-:]/g, "").replace(
    /\.\d+Z$/,
    "Z",
  );
  return `${t}-${commit ? commit.slice(0, 8) : "nogit"}-analyze-${
    crypto.randomUUID().slice(0, 6)
  }`;
}

/**
 * Runs the command.
 *
 * @param argv Command-line arguments.
 * @returns The exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseAnalyzeArgs(argv);
  if (args.help) {
    out(ANALYZE_HELP);
    return EXIT.ok;
  }
  const startedAt = new Date();
  const source = await sourceInfo(ROOT);
  const id = runId(startedAt, source.commit);
  const outPath = args.out ?? `results/runs/${id}.json`;
  if (args.out === undefined) {
    try {
      await Deno.mkdir("results/runs", { recursive: true });
    } catch (e) {
      throw new CliError(`cannot create results/runs: ${(e as Error).message}`);
    }
  }
  await checkNewFile(outPath, "--out");
  if (args.eigenvectorsOut !== undefined) {
    await checkNewFile(args.eigenvectorsOut, "--eigenvectors-out");
  }
  try {
    await initBackend(args.backend);
  } catch (e) {
    throw new CliError((e as Error).message, EXIT.failure);
  }
  const prepared: PreparedTrajectory[] = [];
  try {
    for (const dir of args.dirs) {
      try {
        prepared.push(await prepareTrajectory(dir, args.hessianImages));
      } catch (e) {
        if (e instanceof TrajectoryInputError) {
          throw new CliError(e.message, EXIT.usage);
        }
        throw e;
      }
    }
    const names: string[] = [];
    for (const p of prepared) {
      let name = p.manifest.name.slice(0, 200);
      if (names.includes(name)) {
        name = `${name}_${basename(p.dir)}`.slice(0, 200);
      }
      while (names.includes(name)) name = `${name}_${names.length}`;
      names.push(name);
    }
    const memo = new Map<number, Promise<TrajectoryAnalysis>>();
    const analysis = (i: number): Promise<TrajectoryAnalysis> => {
      let m = memo.get(i);
      if (m === undefined) {
        const p = prepared[i]!;
        log(`analysing ${p.dir} (${names[i]})`);
        m = analyzeTrajectory({ ...p.input, name: names[i]! }, {
          hessianK: args.hessianK,
          hutchinsonSamples: args.hutchinsonSamples,
          rng: Rng.fromSeed(deriveSeed(args.seed, ["analyze", names[i]!])),
          now: () => performance.now(),
          ...(args.window !== undefined ? { exponentWindow: args.window } : {}),
          ...(args.backend === "wasm" && args.workers > 1
            ? {
              hvpWorkers: { spec: p.manifest.model, workers: args.workers },
            }
            : {}),
        });
        memo.set(i, m);
      }
      return m;
    };
    const doc = await runDocument({
      benchmarks: analysisBenchmarks(names, analysis, (i) => ({
        pretrain: prepared[i]!.pretrainLoss?.loss ?? null,
        continuation: prepared[i]!.input.lean.get("loss")!,
      })),
      id,
      startedAt,
      argv,
      source,
      backend: args.backend,
      seed: args.seed,
      quick: false,
      filter: null,
    });
    const text = canonicalJson(doc);
    validateResults(JSON.parse(text), outPath);
    await writeTextAtomic(outPath, text);
    if (args.eigenvectorsOut !== undefined) {
      const h = (await analysis(0)).hessian;
      const p = h.dim;
      const rows = new Float32Array(h.vectors.length * p);
      h.vectors.forEach((v, i) => rows.set(v, i * p));
      await writeFileAtomic(
        args.eigenvectorsOut,
        writeNpy({ dtype: "F32", shape: [h.vectors.length, p], data: rows }),
      );
      log(
        `${args.eigenvectorsOut}: ${h.vectors.length} eigenvectors at θ₀; --eigenvalues ${
          Array.from(h.values, (x) => x.toPrecision(7)).join(",")
        }`,
      );
    }
    out(summaryTable(doc.benchmarks));
    const s = doc.summary;
    out(
      `${s.cells} cells: ${s.ok} ok, ${s.diverged} diverged, ${s.error} error; verdicts: ${s.pass} pass, ` +
        `${s.fail} fail, ${s.expectedBreak} expected-break`,
    );
    out(outPath);
    if (s.error > 0) return EXIT.failure;
    if (s.fail > 0) return EXIT.verdict;
    return EXIT.ok;
  } finally {
    for (const p of prepared) p.dispose();
  }
}

if (import.meta.main) {
  const verbose = Deno.args.includes("--verbose");
  try {
    Deno.exit(await main(Deno.args));
  } catch (e) {
    exitWithError(e, verbose);
  }
}
