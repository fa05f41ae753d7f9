/**
 * The loss Hessian of a {@linkcode Network} on a fixed data subset as a linear operator on the flattened
 * trainable parameters (for `lanczosEigen` / `hutchinsonTrace` of `src/analysis/`), plus the full-subset
 * gradient and exact per-example gradients for the noise-covariance trace tr Σ.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { NoiseCovTrace } from "../analysis/noise_cov_trace.ts";
import type { NoiseCovTraceResult } from "../analysis/noise_cov_trace.ts";
import { hvp } from "./kernels/hvp.ts";
import type { Network } from "./models/network.ts";
import { parameterLoss } from "./parameter_loss.ts";

/** A data subset: inputs and one-hot labels, row-major. */
export interface LossData {
  /** Inputs `[count, ...net.inputShape]` flattened (NHWC for images), float32. */
  readonly x: Float32Array;
  /** One-hot labels `[count, net.numClasses]` flattened. */
  readonly y: Float32Array;
  /** Number of examples N (≥ 1). */
  readonly count: number;
}

/** Options of {@linkcode NetworkHessian}. */
export interface NetworkHessianOptions {
  /**
   * Examples per forward/backward pass (memory knob only: results do not depend on it beyond float32
   * round-off). Integer ≥ 1.
   *
   * @default {256}
   */
  readonly batchSize?: number;
}

function flatConcat(ts: readonly tf.Tensor[]): tf.Tensor1D {
  return tf.concat(ts.map((t) => tf.reshape(t, [-1]))) as tf.Tensor1D;
}

/**
 * The Hessian H = ∇²L(θ) of the mean softmax cross-entropy L(θ) = (1/N) Σᵢ ℓᵢ(θ) over a fixed subset of N
 * examples, at the network's current parameters, with BatchNorm in evaluation mode (running statistics, never
 * updated), so L is a sum of independent per-example terms. Vectors live on the flattened trainable
 * parameters in `net.params` order (the `flattenParams` order: PyTorch `named_parameters()` order, tfjs
 * layout), length {@linkcode NetworkHessian.dim}. The weight-decay term (λ/2)‖θ‖² is NOT included (its
 * Hessian is λI; add λ to eigenvalues where the dynamics need h = λᵢ + λ).
 *
 * The subset is evaluated in mini-batches of `batchSize`; each batch's mean-loss result is weighted by
 * B_j/N and accumulated in float64, so the result is that of the whole subset. H·v uses reverse-over-reverse
 * autodiff ({@linkcode hvp}; call `registerRepairedKernels()` first, as `initBackend` does). Float32 through
 * tfjs. Every intermediate tensor is released; call {@linkcode NetworkHessian.dispose} to free the cached
 * data tensors (the network is not disposed).
 *
 * @example H·v of logistic regression on one example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { Rng } from "../random/rng.ts";
 * import { registerRepairedKernels } from "./kernels/mod.ts";
 * import { createMlp } from "./models/mlp.ts";
 * import { NetworkHessian } from "./hessian.ts";
 *
 * registerRepairedKernels();
 * await tf.setBackend("cpu");
 * const net = createMlp({ inputShape: [2], hidden: [], numClasses: 2 }, Rng.fromSeed(1n));
 * const h = new NetworkHessian(net, { x: new Float32Array([1, 2]), y: new Float32Array([1, 0]), count: 1 });
 * assert.equal(h.dim, 6);
 * const hv = h.hvp(new Float64Array([1, 0, 0, 0, 0, 0]));
 * assert.equal(hv.length, 6);
 * // Softmax cross-entropy: rows of H for the two logits' weights are opposite.
 * assert.ok(Math.abs(hv[0]! + hv[1]!) < 1e-6);
 * h.dispose();
 * net.dispose();
 * ```
 */
