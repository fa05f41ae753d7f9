/**
 * A small in-memory version of the paper's protocol (theory.md §5.1): pretrain a network with momentum SGD,
 * then continue from the pretrained point θ₀ at a constant η with the momentum buffer reset to 0, recording
 * the lean statistics of every continuation step and full checkpoints (θ_k, b_k) at log-spaced steps. For
 * quick benchmarks and tests; the stored, resumable version is `deno task trajectory`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { epochBatches } from "../data/batches.ts";
import type { Rng } from "../random/rng.ts";
import { flattenParams } from "./flatten_params.ts";
import { crossEntropyFromLogits } from "./kernels/cross_entropy_from_logits.ts";
import type { Network } from "./models/network.ts";
import { MomentumSgd } from "./momentum_sgd.ts";
import type {
  CheckpointVectors,
  RunHyperparameters,
} from "./trajectory_analysis.ts";

/** Options of {@linkcode runContinuation}. */
export interface RunContinuationOptions {
  /** Pretraining phases, run in order, each with a fresh momentum buffer (0 steps or [] to skip). */
  readonly pretrain:
    | (RunHyperparameters & { readonly steps: number })
    | readonly (RunHyperparameters & { readonly steps: number })[];
  /**
   * Batch sampling: `"epoch"` (shuffle every epoch, drop the last partial batch: sampling without replacement,
   * as the paper's runs) or `"with-replacement"` (S independent uniform indices per step: i.i.d. batches, the
   * noise model of the theory).
   *
   * @default {"epoch"}
   */
  readonly sampling?: "epoch" | "with-replacement";
  /** The constant-η continuation. */
  readonly hyperparameters: RunHyperparameters;
  /** Continuation steps K (integer ≥ 4). */
  readonly steps: number;
  /** Source of the batch order. */
  readonly rng: Rng;
  /** Extra checkpoint steps besides the log-spaced ones (e.g. a uniform tail for FFTs). */
  readonly extraCheckpoints?: readonly number[];
}

/** Result of {@linkcode runContinuation}. */
export interface ContinuationRun {
  /** Lean columns over k = 0…K−1: step, dispSq, stepSq, normSq, bufferNormSq, loss (trajectory format v1). */
  readonly lean: Map<string, Float64Array>;
  /** Checkpoint steps (0 and K included). */
  readonly checkpointSteps: number[];
  /** θ_k and b_k at the checkpoint steps. */
  readonly checkpoints: Map<number, CheckpointVectors>;
  /** Mean batch loss over the last 10 % of the last pretraining phase (NaN without pretraining). */
  readonly pretrainLoss: number;
}

/**
 * Log-spaced checkpoint steps 0, 1, 2, 3, 5, 8, … up to K (about 8 per decade, always including 0 and K).
 *
 * @param steps K (integer ≥ 1).
 * @returns Increasing steps.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { logSpacedSteps } from "./run_continuation.ts";
 *
 * const s = logSpacedSteps(100);
 * assert.equal(s[0], 0);
 * assert.equal(s[s.length - 1], 100);
 * ```
 */
export function logSpacedSteps(steps: number): number[] {
  const out = new Set<number>([0, steps]);
  for (let e = 0; e <= Math.log10(steps) * 8; e++) {
    const k = Math.round(10 ** (e / 8));
    if (k <= steps) out.add(k);
  }
  return [...out].sort((a, b) => a - b);
}

function sumSquares(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
}

/**
 * Pretrains `net` in place and runs the continuation, recording lean statistics (float64) and checkpoints in
 * memory. BatchNorm (if any) runs in training mode, as in PyTorch's `train()`. On return `net` holds θ₀ (the
 * pretrained point) again, so it can be handed to the analysis.
 *
 * @param net The network (modified: pretrained; BatchNorm running statistics updated).
 * @param data Training inputs `[N, ...inputShape]` and one-hot labels `[N, K]`, flattened.
 * @param options Phases, K and the random source; see {@linkcode RunContinuationOptions}.
 * @returns Lean statistics and checkpoints.
 * @throws {RangeError} When K < 4 or a batch size exceeds N.
 *
 * @example Lean statistics of a logistic regression run
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { oneHot } from "../data/one_hot.ts";
 * import { Rng } from "../random/rng.ts";
 * import { createMlp } from "./models/mlp.ts";
 * import { runContinuation } from "./run_continuation.ts";
 *
 * await tf.setBackend("cpu");
 * const rng = Rng.fromSeed(1n);
 * const x = Float32Array.from({ length: 60 }, () => rng.normal());
 * const y = oneHot(Array.from({ length: 20 }, (_, i) => (x[3 * i]! > 0 ? 1 : 0)), 2);
 * const net = createMlp({ inputShape: [3], hidden: [], numClasses: 2 }, rng);
 * const hp = { eta: 0.1, beta: 0.5, batchSize: 4, weightDecay: 0 };
 * const run = runContinuation(net, { x, y, count: 20 }, { pretrain: [], hyperparameters: hp, steps: 10, rng });
 * // ‖θ_{k+1} − θ_k‖² = η²‖b_{k+1}‖²
 * const step = run.lean.get("stepSq")!, buf = run.lean.get("bufferNormSq")!;
 * assert.ok(Math.abs(step[3]! - 0.01 * buf[4]!) < 1e-6 * step[3]!);
 * net.dispose();
 * ```
 */
