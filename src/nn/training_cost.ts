/**
 * Peers and references for training-cost benchmarks, kept here so that tfjs stays inside src/nn: a random image
 * batch, a backend switch that restores the previous backend, the wasm matMul peak of this process, and one
 * training step on tfjs's pure-JS cpu backend.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../random/rng.ts";
import { median } from "../stats/quantile.ts";
import { crossEntropyFromLogits } from "./kernels/cross_entropy_from_logits.ts";
import { MomentumSgd } from "./momentum_sgd.ts";
import { createModel, type ModelSpec } from "./parallel/model_spec.ts";

/**
 * A random 32×32×3 image batch (standard normal pixels, NHWC) with one-hot labels over 10 classes.
 *
 * @param rng Generator.
 * @param batch Batch size.
 * @returns Images and labels.
 */
export function randomBatch(
  rng: Rng,
  batch: number,
): { x: Float32Array; y: Float32Array } {
  const x = rng.fillNormal(new Float32Array(batch * 32 * 32 * 3));
  const y = new Float32Array(batch * 10);
  for (let i = 0; i < batch; i++) y[i * 10 + rng.int(10)] = 1;
  return { x, y };
}

/**
 * The name of the tfjs backend active in this process.
 *
 * @returns e.g. "wasm" or "cpu".
 */
export function activeBackend(): string {
  return tf.getBackend();
}

/**
 * Runs `fn` on another tfjs backend of this process and restores the previous one afterwards.
 *
 * @param name Backend name ("cpu" or "wasm").
 * @param fn The work.
 * @returns What `fn` returns.
 * @throws {Error} If tfjs does not switch to `name`.
 */
export async function withBackend<T>(
  name: string,
  fn: () => T | Promise<T>,
): Promise<T> {
  const prev = tf.getBackend();
  if (prev !== name) {
    await tf.setBackend(name);
    if (tf.getBackend() !== name) {
      throw new Error(`Cannot switch tfjs to the ${name} backend`);
    }
  }
  try {
    return await fn();
  } finally {
    if (prev !== name) await tf.setBackend(prev);
  }
}

/** Options of {@linkcode cpuTrainingStepMs}. */
export interface CpuStepOptions {
  /** Momentum-SGD hyperparameters (η, β, λ). */
  readonly hyper: {
    readonly eta: number;
    readonly beta: number;
    readonly weightDecay: number;
  };
  /** Batch size of the step. */
  readonly batch: number;
  readonly rng: Rng;
  /** Monotonic clock in ms. */
  readonly now: () => number;
}

/**
 * Wall time of one momentum-SGD training step of a 32×32×3 model on tfjs's pure-JS cpu backend (the peer of the
 * wasm SIMD step), in milliseconds.
 *
 * @param model The network.
 * @param o Hyperparameters, batch size, generator and clock.
 * @returns Milliseconds for the step.
 */
export async function cpuTrainingStepMs(
  model: ModelSpec,
  o: CpuStepOptions,
): Promise<number> {
  return await withBackend("cpu", () => {
    const net = createModel(model, o.rng);
    const opt = new MomentumSgd(net.params, o.hyper);
    const { x, y } = randomBatch(o.rng, o.batch);
    const xt = tf.tensor(x, [o.batch, 32, 32, 3]);
    const yt = tf.tensor2d(y, [o.batch, 10]);
    const t0 = o.now();
    opt.step(() =>
      crossEntropyFromLogits(net.forward(xt, { training: true }), yt)
    );
    const t = o.now() - t0;
    tf.dispose([xt, yt]);
    opt.dispose();
    net.dispose();
    return t;
  });
}

/**
 * wasm SIMD matMul throughput on an n×n×n product (median of 3 after one warm-up), in this process.
 *
 * @param n Matrix size.
 * @param rng Generator for the operands.
 * @param now Monotonic clock in ms.
 * @returns GFLOP/s (2n³ FLOP per product).
 */
export async function wasmMatmulGflops(
  n: number,
  rng: Rng,
  now: () => number,
): Promise<number> {
  return await withBackend("wasm", () => {
    const a = tf.tensor2d(rng.fillNormal(new Float32Array(n * n)), [n, n]);
    const b = tf.tensor2d(rng.fillNormal(new Float32Array(n * n)), [n, n]);
    const times: number[] = [];
    for (let r = 0; r < 4; r++) {
      const t0 = now();
      const c = tf.matMul(a, b);
      c.dataSync();
      const t = now() - t0;
      c.dispose();
      if (r > 0) times.push(t);
    }
    tf.dispose([a, b]);
    return (2 * n ** 3) / (median(times) * 1e6);
  });
}
