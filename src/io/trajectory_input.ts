/**
 * Loading a stored trajectory folder for analysis: validates the manifest, lean statistics, every checkpoint and
 * the training subset, and builds the network at θ₀ — the input of `analyzeTrajectory` (src/nn). Shared by
 * `deno task analyze` and the `nn_resnet_sweep` benchmark.
 *
 * @module
 */
import {
  BASE_LEAN_COLUMNS,
  listCheckpoints,
  type PretrainLoss,
  readCheckpointFile,
  readLeanStats,
  readPretrainLoss,
  readTrajectoryManifest,
  type TrajectoryManifest,
} from "./trajectory.ts";
import { padImages } from "../data/pad_images.ts";
import { normalizeImages } from "../data/normalize_images.ts";
import { oneHot } from "../data/one_hot.ts";
import { takeFirst } from "../data/take_first.ts";
import { loadImageDataset } from "./datasets.ts";
import { loadStateDict } from "../nn/checkpoint.ts";
import type { LossData } from "../nn/hessian.ts";
import type { Network } from "../nn/models/network.ts";
import { createModel } from "../nn/parallel/model_spec.ts";
import type { TrajectoryRunInput } from "../nn/trajectory_analysis.ts";
import {
  checkpointVectors,
  modelStateBytes,
} from "../nn/trajectory_checkpoint.ts";
import { Rng } from "../random/rng.ts";

/** Bad trajectory input: the message is one line naming the folder or file (and tensor). */
export class TrajectoryInputError extends Error {
  /**
   * @param message The one-line message.
   * @param options Optional cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TrajectoryInputError";
  }
}

/** A validated trajectory folder, ready to analyse. */
export interface PreparedTrajectory {
  /** Folder. */
  readonly dir: string;
  /** Its manifest. */
  readonly manifest: TrajectoryManifest;
  /** Run input for {@linkcode analyzeTrajectory} (owns `net`; call `dispose`). */
  readonly input: TrajectoryRunInput;
  /** Batch losses of the pretraining phase (null when the folder records none). */
  readonly pretrainLoss: PretrainLoss | null;
  /** Frees the network. */
  dispose(): void;
}

function inputError(e: unknown): TrajectoryInputError {
  if (e instanceof TrajectoryInputError) return e;
  const msg = e instanceof Error ? e.message.split("\n")[0]! : String(e);
  return new TrajectoryInputError(msg, { cause: e });
}

function checkFiniteColumns(
  dir: string,
  columns: ReadonlyMap<string, Float64Array>,
): void {
  for (const [name, values] of columns) {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) {
        throw new TrajectoryInputError(
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
 * @throws {TrajectoryInputError} With one line naming the file (and tensor) for any bad input.
 */
export async function prepareTrajectory(
  dir: string,
  hessianImages: number,
): Promise<PreparedTrajectory> {
  let manifest: TrajectoryManifest;
  let pretrainLoss: PretrainLoss | null;
  let lean;
  let refs;
  try {
    manifest = await readTrajectoryManifest(dir);
    lean = await readLeanStats(dir);
    pretrainLoss = await readPretrainLoss(dir);
    refs = await listCheckpoints(dir);
  } catch (e) {
    throw inputError(e);
  }
  checkFiniteColumns(dir, lean.columns);
  if (pretrainLoss !== null) {
    const bad = pretrainLoss.loss.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new TrajectoryInputError(
        `trajectory ${dir}: pretraining loss of step ${bad} in ${dir}/pretrain is ${
          pretrainLoss.loss[bad]
        }`,
      );
    }
  }
  if (lean.steps < 4) {
    throw new TrajectoryInputError(
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
      throw new TrajectoryInputError(
        `trajectory ${dir}: checkpoint of step ${s} listed in manifest.json is missing from ${dir}/checkpoints`,
      );
    }
  }
  for (const r of refs) {
    if (!manifest.checkpointSteps.includes(r.step)) {
      throw new TrajectoryInputError(
        `trajectory ${dir}: ${r.path} is not listed in manifest.json checkpointSteps`,
      );
    }
  }
  if (!onDisk.has(0)) {
    throw new TrajectoryInputError(
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
      throw new TrajectoryInputError(
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
    return {
      dir,
      manifest,
      input,
      pretrainLoss,
      dispose: () => netRef.dispose(),
    };
  } catch (e) {
    net.dispose();
    throw e;
  }
}
