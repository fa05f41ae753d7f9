import { defineBenchmark } from "../src/bench/types.ts";
import type {
  CellOutput,
  MetricSpec,
  MetricValue,
  ParamGrid,
} from "../src/bench/types.ts";
import { prepareTrajectory } from "../src/io/trajectory_input.ts";
import {
  analyzeTrajectory,
  type TrajectoryAnalysis,
} from "../src/nn/trajectory_analysis.ts";
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
} from "../src/nn/trajectory_cells.ts";
import { activeBackend } from "../src/nn/training_cost.ts";
import { deriveSeed } from "../src/random/derive_seed.ts";
import { Rng } from "../src/random/rng.ts";

/** Folder of the stored fixture trajectories (relative to the project root). */
export const SWEEP_DIR = "fixtures/trajectories";
/** The default run of the sweep, and the command that writes it. */
export const DEFAULT_FIXTURE = "fmnist_r18w16_default";
/** Command that writes every sweep fixture (pretraining, projection directions, seven continuations). */
export const FIXTURE_COMMAND = `sh ${SWEEP_DIR}/make.sh`;

const ROOT = new URL("../", import.meta.url).pathname;

/** Folder names under fixtures/trajectories/ that hold a manifest (sorted); [] when the folder is missing. */
function discoverFixtures(): string[] {
  const names: string[] = [];
  try {
    for (const e of Deno.readDirSync(`${ROOT}${SWEEP_DIR}`)) {
      if (!e.isDirectory) continue;
      try {
        Deno.statSync(`${ROOT}${SWEEP_DIR}/${e.name}/manifest.json`);
        names.push(e.name);
      } catch { /* not a trajectory */ }
    }
  } catch { /* folder missing or unreadable: no fixtures */ }
  return names.sort();
}

const METRICS: Readonly<Record<string, MetricSpec>> = {
  ...PLATEAU_METRICS,
  ...SPEED_METRICS,
  ...EXPONENT_METRICS,
  ...HESSIAN_METRICS,
  ...PROJECTION_METRICS,
  ...COLLAPSE_METRICS,
};

/** Every declared metric, NaN (stored as null) where the cell kind does not provide it. */
function complete(cell: CellOutput): CellOutput {
  const metrics: Record<string, MetricValue> = {};
  for (const name of Object.keys(METRICS)) {
    metrics[name] = cell.metrics[name] ?? { value: NaN };
  }
  return { ...cell, metrics };
}

/** One analysed fixture: the trajectory analysis plus the loss series of both phases. */
interface AnalysedRun {
  readonly analysis: TrajectoryAnalysis;
  readonly pretrainLoss: Float64Array | null;
  readonly continuationLoss: Float64Array;
}

const memo = new Map<string, Promise<AnalysedRun>>();

/**
 * Memoised analysis of one fixture (shared by its own cell and the "all" cell). The random source (Lanczos
 * start, probes, bootstrap) is fixed per fixture, independent of the suite seed and of sharding, so a stored
 * trajectory always gives the same numbers.
 */
function analyse(name: string, quick: boolean): Promise<AnalysedRun> {
  const key = `${name}|${quick}`;
  let m = memo.get(key);
  if (m === undefined) {
    m = (async () => {
      const dir = `${ROOT}${SWEEP_DIR}/${name}`;
      let prepared;
      try {
        prepared = await prepareTrajectory(dir, quick ? 16 : 128);
      } catch (e) {
        const fix =
          `run ${FIXTURE_COMMAND} (it skips finished runs and resumes an interrupted one)`;
        throw new Error(
          `fixture missing or invalid: ${SWEEP_DIR}/${name} (${
            (e as Error).message
          }); ${fix}`,
        );
      }
      if (!prepared.manifest.complete) {
        prepared.dispose();
        throw new Error(
          `fixture ${SWEEP_DIR}/${name} is incomplete (${prepared.manifest.completedSteps}/${prepared.manifest.steps} steps): ` +
            `finish it with ${FIXTURE_COMMAND} (it resumes the interrupted run)`,
        );
      }
      try {
        const analysis = await analyzeTrajectory(prepared.input, {
          hessianK: quick ? 2 : 5,
          rng: Rng.fromSeed(deriveSeed(1n, ["nn_resnet_sweep", name])),
          now: () => performance.now(),
          hutchinsonSamples: quick ? 0 : 4,
          lanczosMaxIter: quick ? 6 : 30,
          bootstrapResamples: quick ? 200 : 1000,
          // HVPs on 2 wasm SIMD Workers (the trajectories were made with wasm SIMD too).
          ...(activeBackend() === "wasm"
            ? { hvpWorkers: { spec: prepared.manifest.model, workers: 2 } }
            : {}),
        });
        return {
          analysis,
          pretrainLoss: prepared.pretrainLoss?.loss ?? null,
          continuationLoss: prepared.input.lean.get("loss")!,
        };
      } finally {
        prepared.dispose();
      }
    })();
    memo.set(key, m);
  }
  return m;
}

