import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { batchMoments } from "../../../src/nn/kernels/batch_moments.ts";
import { hvp, registerRepairedKernels } from "../../../src/nn/kernels/mod.ts";
import { fdHvp, type LossFn, normals, relErr, useBackend } from "./_helpers.ts";

registerRepairedKernels();

type Moments = (h: tf.Tensor) => { mean: tf.Tensor; variance: tf.Tensor };
const STOCK: Moments = (h) =>
  tf.moments(h, h.shape.slice(0, -1).map((_, i) => i));

/** A training-mode BatchNorm loss Σ r·relu(bn(x)) + Σ (μ + v)·s of x, γ, β with the given moments. */
function bnLoss(moments: Moments, shape: number[], seed: bigint): LossFn {
  const c = shape[shape.length - 1]!;
  const n = shape.reduce((a, b) => a * b, 1);
  const r = normals(seed, n);
  const s = normals(seed + 1n, c);
  return ([x, g, b]) =>
    tf.tidy(() => {
      const { mean, variance } = moments(x!);
      const y = tf.relu(tf.batchNorm(x!, mean, variance, b!, g!, 1e-3));
      return tf.add(
        tf.sum(tf.mul(y, tf.tensor(r, shape))),
        tf.sum(tf.mul(tf.add(mean, variance), tf.tensor1d(s))),
      ) as tf.Scalar;
    });
}

function params(shape: number[], seed: bigint): Float32Array[] {
  const c = shape[shape.length - 1]!;
  const n = shape.reduce((a, b) => a * b, 1);
  // Channels with a large mean and a small spread, as after a conv (cancellation would show).
  return [
    normals(seed, n).map((v, i) => 3 + (i % c) + 0.5 * v),
    normals(seed + 1n, c).map((v) => 1 + 0.3 * v),
    normals(seed + 2n, c, 0.3),
  ];
}

function run(
  f: (ps: tf.Tensor[]) => tf.Tensor[],
  data: Float32Array[],
  shapes: number[][],
): Float32Array[] {
  return tf.tidy(() => {
    const ps = data.map((d, i) => tf.tensor(d, shapes[i]!));
    return f(ps).map((t) => t.dataSync() as Float32Array);
  });
}

const SHAPES = [[3, 4, 5, 6], [7, 5]];

Deno.test("batchMoments() equals tf.moments bitwise: values, gradients and Hessian-vector products, on cpu and wasm", async () => {
  for (const backend of ["cpu", "wasm"] as const) {
    await useBackend(backend);
    for (const shape of SHAPES) {
      const c = shape[shape.length - 1]!;
      const shapes = [shape, [c], [c]];
      const data = params(shape, 5n);
      const v = params(shape, 9n);
      const before = tf.memory().numTensors;
      for (
        const [what, f] of [
          ["moments", (m: Moments) => (ps: tf.Tensor[]) => {
            const { mean, variance } = m(ps[0]!);
            return [mean, variance];
          }],
          [
            "gradient",
            (m: Moments) => (ps: tf.Tensor[]) =>
              tf.grads((...q: tf.Tensor[]) => bnLoss(m, shape, 3n)(q))(ps),
          ],
          ["HVP", (m: Moments) => (ps: tf.Tensor[]) =>
            hvp(
              bnLoss(m, shape, 3n),
              ps,
              v.map((d, i) => tf.tensor(d, shapes[i]!)),
            )],
        ] as const
      ) {
        const ours = run(f(batchMoments), data, shapes);
        const stock = run(f(STOCK), data, shapes);
        for (const [i, o] of ours.entries()) {
          assert.deepEqual(o, stock[i], `${backend} [${shape}] ${what} ${i}`);
        }
      }
      assert.equal(tf.memory().numTensors, before, `${backend} leak`);
    }
  }
});

Deno.test("batchMoments(): the HVP through training-mode BatchNorm matches finite differences of the gradient", async () => {
  await useBackend("cpu");
  const shape = [4, 3, 3, 5];
  const shapes = [shape, [5], [5]];
  const data = params(shape, 21n);
  const v = params(shape, 22n).map((d) => d.map((x) => 0.1 * x));
  const loss = bnLoss(batchMoments, shape, 23n);
  const got = run(
    (ps) => hvp(loss, ps, v.map((d, i) => tf.tensor(d, shapes[i]!))),
    data,
    shapes,
  )
    .flatMap((t) => Array.from(t));
  const fd = fdHvp(loss, data, shapes, v, 1e-2);
  // float32 central differences (relu kinks are rare at ε·v): a few 1e-3 of the norm.
  assert.ok(relErr(got, fd) < 1e-2, `rel err ${relErr(got, fd)}`);
});
