/**
 * Data-parallel momentum SGD over Deno Workers, each running its own tfjs wasm SIMD instance.
 *
 * @module
 */

import type { FromWorker, ToWorker } from "./_worker.ts";
import type { ModelSpec } from "./model_spec.ts";
import { nextReply, startWorkers, type WorkerReady } from "./_workers.ts";

/** Hyperparameters and worker count of {@linkcode DataParallelSgd}. */
export interface DataParallelSgdOptions {
  /** Number of Workers n (≥ 1); the batch is split into n equal shards. */
  readonly workers: number;
  /** Learning rate η (> 0). */
  readonly eta: number;
  /**
   * Momentum β in [0, 1).
   * @default {0}
   */
  readonly beta?: number;
  /**
   * Coupled L2 weight decay λ (≥ 0), added to the gradient as PyTorch's SGD does.
   * @default {0}
   */
  readonly weightDecay?: number;
}

/** The state the trainer starts from: flat float32 vectors in `net.params` / `net.buffers` order. */
export interface DataParallelSgdState {
  /** Trainable parameters θ (flattenParams order). */
  readonly params: Float32Array;
  /** BatchNorm running statistics (flattenParams order of `net.buffers`); empty for networks without BN. */
  readonly buffers: Float32Array;
  /**
   * Momentum buffer b (same order as `params`).
   * @default {zeros}
   */
  readonly momentum?: Float32Array;
}

/** What the workers report after start-up. */
export interface WorkerBackendInfo {
  /** tfjs backend in each worker (always `"wasm"`). */
  readonly backend: string;
  /** Whether the SIMD build is loaded (always true). */
  readonly simd: boolean;
  /** Repaired kernels registered in each worker. */
  readonly kernels: readonly string[];
}

function checkHyper(eta: number, beta: number, weightDecay: number): void {
  if (!(Number.isFinite(eta) && eta > 0)) {
    throw new RangeError(
      `Cannot set data-parallel SGD hyperparameters as eta must be finite and > 0: eta=${eta}`,
    );
  }
  if (!(Number.isFinite(beta) && beta >= 0 && beta < 1)) {
    throw new RangeError(
      `Cannot set data-parallel SGD hyperparameters as beta must be in [0, 1): beta=${beta}`,
    );
  }
  if (!(Number.isFinite(weightDecay) && weightDecay >= 0)) {
    throw new RangeError(
      `Cannot set data-parallel SGD hyperparameters as weightDecay must be finite and >= 0: weightDecay=${weightDecay}`,
    );
  }
}

/**
 * Data-parallel momentum SGD in PyTorch semantics on n Workers (one tfjs wasm SIMD instance each).
 *
 * One {@linkcode DataParallelSgd.step} on a batch of S examples:
 * 1. shard i (rows i·S/n … (i+1)·S/n − 1) goes to worker i, which reads θ and the BatchNorm running statistics
 *    from shared memory, computes its mean cross-entropy L_i and gradient g_i = ∇L_i with BatchNorm in training
 *    mode using **its own shard's batch statistics** (as the paper's per-core BatchNorm on a TPU: S/n images per
 *    core), and updates its copy of the running statistics from its shard;
 * 2. the main thread averages in a fixed order, in float32: g = ((g_0 + g_1) + … + g_{n−1}) / n, and likewise the
 *    workers' running statistics (so every worker starts the next step from the same averaged running
 *    statistics; for the running mean this equals the running mean of the full batch; the running variance is
 *    the mean of the shards' unbiased variances);
 * 3. it applies PyTorch's SGD update once (as `MomentumSgd`): d = g + λθ, b ← βb + d, θ ← θ − ηb, each
 *    operation rounded to float32 exactly as the tfjs kernels do, and publishes θ through shared memory.
 *
 * The result is bit-reproducible for a given worker count (fixed reduction order); with one worker it equals
 * `MomentumSgd` on one process bit for bit. The loss returned is the mean of the shard losses (float64).
 *
 * @example One step of logistic regression on one worker
 * ```ts
 * import assert from "node:assert/strict";
 * import { DataParallelSgd } from "./data_parallel_sgd.ts";
 *
 * const params = new Float32Array(2 * 2 + 2); // weight [2, 2] then bias [2]
 * const trainer = await DataParallelSgd.create(
 *   { kind: "mlp", inputShape: [2], hidden: [], numClasses: 2 },
 *   { params, buffers: new Float32Array(0) },
 *   { workers: 1, eta: 0.5 },
 * );
 * try {
 *   const loss = await trainer.step(new Float32Array([1, 0]), new Float32Array([1, 0]), 1);
 *   assert.ok(Math.abs(loss - Math.log(2)) < 1e-6);
 *   assert.ok(trainer.params[4]! > 0); // the bias of the true class went up
 * } finally {
 *   trainer.terminate();
 * }
 * ```
 */
