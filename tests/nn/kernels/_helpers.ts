/**
 * Shared helpers for the repaired-kernel tests: backend switching with the wasm fallback check, seeded
 * inputs, and flat gradient / HVP evaluation from plain arrays (so the same numbers can be fed to the cpu and
 * wasm backends).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { Rng } from "../../../src/random/rng.ts";

tf.env().set("PROD", true);

/** Switches backend and fails loudly if tfjs silently fell back to another one. */
export async function useBackend(name: "cpu" | "wasm"): Promise<void> {
  await tf.setBackend(name);
  if (tf.getBackend() !== name) {
    throw new Error(`expected backend ${name}, got ${tf.getBackend()}`);
  }
}

/** Seeded N(0, scale²) float32 values. */
export function normals(seed: bigint, n: number, scale = 1): Float32Array {
  const rng = Rng.fromSeed(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * rng.normal();
  return out;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** max_i |x_i|. */
export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

/** ‖a − b‖₂ / ‖b‖₂ in float64. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

/** Loss of flat parameter tensors (shapes fixed by the caller). */
export type LossFn = (params: readonly tf.Tensor[]) => tf.Scalar;

function makeParams(
  data: readonly Float32Array[],
  shapes: readonly (readonly number[])[],
): tf.Tensor[] {
  return data.map((d, i) => tf.tensor(d, [...shapes[i]!]));
}

function concat(parts: readonly Float32Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** ∇L(θ) flattened, on the current backend. */
export function flatGrad(
  loss: LossFn,
  data: readonly Float32Array[],
  shapes: readonly (readonly number[])[],
): Float64Array {
  const params = makeParams(data, shapes);
  const g = tf.grads((...ps: tf.Tensor[]) => loss(ps))(params);
  const out = concat(g.map((t) => t.dataSync() as Float32Array));
  tf.dispose([...g, ...params]);
  return out;
}

/** L(θ) on the current backend. */
export function lossAt(
  loss: LossFn,
  data: readonly Float32Array[],
  shapes: readonly (readonly number[])[],
): number {
  const params = makeParams(data, shapes);
  const l = loss(params);
  const v = l.dataSync()[0]!;
  tf.dispose([l, ...params]);
  return v;
}

/** θ + t·v for flat lists of arrays. */
export function shift(
  data: readonly Float32Array[],
  v: readonly Float32Array[],
  t: number,
): Float32Array[] {
  return data.map((d, i) => d.map((x, j) => x + t * v[i]![j]!));
}

/** Central finite difference of gradients (∇L(θ + εv) − ∇L(θ − εv)) / 2ε: an independent H·v. */
export function fdHvp(
  loss: LossFn,
  data: readonly Float32Array[],
  shapes: readonly (readonly number[])[],
  v: readonly Float32Array[],
  eps: number,
): Float64Array {
  const gp = flatGrad(loss, shift(data, v, eps), shapes);
  const gm = flatGrad(loss, shift(data, v, -eps), shapes);
  return gp.map((x, i) => (x - gm[i]!) / (2 * eps));
}