function sweepGrid(quick: boolean): ParamGrid {
  const names = discoverFixtures();
  if (names.length === 0) return { run: [DEFAULT_FIXTURE] };
  if (quick) {
    return {
      run: [names.includes(DEFAULT_FIXTURE) ? DEFAULT_FIXTURE : names[0]!],
    };
  }
  return { run: names.length >= 2 ? [...names, "all"] : names };
}

/**
 * The full network benchmark: analyses the stored ResNet-18 (width 16, Fashion-MNIST) fixture trajectories
 * under fixtures/trajectories/ written by `deno task trajectory` — per run whether the loss had stopped falling
 * (last two tenths of pretraining and of the continuation), the speed plateau vs η²·trΣ/(S(1−β²)) (the
 * verdict), the exponent c with its bootstrap interval, top-5 Hessian eigenpairs with residuals (128 images,
 * ≤ 30 Lanczos steps, HVPs on 2 Workers) and the projections (from the generator's per-step projections when
 * the run has them); across runs ("all") the speed collapse (C15) and the exponents (C16). The grid is the set
 * of fixture folders found at start-up; when none is there, the single cell fails with "fixture missing: run
 * <command>". Quick mode analyses one fixture with a tiny Hessian budget (k = 2, 16 images, 6 Lanczos steps)
 * to check the pipeline on the stored data.
 */
export const nnResnetSweep = defineBenchmark({
  id: "nn_resnet_sweep",
  version: 2,
  title:
    "ResNet-18 trajectory sweep: speed vs η²trΣ/(S(1−β²)), collapse, exponents, Hessian",
  paperRef: "Kunin et al. 2024 §4–5 (theory.md §4.1–4.5, §5.3–5.4; C15, C16)",
  get grid() {
    return sweepGrid(false);
  },
  get quickGrid() {
    return sweepGrid(true);
  },
  metrics: METRICS,
  async run(params, ctx) {
    const run = String(params.run);
    const names = discoverFixtures();
    if (names.length === 0) {
      throw new Error(
        `fixture missing: ${SWEEP_DIR}/ has no trajectory; run ${FIXTURE_COMMAND}`,
      );
    }
    if (run === "all") {
      // One at a time: each analysis starts its own pair of HVP Workers.
      const analyses: TrajectoryAnalysis[] = [];
      for (const n of names) {
        analyses.push((await analyse(n, ctx.quick)).analysis);
      }
      return complete(collapseCell(analyses));
    }
    const r = await analyse(run, ctx.quick);
    const a = r.analysis;
    const cells = [
      plateauCell(r.pretrainLoss, r.continuationLoss),
      speedCell(a),
      exponentCell(a),
      hessianCell(a),
      projectionsCell(a),
    ];
    return complete({
      metrics: Object.assign({}, ...cells.map((c) => c.metrics)),
      plots: cells.flatMap((c) => [...(c.plots ?? [])]),
      notes: [
        ...(ctx.quick
          ? [
            "Quick mode: pipeline check on the stored fixture with k = 2, 16 images, 6 Lanczos steps, no Hutchinson",
          ]
          : []),
        ...new Set(cells.flatMap((c) => [...(c.notes ?? [])])),
      ],
    });
  },
});
