/**
 * Small test networks written as pure functions of a flat parameter list, for HVP and training tests.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { crossEntropyFromLogits } from "../../../src/nn/kernels/mod.ts";
import { type LossFn, normals, sizeOf } from "./_helpers.ts";

/** A loss with its fixed data and initial parameters. */
export interface Problem {
  readonly name: string;
  readonly shapes: readonly (readonly number[])[];
  readonly init: readonly Float32Array[];
  /** Builds the loss; data tensors are created on the current backend and must be disposed by the caller. */
  readonly build: () => { loss: LossFn; data: tf.Tensor[] };
}

function oneHotRows(seed: bigint, rows: number, k: number): Float32Array {
  const u = normals(seed, rows);
  const out = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    out[r * k + (Math.floor(Math.abs(u[r]!) * 1000) % k)] = 1;
  }
  return out;
}

function initParams(
  seed: bigint,
  shapes: readonly (readonly number[])[],
  scales: readonly number[],
): Float32Array[] {
  return shapes.map((s, i) => normals(seed + BigInt(i), sizeOf(s), scales[i]!));
}

/** dense(4→6) → tanh → dense(6→3) → softmax cross-entropy (crossEntropyFromLogits), batch 8. */
export function tanhMlp(seed: bigint): Problem {
  const shapes = [[4, 6], [6], [6, 3], [3]];
  return {
    name: "dense+tanh+CE",
    shapes,
    init: initParams(seed, shapes, [0.7, 0.3, 0.7, 0.3]),
    build: () => {
      const x = tf.tensor2d(normals(seed + 10n, 32), [8, 4]);
      const y = tf.tensor2d(oneHotRows(seed + 11n, 8, 3), [8, 3]);
      const loss: LossFn = ([w1, b1, w2, b2]) =>
        tf.tidy(() => {
          const h = tf.tanh(tf.add(tf.matMul(x, w1 as tf.Tensor2D), b1!));
          return crossEntropyFromLogits(
            tf.add(tf.matMul(h, w2 as tf.Tensor2D), b2!),
            y,
          );
        });
      return { loss, data: [x, y] };
    },
  };
}

/**
 * dense(3→5) → sigmoid → dense(5→4) → tf.softmax, loss Σ softmax·c + mean(exp(0.5·z)) with a fixed c, batch 6:
 * exercises the Sigmoid, Softmax and Exp gradients.
 */
export function sigmoidSoftmaxExp(seed: bigint): Problem {
  const shapes = [[3, 5], [5, 4]];
  return {
    name: "dense+sigmoid+softmax+exp",
    shapes,
    init: initParams(seed, shapes, [1, 1]),
    build: () => {
      const x = tf.tensor2d(normals(seed + 20n, 18), [6, 3]);
      const c = tf.tensor2d(normals(seed + 21n, 24), [6, 4]);
      const loss: LossFn = ([w1, w2]) =>
        tf.tidy(() => {
          const z = tf.matMul(
            tf.sigmoid(tf.matMul(x, w1 as tf.Tensor2D)),
            w2 as tf.Tensor2D,
          );
          return tf.add(
            tf.sum(tf.mul(tf.softmax(z), c)),
            tf.mean(tf.exp(tf.mul(0.5, z))),
          ) as tf.Scalar;
        });
      return { loss, data: [x, c] };
    },
  };
}

/** Forward pass of the conv net: conv(3×3, same) → batchNorm(batch stats) → relu → maxPool(2, 2) → dense. */
export function convNetLogits(
  x: tf.Tensor4D,
  p: readonly tf.Tensor[],
): tf.Tensor2D {
  return tf.tidy(() => {
    const [w, gamma, beta, wd, bd] = p;
    const z = tf.conv2d(x, w as tf.Tensor4D, 1, "same");
    const { mean, variance } = tf.moments(z, [0, 1, 2]);
    const bn = tf.batchNorm(z, mean, variance, beta!, gamma!, 1e-3);
    const pooled = tf.maxPool(tf.relu(bn) as tf.Tensor4D, 2, 2, "valid");
    const flat = tf.reshape(pooled, [x.shape[0], -1]);
    return tf.add(tf.matMul(flat, wd as tf.Tensor2D), bd!) as tf.Tensor2D;
  });
}

/** conv(2→4, 3×3) → BN → relu → maxPool 2×2 → dense(36→3) → cross-entropy, batch 4 of 6×6×2 images. */
export function convNet(seed: bigint, batch = 4, classes = 3): Problem {
  const shapes = [[3, 3, 2, 4], [4], [4], [36, classes], [classes]];
  return {
    name: "conv+BN+relu+maxpool+dense+CE",
    shapes,
    init: initParams(seed, shapes, [0.5, 0.2, 0.2, 0.3, 0.1]).map((a, i) =>
      i === 1 ? a.map((v) => 1 + v) : a
    ),
    build: () => {
      const x = tf.tensor4d(normals(seed + 30n, batch * 72), [batch, 6, 6, 2]);
      const y = tf.tensor2d(oneHotRows(seed + 31n, batch, classes), [
        batch,
        classes,
      ]);
      const loss: LossFn = (p) =>
        tf.tidy(() => crossEntropyFromLogits(convNetLogits(x, p), y));
      return { loss, data: [x, y] };
    },
  };
}
