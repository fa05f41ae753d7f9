import { defineBenchmark } from "../src/bench/types.ts";
import type { CellOutput, MetricSpec, Plot } from "../src/bench/types.ts";
import { normalizeImages } from "../src/data/normalize_images.ts";
import { oneHot } from "../src/data/one_hot.ts";
import { loadImageDataset } from "../src/io/datasets.ts";
import { unflattenParams } from "../src/nn/flatten_params.ts";
import { createMlp } from "../src/nn/models/mlp.ts";
import { runContinuation } from "../src/nn/run_continuation.ts";
import { analyzeTrajectory } from "../src/nn/trajectory_analysis.ts";
import {
  EXPONENT_METRICS,
  exponentCell,
  HESSIAN_METRICS,
  hessianCell,
  PROJECTION_METRICS,
  projectionsCell,
  SPEED_METRICS,
  speedCell,
} from "../src/nn/trajectory_cells.ts";

const EXAMPLES = 1000;
const HIDDEN = 32;
/** Pretraining: a fast phase, then an annealing phase at the continuation's η so that θ₀ starts near stationarity. */
const PRETRAIN = [
  { steps: 600, eta: 0.1, beta: 0.9, batchSize: 32, weightDecay: 1e-4 },
  { steps: 300, eta: 0.01, beta: 0.9, batchSize: 32, weightDecay: 1e-4 },
] as const;

const METRICS: Readonly<Record<string, MetricSpec>> = {
  ...SPEED_METRICS,
  ...EXPONENT_METRICS,
  ...HESSIAN_METRICS,
  isotropyRatio: PROJECTION_METRICS.isotropyRatio!,
  velocityVarianceSlope: PROJECTION_METRICS.velocityVarianceSlope!,
};

function merge(cells: readonly CellOutput[]): CellOutput {
  const metrics = Object.assign({}, ...cells.map((c) => c.metrics));
  const plots: Plot[] = cells.flatMap((c) => [...(c.plots ?? [])]);
  const notes = [...new Set(cells.flatMap((c) => [...(c.notes ?? [])]))];
  return { metrics, plots, notes };
}

/**
 * End-to-end check of the network pipeline on CPU-sized data: a one-hidden-layer MLP on the first 1000 MNIST
 * training images is pretrained with momentum SGD, continued at a constant η with the buffer reset (the paper's
 * protocol, theory.md §5.1), and analysed in-process: speed plateau vs η²·trΣ/(S(1−β²)) with tr Σ from
 * per-example gradients at θ₀ (the only verdict), the anomalous exponent with a bootstrap interval, top-k
 * Hessian eigenpairs with residuals, and the projections' isotropy (informational).
 */
export const nnQuickLimitingDynamics = defineBenchmark({
  id: "nn_quick_limiting_dynamics",
  version: 2,
  title:
    "Network pipeline end to end: MLP on MNIST, speed vs η²trΣ/(S(1−β²)), exponent, Hessian",
  paperRef: "Kunin et al. 2024 §4 (theory.md §4.1, §4.4, §4.5; C15 per run)",
  grid: { eta: [0.005, 0.01, 0.02], batchSize: [32], steps: [800] },
  quickGrid: { eta: [0.01], batchSize: [32], steps: [400] },
  metrics: METRICS,
  async run(params, ctx) {
    const eta = Number(params.eta);
    const batchSize = Number(params.batchSize);
    const steps = Number(params.steps);
    const hp = { eta, beta: 0.9, batchSize, weightDecay: 1e-4 };
    const ds = await loadImageDataset("mnist", {
      split: "train",
      limit: EXAMPLES,
    });
    const x = normalizeImages(ds, "unit");
    const y = oneHot(ds.labels, 10);
    const net = createMlp({
      inputShape: [784],
      hidden: [HIDDEN],
      numClasses: 10,
    }, ctx.rng);
    try {
      const run = runContinuation(net, { x, y, count: ds.count }, {
        pretrain: PRETRAIN,
        hyperparameters: hp,
        steps,
        rng: ctx.rng,
        sampling: "with-replacement",
        // A uniform tail of checkpoints (every 4 steps over the last half) for the tail variances.
        extraCheckpoints: Array.from(
          { length: Math.floor(steps / 8) + 1 },
          (_, j) => Math.floor(steps / 2) + 4 * j,
        ),
      });
      const last = run.checkpointSteps[run.checkpointSteps.length - 1]!;
      const theta0 = run.checkpoints.get(0)!.theta;
      const a = await analyzeTrajectory({
        name: `eta=${eta}`,
        hyperparameters: hp,
        datasetSize: ds.count,
        sampling: "with-replacement",
        lean: run.lean,
        net,
        data: { x, y, count: ds.count },
        checkpointSteps: run.checkpointSteps,
        loadCheckpoint: (s) => run.checkpoints.get(s)!,
        withEndState: <T>(fn: () => T): Promise<T> => {
          unflattenParams(run.checkpoints.get(last)!.theta, net.params);
          try {
            return Promise.resolve(fn());
          } finally {
            unflattenParams(theta0, net.params);
          }
        },
      }, {
        hessianK: 5,
        rng: ctx.rng,
        now: ctx.now,
        hutchinsonSamples: 5,
        bootstrapResamples: 500,
      });
      const cell = merge([
        speedCell(a),
        exponentCell(a),
        hessianCell(a),
        projectionsCell(a),
      ]);
      const keep = new Set(Object.keys(METRICS));
      return {
        ...cell,
        metrics: Object.fromEntries(
          Object.entries(cell.metrics).filter(([k]) => keep.has(k)),
        ),
        notes: [
          `MLP 784→${HIDDEN}→10 (d = ${a.hessian.dim}) on the first ${EXAMPLES} MNIST training images (pixels/255); ` +
          `pretrain ${
            PRETRAIN.map((p) => `${p.steps} steps at η=${p.eta}`).join(" then ")
          } (β=0.9, S=32, λ=1e-4; ` +
          `final batch loss ${
            run.pretrainLoss.toFixed(4)
          }); continuation ${steps} steps at η=${eta}, β=0.9, ` +
          `S=${batchSize}, λ=1e-4 from θ₀ with b₀ = 0; batches of S indices drawn with replacement (i.i.d. batches, ` +
          `the noise model of the theory; epoch shuffles anti-correlate the ~31 batches of an epoch)`,
          ...(cell.notes ?? []),
        ],
      };
    } finally {
      net.dispose();
    }
  },
});
