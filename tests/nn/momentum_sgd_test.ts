import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { flattenParams } from "../../src/nn/flatten_params.ts";
import { crossEntropyFromLogits } from "../../src/nn/kernels/mod.ts";
import { createMlp } from "../../src/nn/models/mlp.ts";
import { MomentumSgd } from "../../src/nn/momentum_sgd.ts";
import { Rng } from "../../src/random/rng.ts";
import { assertAllClose, assertClose } from "../_util/assert_close.ts";
import { useBackend } from "./models/_torch_fixture.ts";

await useBackend("wasm");

const X = [[0.5, -1, 2], [1.5, 0.25, -0.5], [-1, 1, 1], [0, 2, -1]];
const LABELS = [2, 0, 1, 2];

/** Softmax cross-entropy of logistic regression z = xW + b and its gradient, by hand in float64. */
function handLossGrad(
  w: number[][],
  b: number[],
): { loss: number; gw: number[][]; gb: number[] } {
  const gw = w.map((r) => r.map(() => 0));
  const gb = b.map(() => 0);
  let loss = 0;
  for (let n = 0; n < X.length; n++) {
    const x = X[n]!;
    const z = b.map((bk, k) =>
      bk + x.reduce((s, xi, i) => s + xi * w[i]![k]!, 0)
    );
    const m = Math.max(...z);
    const lse = m + Math.log(z.reduce((s, zk) => s + Math.exp(zk - m), 0));
    loss -= (z[LABELS[n]!]! - lse) / X.length;
    z.forEach((zk, k) => {
      const d = (Math.exp(zk - lse) - (k === LABELS[n] ? 1 : 0)) / X.length; // ∂L/∂z = (p − y)/B
      gb[k]! += d;
      x.forEach((xi, i) => (gw[i]![k]! += xi * d));
    });
  }
  return { loss, gw, gb };
}

Deno.test("MomentumSgd.step() equals two hand-computed PyTorch momentum steps with weight decay", () => {
  const before = tf.memory().numTensors;
  const net = createMlp(
    { inputShape: [3], hidden: [], numClasses: 3 },
    Rng.fromSeed(3n),
  );
  const eta = 0.5;
  const beta = 0.9;
  const weightDecay = 0.01;
  const sgd = new MomentumSgd(net.params, { eta, beta, weightDecay });
  const x = tf.tensor2d(X);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(LABELS, "int32"), 3));
  let w = net.params.get("fc1.weight")!.arraySync() as number[][];
  let b = Array.from(net.params.get("fc1.bias")!.dataSync());
  let bw = w.map((r) => r.map(() => 0));
  let bb = b.map(() => 0);
  for (let k = 0; k < 2; k++) {
    const loss = sgd.step(() =>
      crossEntropyFromLogits(net.forward(x, { training: true }), y)
    );
    const h = handLossGrad(w, b);
    // float32 loss through tfjs vs float64 by hand.
    assertClose(loss, h.loss, { rtol: 1e-6 }, `loss at step ${k}`);
    // b ← βb + (g + λθ); θ ← θ − ηb
    bw = bw.map((r, i) =>
      r.map((v, j) => beta * v + h.gw[i]![j]! + weightDecay * w[i]![j]!)
    );
    bb = bb.map((v, j) => beta * v + h.gb[j]! + weightDecay * b[j]!);
    w = w.map((r, i) => r.map((v, j) => v - eta * bw[i]![j]!));
    b = b.map((v, j) => v - eta * bb[j]!);
    // float32 state vs float64 recursion: a few ulps of values O(1).
    const tol = { rtol: 1e-5, atol: 1e-6 };
    assertAllClose(
      net.params.get("fc1.weight")!.dataSync(),
      w.flat(),
      tol,
      `W after step ${k + 1}`,
    );
    assertAllClose(
      net.params.get("fc1.bias")!.dataSync(),
      b,
      tol,
      `b after step ${k + 1}`,
    );
    assertAllClose(
      sgd.buffers.get("fc1.weight")!.dataSync(),
      bw.flat(),
      tol,
      `buffer after step ${k + 1}`,
    );
  }
  assert.equal(sgd.steps, 2);
  tf.dispose([x, y]);
  sgd.dispose();
  net.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("MomentumSgd: the step length equals η·‖b‖ (speed = η²‖b‖²)", () => {
  const net = createMlp(
    { inputShape: [3], hidden: [4], numClasses: 3 },
    Rng.fromSeed(4n),
  );
  const sgd = new MomentumSgd(net.params, {
    eta: 0.1,
    beta: 0.9,
    weightDecay: 1e-3,
  });
  const x = tf.tensor2d(X);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(LABELS, "int32"), 3));
  for (let k = 0; k < 3; k++) {
    const t0 = flattenParams(net.params);
    sgd.step(() =>
      crossEntropyFromLogits(net.forward(x, { training: true }), y)
    );
    const t1 = flattenParams(net.params);
    const b = flattenParams(sgd.buffers);
    let d2 = 0;
    let b2 = 0;
    for (let i = 0; i < t0.length; i++) {
      d2 += (t1[i]! - t0[i]!) ** 2;
      b2 += b[i]! ** 2;
    }
    // float32 differences θ_{k+1} − θ_k lose ~eps·|θ|/|δ| relative accuracy.
    assertClose(d2, 0.01 * b2, { rtol: 1e-3 });
  }
  tf.dispose([x, y]);
  sgd.dispose();
  net.dispose();
});

Deno.test("MomentumSgd.applyGradients() with β = 0 and λ = 0 is θ ← θ − ηg exactly", () => {
  const theta = tf.variable(tf.tensor1d([1, -2, 0.5]));
  const sgd = new MomentumSgd(new Map([["t", theta]]), { eta: 0.25 });
  const g = tf.tensor1d([4, 8, -2]);
  sgd.applyGradients(new Map([["t", g]]));
  assert.deepEqual(Array.from(theta.dataSync()), [0, -4, 1]);
  assert.throws(() => sgd.applyGradients(new Map()), TypeError);
  tf.dispose([g, theta]);
  sgd.dispose();
});

Deno.test("MomentumSgd throws RangeError for η ≤ 0, β ∉ [0, 1), λ < 0", () => {
  const theta = tf.variable(tf.zeros([1]));
  const p = new Map([["t", theta]]);
  assert.throws(() => new MomentumSgd(p, { eta: 0 }), RangeError);
  assert.throws(() => new MomentumSgd(p, { eta: 0.1, beta: 1 }), RangeError);
  assert.throws(() => new MomentumSgd(p, { eta: 0.1, beta: -0.1 }), RangeError);
  assert.throws(
    () => new MomentumSgd(p, { eta: 0.1, weightDecay: -1 }),
    RangeError,
  );
  assert.throws(() => new MomentumSgd(p, { eta: NaN }), RangeError);
  theta.dispose();
});
