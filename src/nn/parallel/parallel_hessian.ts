/**
 * Hessian-vector products of a network's loss on a data subset, split over Deno Workers (one tfjs wasm SIMD
 * instance each), for Lanczos and Hutchinson on networks where one HVP over the subset takes minutes.
 *
 * @module
 */

import type { LossData } from "../hessian.ts";
import type { FromHessianWorker, ToHessianWorker } from "./_hessian_worker.ts";
import type { ModelSpec } from "./model_spec.ts";
import { nextReply, startWorkers } from "./_workers.ts";
import type { WorkerBackendInfo } from "./data_parallel_sgd.ts";

/** Options of {@linkcode ParallelHessian.create}. */
export interface ParallelHessianOptions {
  /** Number of Workers n (integer in [1, 64], at most the number of examples). */
  readonly workers: number;
  /**
   * Examples per forward/backward pass inside each worker (memory knob; see `NetworkHessian`).
   * @default {50}
   */
  readonly batchSize?: number;
}

/**
 * The Hessian H = ∇²L(θ) of the mean softmax cross-entropy over N examples (BatchNorm in evaluation mode, as
 * `NetworkHessian`) as an operator on the flattened parameters, computed by n Workers. Worker i holds the
 * contiguous shard of examples [⌊iN/n⌋, ⌊(i+1)N/n⌋) and returns H_i·v for its shard's mean loss; the main
 * thread returns Σᵢ (Nᵢ/N)·H_i·v, summed in float64 in worker order (fixed), so results are reproducible for
 * a given worker count and equal `NetworkHessian` on one process up to float32 round-off of the batching.
 *
 * @example H·v of logistic regression on two workers
 * ```ts
 * import assert from "node:assert/strict";
 * import { ParallelHessian } from "./parallel_hessian.ts";
 *
 * // Weight [2, 2] then bias [2], all zero: softmax is uniform, H = (1/N) Σ xxᵀ ⊗ (diag(p) − ppᵀ).
 * const h = await ParallelHessian.create(
 *   { kind: "mlp", inputShape: [2], hidden: [], numClasses: 2 },
 *   { params: new Float32Array(6), buffers: new Float32Array(0) },
 *   { x: new Float32Array([1, 0, 0, 1]), y: new Float32Array([1, 0, 0, 1]), count: 2 },
 *   { workers: 2 },
 * );
 * try {
 *   const hv = await h.hvp(new Float64Array([0, 0, 0, 0, 1, 0])); // bias of class 0
 *   assert.deepEqual(Array.from(hv, (x) => Math.round(x * 1e6) / 1e6), [0.125, -0.125, 0.125, -0.125, 0.25, -0.25]);
 * } finally {
 *   h.terminate();
 * }
 * ```
 */
export class ParallelHessian {
  /** Number of trainable parameters d. */
  readonly dim: number;
  /** Number of examples N. */
  readonly count: number;
  /** Number of workers n. */
  readonly workers: number;
  /** Backend facts reported by the workers. */
  readonly backendInfo: WorkerBackendInfo;
  /** Hessian-vector products computed so far. */
  hvpCount = 0;
  #workers: Worker[];
  #weights: number[];
  #busy = false;
  #terminated = false;

  private constructor(
    workers: Worker[],
    weights: number[],
    dim: number,
    count: number,
    info: WorkerBackendInfo,
  ) {
    this.#workers = workers;
    this.#weights = weights;
    this.workers = workers.length;
    this.dim = dim;
    this.count = count;
    this.backendInfo = info;
  }

  /**
   * Starts n Workers, loads tfjs wasm SIMD in each, builds the network at the given state and caches each
   * worker's shard.
   *
   * @param spec The architecture.
   * @param state θ and the BatchNorm running statistics, flat in `net.params` / `net.buffers` order.
   * @param data The subset (N examples).
   * @param options Worker count and per-pass batch size.
   * @returns The operator; call {@linkcode ParallelHessian.terminate} when done.
   * @throws {RangeError} For a bad worker count (or more workers than examples).
   * @throws {Error} When a worker cannot start (message from the worker, e.g. wrong state length).
   */
  static async create(
    spec: ModelSpec,
    state: { readonly params: Float32Array; readonly buffers: Float32Array },
    data: LossData,
    options: ParallelHessianOptions,
  ): Promise<ParallelHessian> {
    const n = options.workers;
    const count = data.count;
    if (!Number.isSafeInteger(n) || n < 1 || n > 64 || n > count) {
      throw new RangeError(
        `Cannot start the parallel Hessian as workers must be an integer in [1, min(64, N = ${count})]: workers=${n}`,
      );
    }
    const exampleSize = data.x.length / count;
    const classes = data.y.length / count;
    const weights: number[] = [];
    const inits: ToHessianWorker[] = [];
    for (let i = 0; i < n; i++) {
      const a = Math.floor((i * count) / n);
      const b = Math.floor(((i + 1) * count) / n);
      weights.push((b - a) / count);
      inits.push({
        type: "init",
        spec,
        params: state.params,
        buffers: state.buffers,
        x: data.x.slice(a * exampleSize, b * exampleSize),
        y: data.y.slice(a * classes, b * classes),
        count: b - a,
        batchSize: options.batchSize ?? 50,
      });
    }
    const { workers, ready } = await startWorkers<
      Extract<FromHessianWorker, { type: "ready" }>
    >(
      new URL("./_hessian_worker.ts", import.meta.url),
      inits,
      "the parallel Hessian",
    );
    const first = ready[0]!;
    return new ParallelHessian(workers, weights, first.dim, count, {
      backend: first.backend,
      simd: first.simd,
      kernels: first.kernels,
    });
  }

  /**
   * H·v over the whole subset: Σᵢ (Nᵢ/N)·H_i·v (the shards in parallel).
   *
   * @param v Direction, length {@linkcode ParallelHessian.dim} (cast to float32 for tfjs).
   * @returns H·v (fresh array).
   * @throws {TypeError} When `v` has the wrong length.
   * @throws {Error} When a worker fails, or another product is running, or after `terminate`.
   */
  async hvp(v: ArrayLike<number>): Promise<Float64Array> {
    if (this.#terminated) {
      throw new Error(
        "Cannot compute H·v as the parallel Hessian was terminated",
      );
    }
    if (this.#busy) {
      throw new Error("Cannot compute H·v as another product is running");
    }
    if (v.length !== this.dim) {
      throw new TypeError(
        `Cannot compute a Hessian-vector product as v has length ${v.length}, expected ${this.dim}`,
      );
    }
    this.#busy = true;
    try {
      const v32 = Float32Array.from(v);
      const replies = this.#workers.map((w) => {
        const reply = nextReply<FromHessianWorker>(w);
        w.postMessage({ type: "hvp", v: v32 } satisfies ToHessianWorker);
        return reply;
      });
      const parts = await Promise.all(replies);
      const out = new Float64Array(this.dim);
      parts.forEach((r, i) => {
        if (r.type !== "hvp") {
          throw new Error(
            `Cannot compute H·v as a worker failed: ${
              r.type === "error" ? r.message : r.type
            }`,
          );
        }
        const wgt = this.#weights[i]!;
        for (let j = 0; j < out.length; j++) out[j] = out[j]! + wgt * r.hv[j]!;
      });
      this.hvpCount++;
      return out;
    } finally {
      this.#busy = false;
    }
  }

  /** Stops the workers; the operator cannot be used afterwards. */
  terminate(): void {
    if (this.#terminated) return;
    this.#terminated = true;
    for (const w of this.#workers) w.terminate();
  }
}
