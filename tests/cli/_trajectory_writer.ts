// Test helper (not a test file): writes a small synthetic trajectory folder in format v1 (an MLP on an MNIST
// subset, pretrained and continued in-process) with the writers of src/io/trajectory.ts, so that the analyze
// CLI can be tested without the trajectory generator.
import { join } from "node:path";
import { tfDenseToTorch } from "../../src/formats/layout.ts";
import {
  readSafetensors,
  type SafetensorsInput,
  writeSafetensors,
} from "../../src/formats/safetensors.ts";
import { normalizeImages } from "../../src/data/normalize_images.ts";
import { oneHot } from "../../src/data/one_hot.ts";
import { loadImageDataset } from "../../src/io/datasets.ts";
import {
  BASE_LEAN_COLUMNS,
  checkpointPath,
  encodeLeanChunk,
  leanChunkPath,
  type TrajectoryManifest,
  writeTrajectoryManifest,
} from "../../src/io/trajectory.ts";
import { saveStateDict } from "../../src/nn/checkpoint.ts";
import { unflattenParams } from "../../src/nn/flatten_params.ts";
import { createMlp } from "../../src/nn/models/mlp.ts";
import { runContinuation } from "../../src/nn/run_continuation.ts";
import { momentumBufferName } from "../../src/nn/trajectory_checkpoint.ts";
import { Rng } from "../../src/random/rng.ts";

/** Settings of the synthetic trajectory. */
export const TINY = {
  limit: 256,
  hidden: [16],
  pretrain: { steps: 120, eta: 0.1, beta: 0.9, batchSize: 32, weightDecay: 0 },
  hyperparameters: { eta: 0.01, beta: 0.9, batchSize: 32, weightDecay: 1e-4 },
  steps: 96,
} as const;

/**
 * Writes a complete trajectory folder to `dir` (created) for an MLP on the first `TINY.limit` MNIST training
 * images (unit normalisation); `name` goes into the manifest. Returns the manifest.
 */
export async function writeTinyTrajectory(
  dir: string,
  name: string,
  seed = 3n,
  overrides: { eta?: number; batchSize?: number } = {},
): Promise<TrajectoryManifest> {
  const ds = await loadImageDataset("mnist", {
    split: "train",
    limit: TINY.limit,
  });
  const x = normalizeImages(ds, "unit");
  const y = oneHot(ds.labels, 10);
  const rng = Rng.fromSeed(seed);
  const net = createMlp({
    inputShape: [784],
    hidden: [...TINY.hidden],
    numClasses: 10,
  }, rng);
  const hp = { ...TINY.hyperparameters, ...overrides };
  const run = runContinuation(net, { x, y, count: ds.count }, {
    pretrain: TINY.pretrain,
    hyperparameters: hp,
    steps: TINY.steps,
    rng,
  });
  await Deno.mkdir(join(dir, "lean"), { recursive: true });
  await Deno.mkdir(join(dir, "checkpoints"), { recursive: true });
  // Lean rows in two chunks.
  const cols = BASE_LEAN_COLUMNS;
  const half = TINY.steps / 2;
  for (const [from, to] of [[0, half], [half, TINY.steps]] as const) {
    const rows = new Float64Array((to - from) * cols.length);
    for (let r = from; r < to; r++) {
      cols.forEach((
        c,
        j,
      ) => (rows[(r - from) * cols.length + j] = run.lean.get(c)![r]!));
    }
    await Deno.writeFile(
      leanChunkPath(dir, from),
      encodeLeanChunk(rows, cols.length),
    );
  }
  const theta0 = run.checkpoints.get(0)!.theta;
  for (const step of run.checkpointSteps) {
    const { theta, buffer } = run.checkpoints.get(step)!;
    unflattenParams(theta, net.params);
    const { tensors } = readSafetensors(saveStateDict(net, { step }));
    const all = new Map<string, SafetensorsInput>(tensors);
    let offset = 0;
    for (const [pname, v] of net.params) {
      const data = buffer.slice(offset, offset + v.size);
      offset += v.size;
      const t = { dtype: "F32" as const, shape: [...v.shape], data };
      all.set(momentumBufferName(pname), v.rank === 2 ? tfDenseToTorch(t) : t);
    }
    const bytes = writeSafetensors(all, {
      step: String(step),
      phase: "continuation",
    });
    await Deno.writeFile(checkpointPath(dir, step), bytes);
    if (step === 0) {
      await Deno.writeFile(join(dir, "pretrained.safetensors"), bytes);
    }
  }
  unflattenParams(theta0, net.params);
  const manifest: TrajectoryManifest = {
    format: "sgd-limits-trajectory",
    version: 1,
    name,
    model: {
      kind: "mlp",
      inputShape: [784],
      hidden: [...TINY.hidden],
      numClasses: 10,
    },
    data: {
      dataset: "mnist",
      split: "train",
      limit: TINY.limit,
      normalization: "unit",
      pad: 0,
    },
    pretrain: TINY.pretrain,
    hyperparameters: hp,
    seed: String(seed),
    steps: TINY.steps,
    checkpointSteps: run.checkpointSteps,
    parameterCount: net.parameterCount,
    flattenOrder:
      "torch named_parameters order, tfjs layout (src/nn/flatten_params.ts)",
    leanColumns: [...cols],
    projections: null,
    backend: "cpu",
    simd: false,
    kernels: [],
    workers: 1,
    source: { commit: null, dirty: null, lockSha256: null },
    completedSteps: TINY.steps,
    complete: true,
  };
  await writeTrajectoryManifest(dir, manifest);
  net.dispose();
  return manifest;
}