export class NetworkHessian {
  /** Number of trainable parameters d (length of every vector). */
  readonly dim: number;
  /** Number of examples N in the subset. */
  readonly count: number;
  /** Parameter names in flattening order. */
  readonly names: readonly string[];
  /** Number of Hessian-vector products computed so far (each one is a pass over the whole subset). */
  hvpCount = 0;
  #net: Network;
  #batches: { x: tf.Tensor; y: tf.Tensor; size: number }[] = [];
  #shapes: number[][];
  #sizes: number[];
  #disposed = false;

  /**
   * Caches the subset as tensors.
   *
   * @param net The network (its current parameters and BatchNorm running statistics are used at each call).
   * @param data The subset; see {@linkcode LossData}.
   * @param options Mini-batch size; see {@linkcode NetworkHessianOptions}.
   * @throws {TypeError} When `x` or `y` does not hold `count` examples of the network's shapes.
   * @throws {RangeError} When `count` or `batchSize` is not a positive integer.
   */
  constructor(
    net: Network,
    data: LossData,
    options: NetworkHessianOptions = {},
  ) {
    const batchSize = options.batchSize ?? 256;
    const n = data.count;
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new RangeError(
        `Cannot build the network Hessian as count must be a positive integer: count=${n}`,
      );
    }
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new RangeError(
        `Cannot build the network Hessian as batchSize must be a positive integer: batchSize=${batchSize}`,
      );
    }
    const exampleSize = net.inputShape.reduce((a, b) => a * b, 1);
    const k = net.numClasses;
    if (data.x.length !== n * exampleSize || data.y.length !== n * k) {
      throw new TypeError(
        `Cannot build the network Hessian as the data are not ${n} examples of [${net.inputShape}] with ${k} classes: ` +
          `x has ${data.x.length} floats, y has ${data.y.length}`,
      );
    }
    this.#net = net;
    this.count = n;
    this.names = [...net.params.keys()];
    this.#shapes = [...net.params.values()].map((p) => [...p.shape]);
    this.#sizes = [...net.params.values()].map((p) => p.size);
    this.dim = this.#sizes.reduce((a, b) => a + b, 0);
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      this.#batches.push({
        x: tf.tensor(
          data.x.subarray(start * exampleSize, (start + size) * exampleSize),
          [size, ...net.inputShape],
          "float32",
        ),
        y: tf.tensor2d(
          data.y.subarray(start * k, (start + size) * k),
          [size, k],
          "float32",
        ),
        size,
      });
    }
  }

  #check(action: string): void {
    if (this.#disposed) {
      throw new TypeError(
        `Cannot ${action} as the network Hessian was disposed`,
      );
    }
  }

  /**
   * The mean loss L(θ) over the subset.
   *
   * @returns L (float32 per batch, accumulated in float64).
   */
  loss(): number {
    this.#check("evaluate the loss");
    let total = 0;
    for (const b of this.#batches) {
      const v = tf.tidy(() => {
        const { lossFn, params } = parameterLoss(this.#net, b, {
          training: false,
        });
        return lossFn(params);
      });
      total += v.dataSync()[0]! * b.size;
      v.dispose();
    }
    return total / this.count;
  }

  /**
   * The full-subset gradient ∇L(θ) (mean over the N examples), flattened.
   *
   * @returns ∇L, length {@linkcode NetworkHessian.dim}.
   */
  gradient(): Float64Array {
    this.#check("compute the gradient");
    const out = new Float64Array(this.dim);
    for (const b of this.#batches) {
      const g = tf.tidy(() => {
        const { lossFn, params } = parameterLoss(this.#net, b, {
          training: false,
        });
        return flatConcat(
          tf.grads((...qs: tf.Tensor[]) => lossFn(qs))([...params]),
        );
      });
      this.#accumulate(out, g, b.size / this.count);
    }
    return out;
  }

  #accumulate(out: Float64Array, t: tf.Tensor, weight: number): void {
    const data = t.dataSync();
    t.dispose();
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + weight * data[i]!;
  }

  /**
   * The Hessian-vector product H·v over the whole subset: Σ_j (B_j/N)·H_j·v over the mini-batches j.
   * Usable directly as a `LinearOperator` of `src/analysis/` (bind it: `(v) => h.hvp(v)`).
   *
   * @param v Direction, length {@linkcode NetworkHessian.dim} (cast to float32 for tfjs).
   * @returns H·v (fresh array, float64 accumulation of float32 batch results).
   * @throws {TypeError} When `v` has the wrong length.
   */
  hvp(v: ArrayLike<number>): Float64Array {
    this.#check("compute a Hessian-vector product");
    if (v.length !== this.dim) {
      throw new TypeError(
        `Cannot compute a Hessian-vector product as v has length ${v.length}, expected ${this.dim}`,
      );
    }
    const flat = Float32Array.from(v);
    const vs: tf.Tensor[] = [];
    let offset = 0;
    for (let i = 0; i < this.#shapes.length; i++) {
      const size = this.#sizes[i]!;
      vs.push(
        tf.tensor(flat.subarray(offset, offset + size), this.#shapes[i]!),
      );
      offset += size;
    }
    const out = new Float64Array(this.dim);
    try {
      for (const b of this.#batches) {
        const hv = tf.tidy(() => {
          const { lossFn, params } = parameterLoss(this.#net, b, {
            training: false,
          });
          return flatConcat(hvp(lossFn, params, vs));
        });
        this.#accumulate(out, hv, b.size / this.count);
      }
    } finally {
      tf.dispose(vs);
    }
    this.hvpCount++;
    return out;
  }

  /**
   * Exact per-example gradients gᵢ = ∇ℓᵢ(θ) of every example of the subset, fed to a
   * {@linkcode NoiseCovTrace} accumulator, giving tr Σ with Σ = (1/N) Σᵢ gᵢgᵢᵀ − ḡḡᵀ (theory.md §1.3). tfjs has
   * no vectorising map, so each gradient is one backward pass on a batch of one (exact in BatchNorm evaluation
   * mode); gradients are gathered on the device in chunks of several examples and read back once per chunk.
   *
   * @param accumulator Accumulator to add to (default: a fresh one of dimension {@linkcode NetworkHessian.dim}).
   * @returns tr Σ and its ingredients (mean gradient ḡ, mean squared norm), plus each example's ‖gᵢ‖² (for a
   *   standard error of tr Σ: sd(‖gᵢ‖²)/√N when ‖ḡ‖² ≪ mean ‖gᵢ‖²).
   * @throws {TypeError} When the accumulator has another dimension.
   */
  noiseCovTrace(
    accumulator?: NoiseCovTrace,
  ): NoiseCovTraceResult & { readonly squaredNorms: Float64Array } {
    this.#check("compute per-example gradients");
    const acc = accumulator ?? new NoiseCovTrace(this.dim);
    const chunk = Math.max(1, Math.min(64, Math.floor(4_000_000 / this.dim)));
    const squaredNorms = new Float64Array(this.count);
    let index = 0;
    for (const b of this.#batches) {
      for (let start = 0; start < b.size; start += chunk) {
        const m = Math.min(chunk, b.size - start);
        const grads = tf.tidy(() => {
          const rows: tf.Tensor[] = [];
          for (let i = start; i < start + m; i++) {
            const one = {
              x: tf.slice(b.x, [i], [1]),
              y: tf.slice(b.y, [i, 0], [1, -1]),
            };
            const { lossFn, params } = parameterLoss(this.#net, one, {
              training: false,
            });
            rows.push(
              flatConcat(
                tf.grads((...qs: tf.Tensor[]) => lossFn(qs))([...params]),
              ),
            );
          }
          return tf.stack(rows);
        });
        const data = grads.dataSync() as Float32Array;
        grads.dispose();
        acc.addChunk(data, m);
        for (let r = 0; r < m; r++) {
          let sq = 0;
          for (let j = r * this.dim; j < (r + 1) * this.dim; j++) {
            sq += data[j]! * data[j]!;
          }
          squaredNorms[index++] = sq;
        }
      }
    }
    return { ...acc.result(), squaredNorms };
  }

  /** Frees the cached data tensors (not the network). */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const b of this.#batches) tf.dispose([b.x, b.y]);
    this.#batches = [];
  }
}