export class DataParallelSgd {
  /** Number of workers n. */
  readonly workers: number;
  /** θ (shared with the workers; read it between steps, do not write it while a step runs). */
  readonly params: Float32Array;
  /** Momentum buffer b, same order as `params`. */
  readonly momentum: Float32Array;
  /** Averaged BatchNorm running statistics (shared with the workers). */
  readonly buffers: Float32Array;
  /** Backend facts reported by the workers. */
  readonly backendInfo: WorkerBackendInfo;
  #eta: number;
  #beta: number;
  #weightDecay: number;
  #workers: Worker[];
  #grads: Float32Array[];
  #buffersOut: Float32Array[];
  #exampleSize: number;
  #numClasses: number;
  #steps = 0;
  #busy = false;
  #terminated = false;

  private constructor(
    workers: Worker[],
    shared: {
      params: Float32Array;
      momentum: Float32Array;
      buffers: Float32Array;
      grads: Float32Array[];
      buffersOut: Float32Array[];
    },
    info: WorkerBackendInfo,
    exampleSize: number,
    numClasses: number,
    hyper: { eta: number; beta: number; weightDecay: number },
  ) {
    this.workers = workers.length;
    this.#workers = workers;
    this.params = shared.params;
    this.momentum = shared.momentum;
    this.buffers = shared.buffers;
    this.#grads = shared.grads;
    this.#buffersOut = shared.buffersOut;
    this.backendInfo = info;
    this.#exampleSize = exampleSize;
    this.#numClasses = numClasses;
    this.#eta = hyper.eta;
    this.#beta = hyper.beta;
    this.#weightDecay = hyper.weightDecay;
  }

  /**
   * Starts n Workers, loads tfjs wasm SIMD in each and builds the network replicas.
   *
   * @param spec The architecture (the same in every worker).
   * @param state Initial θ, running statistics and (optionally) momentum, flat in `net.params`/`net.buffers`
   *   order (e.g. `flattenParams(net.params)`); copied.
   * @param options Worker count n, η, β, λ.
   * @returns The trainer; call {@linkcode DataParallelSgd.terminate} when done.
   * @throws {RangeError} For a bad worker count or hyperparameter.
   * @throws {TypeError} When a state vector has the wrong length for the architecture.
   * @throws {Error} When a worker cannot load wasm SIMD.
   */
  static async create(
    spec: ModelSpec,
    state: DataParallelSgdState,
    options: DataParallelSgdOptions,
  ): Promise<DataParallelSgd> {
    const n = options.workers;
    if (!Number.isSafeInteger(n) || n < 1 || n > 64) {
      throw new RangeError(
        `Cannot start data-parallel SGD as workers must be an integer in [1, 64]: workers=${n}`,
      );
    }
    const eta = options.eta;
    const beta = options.beta ?? 0;
    const weightDecay = options.weightDecay ?? 0;
    checkHyper(eta, beta, weightDecay);
    const p = state.params.length;
    const q = state.buffers.length;
    if (state.momentum !== undefined && state.momentum.length !== p) {
      throw new TypeError(
        `Cannot start data-parallel SGD as momentum has length ${state.momentum.length}, expected ${p}`,
      );
    }
    const f32 = (len: number) =>
      new Float32Array(new SharedArrayBuffer(Math.max(1, len) * 4), 0, len);
    const params = f32(p);
    params.set(state.params);
    const buffers = f32(q);
    buffers.set(state.buffers);
    const momentum = new Float32Array(p);
    if (state.momentum) momentum.set(state.momentum);
    const grads: Float32Array[] = [];
    const buffersOut: Float32Array[] = [];
    const inits: ToWorker[] = [];
    for (let i = 0; i < n; i++) {
      grads.push(f32(p));
      buffersOut.push(f32(q));
      inits.push({
        type: "init",
        spec,
        params: params.buffer as SharedArrayBuffer,
        buffers: buffers.buffer as SharedArrayBuffer,
        grads: grads[i]!.buffer as SharedArrayBuffer,
        buffersOut: buffersOut[i]!.buffer as SharedArrayBuffer,
      });
    }
    const { workers, ready } = await startWorkers<WorkerReady>(
      new URL("./_worker.ts", import.meta.url),
      inits,
      "data-parallel SGD",
    );
    const first = ready[0]!;
    const shape = specSizes(spec);
    return new DataParallelSgd(
      workers,
      { params, momentum, buffers, grads, buffersOut },
      { backend: first.backend, simd: first.simd, kernels: first.kernels },
      shape.exampleSize,
      shape.numClasses,
      { eta, beta, weightDecay },
    );
  }

  /** Learning rate η. */
  get eta(): number {
    return this.#eta;
  }
  /** Momentum β. */
  get beta(): number {
    return this.#beta;
  }
  /** Weight decay λ. */
  get weightDecay(): number {
    return this.#weightDecay;
  }
  /** Steps taken so far. */
  get steps(): number {
    return this.#steps;
  }

  /**
   * Changes η, β, λ for the following steps (the momentum buffer is kept).
   *
   * @param eta Learning rate η (> 0).
   * @param beta Momentum β in [0, 1).
   * @param weightDecay Weight decay λ (≥ 0).
   * @throws {RangeError} For an out-of-range value.
   */
  setHyperparameters(eta: number, beta: number, weightDecay: number): void {
    checkHyper(eta, beta, weightDecay);
    this.#eta = eta;
    this.#beta = beta;
    this.#weightDecay = weightDecay;
  }