export function runContinuation(
  net: Network,
  data: {
    readonly x: Float32Array;
    readonly y: Float32Array;
    readonly count: number;
  },
  options: RunContinuationOptions,
): ContinuationRun {
  const K = options.steps;
  if (!Number.isSafeInteger(K) || K < 4) {
    throw new RangeError(
      `Cannot run the continuation as steps must be an integer >= 4: steps=${K}`,
    );
  }
  const n = data.count;
  const k = net.numClasses;
  const xAll = tf.tensor(data.x, [n, ...net.inputShape], "float32");
  const yAll = tf.tensor2d(data.y, [n, k], "float32");
  const { rng } = options;
  let queue: Uint32Array[] = [];
  const nextBatch = (batchSize: number) => {
    if (batchSize > n) {
      throw new RangeError(
        `Cannot run the continuation as batchSize ${batchSize} exceeds the ${n} examples`,
      );
    }
    if (options.sampling === "with-replacement") {
      return Uint32Array.from({ length: batchSize }, () => rng.int(n));
    }
    if (queue.length === 0) {
      queue = epochBatches(n, rng, { batchSize }).reverse();
    }
    return queue.pop()!;
  };
  const lossFor = (idx: Uint32Array) => () => {
    const i = tf.tensor1d(Int32Array.from(idx), "int32");
    // Released by the caller's tf.variableGrads scope, after the backward pass.
    return crossEntropyFromLogits(
      net.forward(tf.gather(xAll, i), { training: true }),
      tf.gather(yAll, i),
    );
  };
  let pretrainLoss = NaN;
  try {
    const phases = Array.isArray(options.pretrain)
      ? options.pretrain
      : [options.pretrain as RunHyperparameters & { readonly steps: number }];
    for (const pre of phases) {
      if (pre.steps === 0) continue;
      queue = [];
      const sgd = new MomentumSgd(net.params, pre);
      let tail = 0;
      let tailCount = 0;
      for (let s = 0; s < pre.steps; s++) {
        const l = sgd.step(lossFor(nextBatch(pre.batchSize)));
        if (s >= pre.steps * 0.9) {
          tail += l;
          tailCount++;
        }
      }
      sgd.dispose();
      pretrainLoss = tail / tailCount;
    }
    queue = [];
    const hp = options.hyperparameters;
    const sgd = new MomentumSgd(net.params, hp);
    const names = [
      "step",
      "dispSq",
      "stepSq",
      "normSq",
      "bufferNormSq",
      "loss",
    ];
    const lean = new Map(names.map((c) => [c, new Float64Array(K)]));
    const col = (c: string) => lean.get(c)!;
    const checkpointSteps = [
      ...new Set([...logSpacedSteps(K), ...(options.extraCheckpoints ?? [])]),
    ].filter((s) => s >= 0 && s <= K).sort((a, b) => a - b);
    const wanted = new Set(checkpointSteps);
    const checkpoints = new Map<number, CheckpointVectors>();
    const theta0 = flattenParams(net.params);
    const saved = new Map(
      [...net.params].map(([name, v]) => [name, tf.clone(v)] as const),
    );
    const savedBuffers = new Map(
      [...net.buffers].map(([name, v]) => [name, tf.clone(v)] as const),
    );
    const savedCounters = new Map(net.counters);
    let theta = theta0;
    let buffer: Float32Array = new Float32Array(theta0.length);
    for (let s = 0; s <= K; s++) {
      if (wanted.has(s)) {
        checkpoints.set(s, { theta: theta.slice(), buffer: buffer.slice() });
      }
      if (s === K) break;
      const loss = sgd.step(lossFor(nextBatch(hp.batchSize)));
      const next = flattenParams(net.params);
      buffer = flattenParams(sgd.buffers);
      let disp = 0;
      let step = 0;
      for (let i = 0; i < next.length; i++) {
        disp += (theta[i]! - theta0[i]!) ** 2;
        step += (next[i]! - theta[i]!) ** 2;
      }
      col("step")[s] = s;
      col("dispSq")[s] = disp;
      col("stepSq")[s] = step;
      col("normSq")[s] = sumSquares(theta);
      // Row s holds b_s, the buffer before the step (b_0 = 0); the buffer after it enters row s + 1.
      if (s + 1 < K) col("bufferNormSq")[s + 1] = sumSquares(buffer);
      col("loss")[s] = loss;
      theta = next;
    }
    sgd.dispose();
    // Restore θ₀ and its BatchNorm statistics for the analysis.
    for (const [name, v] of net.params) v.assign(saved.get(name)!);
    for (const [name, v] of net.buffers) v.assign(savedBuffers.get(name)!);
    for (const [name, c] of savedCounters) net.counters.set(name, c);
    tf.dispose([...saved.values(), ...savedBuffers.values()]);
    return { lean, checkpointSteps, checkpoints, pretrainLoss };
  } finally {
    tf.dispose([xAll, yAll]);
  }
}
