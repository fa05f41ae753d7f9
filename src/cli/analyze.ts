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
import { padImages } from "../data/pad_images.ts";
import { normalizeImages } from "../data/normalize_images.ts";
import { oneHot } from "../data/one_hot.ts";
import { takeFirst } from "../data/take_first.ts";
import { writeTextAtomic } from "../io/atomic_write.ts";
import { loadImageDataset } from "../io/datasets.ts";
import { sourceInfo } from "../io/environment.ts";
import {
  BASE_LEAN_COLUMNS,
  listCheckpoints,
  readCheckpointFile,
  readLeanStats,
  readTrajectoryManifest,
  type TrajectoryManifest,
} from "../io/trajectory.ts";
import { BACKEND_NAMES, type BackendName, initBackend } from "../nn/backend.ts";
import { loadStateDict } from "../nn/checkpoint.ts";
import type { LossData } from "../nn/hessian.ts";
import type { Network } from "../nn/models/network.ts";
import { createModel } from "../nn/parallel/model_spec.ts";
import {
  analyzeTrajectory,
  type TrajectoryAnalysis,
  type TrajectoryRunInput,
} from "../nn/trajectory_analysis.ts";
import {
  COLLAPSE_METRICS,
  collapseCell,
  EXPONENT_METRICS,
  exponentCell,
  HESSIAN_METRICS,
  hessianCell,
  PROJECTION_METRICS,
  projectionsCell,
  SPEED_METRICS,
  speedCell,
} from "../nn/trajectory_cells.ts";
import {
  checkpointVectors,
  modelStateBytes,
} from "../nn/trajectory_checkpoint.ts";
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
  --out <file>              results file to create; must not exist (default results/runs/<run id>.json)
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
  };
}

/** A validated trajectory folder, ready to analyse. */
export interface PreparedTrajectory {
  /** Folder. */
  readonly dir: string;
  /** Its manifest. */
  readonly manifest: TrajectoryManifest;
  /** Run input for {@linkcode analyzeTrajectory} (owns `net`; call `dispose`). */
  readonly input: TrajectoryRunInput;
  /** Frees the network. */
  dispose(): void;
}

function inputError(e: unknown): CliError {
  if (e instanceof CliError) return e;
  const msg = e instanceof Error ? e.message.split("\n")[0]! : String(e);
  return new CliError(msg, EXIT.usage);
}

function checkFiniteColumns(
  dir: string,
  columns: ReadonlyMap<string, Float64Array>,
): void {
  for (const [name, values] of columns) {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) {
        throw new CliError(
          `trajectory ${dir}: lean column "${name}" has a non-finite value at step ${i}: ${
            values[i]
          }`,
        );
      }
    }
  }
}

/**
 * Reads and validates a trajectory folder (manifest, lean statistics, every checkpoint's names, shapes and
 * finiteness, the training subset), builds the network at θ₀ (checkpoint step 0) and returns the run input of
 * {@linkcode analyzeTrajectory}. The tfjs backend must be initialised.
 *
 * @param dir The trajectory folder.
 * @param hessianImages Number of training examples (from the start of the run's subset) for H and tr Σ.
 * @returns The prepared run.
 * @throws {CliError} (exit 2) With one line naming the file (and tensor) for any bad input.
 */