  /** Sets the momentum buffer b to zero (a fresh PyTorch optimizer). */
  resetMomentum(): void {
    this.momentum.fill(0);
  }

  /**
   * One data-parallel momentum-SGD step on a batch of `size` examples (see the class description).
   *
   * @param x Inputs, row-major `[size, ...inputShape]` (NHWC for images).
   * @param y One-hot labels, row-major `[size, numClasses]`.
   * @param size Batch size S, a positive multiple of the worker count.
   * @returns The batch loss: the mean of the shards' mean cross-entropies (= the batch mean for equal shards).
   * @throws {RangeError} When `size` is not a positive multiple of n.
   * @throws {TypeError} When `x` or `y` do not have `size` rows.
   * @throws {Error} When a worker fails (the trainer is then unusable).
   */
  async step(x: Float32Array, y: Float32Array, size: number): Promise<number> {
    if (this.#terminated) {
      throw new Error("Cannot take a step as the trainer was terminated");
    }
    if (this.#busy) {
      throw new Error("Cannot take a step as another step is running");
    }
    const n = this.workers;
    if (!Number.isSafeInteger(size) || size < 1 || size % n !== 0) {
      throw new RangeError(
        `Cannot take a data-parallel step as the batch size must be a positive multiple of the worker count ${n}: size=${size}`,
      );
    }
    const d = this.#exampleSize;
    const k = this.#numClasses;
    if (x.length !== size * d || y.length !== size * k) {
      throw new TypeError(
        `Cannot take a data-parallel step as x must have ${size}·${d} and y ${size}·${k} values: got ${x.length} and ${y.length}`,
      );
    }
    this.#busy = true;
    try {
      const m = size / n;
      const replies = this.#workers.map((w, i) => {
        const reply = nextReply<FromWorker>(w);
        const msg: ToWorker = {
          type: "step",
          x: x.slice(i * m * d, (i + 1) * m * d),
          y: y.slice(i * m * k, (i + 1) * m * k),
          size: m,
        };
        w.postMessage(msg);
        return reply;
      });
      const done = await Promise.all(replies);
      let loss = 0;
      for (const r of done) {
        if (r.type !== "done") {
          throw new Error(
            `Cannot take a data-parallel step as a worker failed: ${
              r.type === "error" ? r.message : r.type
            }`,
          );
        }
        loss += r.loss;
      }
      this.#update();
      this.#steps++;
      return loss / n;
    } finally {
      this.#busy = false;
    }
  }

  #update(): void {
    const fr = Math.fround;
    const n = this.workers;
    const grads = this.#grads;
    const g0 = grads[0]!;
    const theta = this.params;
    const b = this.momentum;
    const eta = fr(this.#eta);
    const beta = fr(this.#beta);
    const wd = fr(this.#weightDecay);
    // The average gradient, reduced in worker order 0, 1, …, n−1 (fixed), then divided by n.
    let g: Float32Array = g0;
    if (n > 1) {
      g = new Float32Array(theta.length);
      for (let i = 0; i < g.length; i++) {
        let s = g0[i]!;
        for (let w = 1; w < n; w++) s = fr(s + grads[w]![i]!);
        g[i] = fr(s / n);
      }
    }
    // PyTorch SGD (dampening 0, no Nesterov), each operation rounded to float32 as the tfjs kernels round it:
    // d = g + λθ; b ← βb + d; θ ← θ − ηb. A product or sum of two float32 values computed in float64 and
    // rounded once to float32 equals the float32 operation (float64 has more than 2·24 + 2 bits).
    for (let i = 0; i < theta.length; i++) {
      const t = theta[i]!;
      const dd = wd !== 0 ? fr(g[i]! + fr(wd * t)) : g[i]!;
      const nb = beta !== 0 ? fr(fr(beta * b[i]!) + dd) : dd;
      b[i] = nb;
      theta[i] = fr(t - fr(eta * nb));
    }
    const q = this.buffers.length;
    if (q > 0) {
      const outs = this.#buffersOut;
      for (let i = 0; i < q; i++) {
        let s = outs[0]![i]!;
        for (let w = 1; w < n; w++) s = fr(s + outs[w]![i]!);
        this.buffers[i] = n > 1 ? fr(s / n) : s;
      }
    }
  }

  /** Stops the workers; the trainer cannot be used afterwards. */
  terminate(): void {
    if (this.#terminated) return;
    this.#terminated = true;
    for (const w of this.#workers) w.terminate();
  }
}

function specSizes(
  spec: ModelSpec,
): { exampleSize: number; numClasses: number } {
  const shape = spec.kind === "resnet18"
    ? [spec.imageSize, spec.imageSize, spec.inChannels]
    : spec.inputShape;
  return {
    exampleSize: shape.reduce((a, c) => a * c, 1),
    numClasses: spec.numClasses,
  };
}