export async function prepareTrajectory(
  dir: string,
  hessianImages: number,
): Promise<PreparedTrajectory> {
  let manifest: TrajectoryManifest;
  let lean;
  let refs;
  try {
    manifest = await readTrajectoryManifest(dir);
    lean = await readLeanStats(dir);
    refs = await listCheckpoints(dir);
  } catch (e) {
    throw inputError(e);
  }
  checkFiniteColumns(dir, lean.columns);
  if (lean.steps < 4) {
    throw new CliError(
      `trajectory ${dir}: only ${lean.steps} completed steps, at least 4 are needed`,
    );
  }
  const expectedSteps = manifest.checkpointSteps.filter((s) =>
    s <= manifest.completedSteps
  );
  const onDisk = new Map(refs.map((r) => [r.step, r.path]));
  // pretrained.safetensors is the state at the end of pretraining, i.e. continuation step 0 (trajectory format
  // v1): runs written with `--checkpoints 1` keep θ₀ only there.
  const pretrained = `${dir}/pretrained.safetensors`;
  if (!onDisk.has(0)) {
    try {
      if ((await Deno.stat(pretrained)).isFile) onDisk.set(0, pretrained);
    } catch { /* absent: reported below */ }
  }
  for (const s of expectedSteps) {
    if (!onDisk.has(s) && (manifest.complete || s < manifest.completedSteps)) {
      throw new CliError(
        `trajectory ${dir}: checkpoint of step ${s} listed in manifest.json is missing from ${dir}/checkpoints`,
      );
    }
  }
  for (const r of refs) {
    if (!manifest.checkpointSteps.includes(r.step)) {
      throw new CliError(
        `trajectory ${dir}: ${r.path} is not listed in manifest.json checkpointSteps`,
      );
    }
  }
  if (!onDisk.has(0)) {
    throw new CliError(
      `trajectory ${dir}: the step-0 checkpoint (θ₀) is missing from ${dir}/checkpoints and there is no ${dir}/pretrained.safetensors`,
    );
  }
  let net: Network;
  try {
    net = createModel(manifest.model, Rng.fromSeed(0n));
  } catch (e) {
    throw inputError(e);
  }
  try {
    if (net.parameterCount !== manifest.parameterCount) {
      throw new CliError(
        `trajectory ${dir}: manifest.json parameterCount ${manifest.parameterCount} does not match the model (${net.parameterCount})`,
      );
    }
    const steps = [...onDisk.keys()].filter((s) => s <= lean.steps).sort((
      a,
      b,
    ) => a - b);
    // Validate every checkpoint before any work (names, shapes, dtypes, finiteness).
    let startBytes: Uint8Array | null = null;
    let endBytes: Uint8Array | null = null;
    for (const s of steps) {
      const path = onDisk.get(s)!;
      try {
        const { tensors } = await readCheckpointFile(path);
        checkpointVectors(net, tensors, path);
        if (s === 0) startBytes = modelStateBytes(tensors);
        if (s === steps[steps.length - 1]) endBytes = modelStateBytes(tensors);
      } catch (e) {
        throw inputError(e);
      }
    }
    try {
      loadStateDict(net, startBytes!);
    } catch (e) {
      throw inputError(
        new Error(`Cannot load ${onDisk.get(0)} as ${(e as Error).message}`),
      );
    }
    let data: LossData;
    try {
      const ds0 = await loadImageDataset(manifest.data.dataset, {
        split: "train",
        limit: manifest.data.limit,
      });
      const ds = padImages(
        takeFirst(ds0, Math.min(hessianImages, ds0.count)),
        manifest.data.pad,
      );
      const x = normalizeImages(ds, manifest.data.normalization);
      const size = net.inputShape.reduce((a, b) => a * b, 1);
      if (x.length !== ds.count * size) {
        throw new TypeError(
          `Cannot use the data of manifest.json as ${manifest.data.dataset} images padded by ${manifest.data.pad} ` +
            `are ${ds.height}×${ds.width}×${ds.channels}, the model expects [${net.inputShape}]`,
        );
      }
      data = { x, y: oneHot(ds.labels, net.numClasses), count: ds.count };
    } catch (e) {
      throw inputError(e);
    }
    const name = manifest.name;
    const netRef = net;
    const proj = manifest.projections;
    const stepProjections = proj === null ? undefined : {
      eigenvalues: proj.eigenvalues,
      // The projection columns follow the base columns, in direction order.
      series: manifest.leanColumns.slice(BASE_LEAN_COLUMNS.length).map((c) =>
        lean.columns.get(c)!
      ),
    };
    const input: TrajectoryRunInput = {
      name,
      hyperparameters: manifest.hyperparameters,
      datasetSize: manifest.data.limit,
      sampling: "without-replacement",
      lean: lean.columns,
      net,
      data,
      dataDescription:
        `Run ${name} (${dir}): ${manifest.model.kind} ${
          JSON.stringify(manifest.model)
        }; data ${manifest.data.dataset} train, first ${manifest.data.limit} images, "${manifest.data.normalization}" ` +
        `normalisation, padded by ${manifest.data.pad}; ${manifest.workers} data-parallel worker(s) (BatchNorm ` +
        `statistics per worker shard); continuation ${manifest.completedSteps}/${manifest.steps} steps at ` +
        `η=${manifest.hyperparameters.eta}, β=${manifest.hyperparameters.beta}, S=${manifest.hyperparameters.batchSize}, ` +
        `λ=${manifest.hyperparameters.weightDecay}; batches by epoch shuffles`,
      checkpointSteps: steps,
      ...(stepProjections !== undefined ? { stepProjections } : {}),
      loadCheckpoint: async (step) => {
        const path = onDisk.get(step)!;
        const { tensors } = await readCheckpointFile(path);
        return checkpointVectors(netRef, tensors, path);
      },
      withEndState: async <T>(fn: () => T): Promise<T> => {
        loadStateDict(netRef, endBytes!);
        try {
          return await fn();
        } finally {
          loadStateDict(netRef, startBytes!);
        }
      },
    };
    return { dir, manifest, input, dispose: () => netRef.dispose() };
  } catch (e) {
    net.dispose();
    throw e;
  }
}

/**
 * The benchmark definitions of an analysis document: `analyze_speed`, `analyze_exponent`, `analyze_hessian`,
 * `analyze_projections` (one cell per run) and, with several runs, `analyze_collapse` (one cell).
 *
 * @param names Run names (cell keys), unique.
 * @param analysis Memoised analysis of run i.
 * @returns The definitions.
 */
export function analysisBenchmarks(
  names: readonly string[],
  analysis: (index: number) => Promise<TrajectoryAnalysis>,
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
      version: 1,
      title: "Network trajectory: top-k Hessian eigenpairs (Lanczos) and tr H",
      paperRef: "theory.md §4.5",
      grid,
      metrics: HESSIAN_METRICS,
      run: cell(hessianCell),
    },
    {
      id: "analyze_projections",
      version: 1,
      title: "Network trajectory: projections on Hessian eigenvectors",
      paperRef: "theory.md §4.2–4.3 (C3, C4, C9)",
      grid,
      metrics: PROJECTION_METRICS,
      run: cell(projectionsCell),
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
  try {
    await initBackend(args.backend);
  } catch (e) {
    throw new CliError((e as Error).message, EXIT.failure);
  }
  const prepared: PreparedTrajectory[] = [];
  try {
    for (const dir of args.dirs) {
      prepared.push(await prepareTrajectory(dir, args.hessianImages));
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
        });
        memo.set(i, m);
      }
      return m;
    };
    const doc = await runDocument({
      benchmarks: analysisBenchmarks(names, analysis),
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
