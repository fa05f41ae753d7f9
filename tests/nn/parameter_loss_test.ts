import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { hvp } from "../../src/nn/kernels/mod.ts";
import { createMlp } from "../../src/nn/models/mlp.ts";
import { createResNet18 } from "../../src/nn/models/resnet18.ts";
import type { Network } from "../../src/nn/models/network.ts";

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
import { parameterLoss } from "../../src/nn/parameter_loss.ts";
import { Rng } from "../../src/random/rng.ts";
import {
  FIXTURES,
  loadTorchFixture,
  useBackend,
} from "./models/_torch_fixture.ts";
import { loadStateDict } from "../../src/nn/checkpoint.ts";
import {
  tfConvToTorch,
  tfDenseToTorch,
  torchConvToTf,
  torchDenseToTf,
} from "../../src/formats/layout.ts";
import { tensorToFloat64 } from "../../src/formats/to_float.ts";
import { assertAllClose, assertClose } from "../_util/assert_close.ts";

await useBackend("wasm");

/** ‖a − b‖ / ‖b‖ over lists of tensors. */
function relDiff(a: readonly tf.Tensor[], b: readonly tf.Tensor[]): number {
  let num = 0;
  let den = 0;
  a.forEach((t, i) => {
    const x = t.dataSync();
    const y = b[i]!.dataSync();
    for (let j = 0; j < x.length; j++) {
      num += (x[j]! - y[j]!) ** 2;
      den += y[j]! ** 2;
    }
  });
  return Math.sqrt(num / den);
}

/** H·v by central differences of autodiff gradients: (∇L(θ + hv) − ∇L(θ − hv)) / 2h. */
function hvpByDifferences(
  lossFn: (p: readonly tf.Tensor[]) => tf.Scalar,
  params: readonly tf.Tensor[],
  v: readonly tf.Tensor[],
  h: number,
): tf.Tensor[] {
  return tf.tidy(() => {
    const grad = (sign: number) =>
      tf.grads((...ps: tf.Tensor[]) => lossFn(ps))(
        params.map((p, i) => tf.add(p, tf.mul(sign * h, v[i]!))),
      );
    const gp = grad(1);
    const gm = grad(-1);
    return gp.map((g, i) => tf.div(tf.sub(g, gm[i]!), 2 * h));
  });
}

function check(
  net: Network,
  x: tf.Tensor,
  training: boolean,
  tol: number,
): void {
  const y = tf.tidy(() =>
    tf.oneHot(tf.tensor1d([1, 0, 2, 1], "int32"), net.numClasses)
  );
  const { lossFn, params, names } = parameterLoss(net, { x, y }, { training });
  assert.deepEqual(names, [...net.params.keys()]);
  const rng = Rng.fromSeed(9n);
  const v = params.map((p) =>
    tf.tensor(
      Float32Array.from({ length: p.size }, () => rng.normal()),
      p.shape,
    )
  );
  const countersBefore = new Map(net.counters);
  const auto = hvp(lossFn, params, v);
  const fd = hvpByDifferences(lossFn, params, v, 1e-3);
  const err = relDiff(auto, fd);
  assert.ok(err < tol, `relative difference ${err}`);
  assert.deepEqual(net.counters, countersBefore);
  tf.dispose([...auto, ...fd, ...v, y]);
}

Deno.test("parameterLoss() gives HVPs equal to differences of gradients (logistic regression)", () => {
  const before = tf.memory().numTensors;
  // No hidden layer: the loss is smooth, so differences of gradients are a valid reference (with ReLUs a
  // step of h crosses kinks where the gradient jumps, and differences are meaningless).
  const net = createMlp(
    { inputShape: [5], hidden: [], numClasses: 3 },
    Rng.fromSeed(2n),
  );
  const x = tf.randomNormal([4, 5], 0, 1, "float32", 4);
  // float32 gradient differences with h = 1e-3: error ~ eps·‖g‖/(h·‖Hv‖) ≈ 1e-4 relative, plus O(h²).
  check(net, x, false, 1e-2);
  tf.dispose(x);
  net.dispose();
  assert.equal(tf.memory().numTensors, before);
});

for (const name of FIXTURES) {
  Deno.test(`parameterLoss() HVPs in train mode on wasm match PyTorch's float64 double backward (${name})`, async () => {
    const before = tf.memory().numTensors;
    const f = await loadTorchFixture(name);
    const net = createResNet18(f.options, Rng.fromSeed(1n));
    loadStateDict(net, f.stateBytes);
    const x = tf.tensor4d(f.xTrain.data, f.xTrain.shape);
    const y = tf.tidy(() =>
      tf.oneHot(tf.tensor1d(f.yTrain, "int32"), net.numClasses)
    );
    const { lossFn, params, names } = parameterLoss(net, { x, y }, {
      training: true,
    });
    // The generator's direction: v_j = float32(sin(0.37·j + 1.3)), j running over all parameters in
    // named_parameters() order in PyTorch layout; converted here to each tensor's tfjs layout.
    let j = 0;
    const v = names.map((n, k) => {
      const e = net.entries.find((en) => en.name === n)!;
      const torchShape = e.layout === "conv"
        ? [e.shape[3]!, e.shape[2]!, e.shape[0]!, e.shape[1]!]
        : e.layout === "dense"
        ? [e.shape[1]!, e.shape[0]!]
        : [...e.shape];
      const data = new Float32Array(params[k]!.size);
      for (let i = 0; i < data.length; i++) {
        data[i] = Math.sin(0.37 * j++ + 1.3);
      }
      const t = { dtype: "F32" as const, shape: torchShape, data };
      const tfLayout = e.layout === "conv"
        ? torchConvToTf(t)
        : e.layout === "dense"
        ? torchDenseToTf(t)
        : t;
      return tf.tensor(tfLayout.data, e.shape as number[]);
    });
    const hv = hvp(lossFn, params, v);
    const sqNorms = JSON.parse(f.gradsMetadata.hvp_sq_norms!) as Record<
      string,
      number
    >;
    let vHv = 0;
    names.forEach((n, k) => {
      const h = hv[k]!.dataSync() as Float32Array;
      const vk = v[k]!.dataSync();
      let sq = 0;
      for (let i = 0; i < h.length; i++) {
        sq += h[i]! ** 2;
        vHv += h[i]! * vk[i]!;
      }
      // Second-order float32 reverse-over-reverse through ~20 layers vs float64; BatchNorms with few values
      // per channel amplify round-off (see the gradient test); measured up to ~6e-5 relative: allow 1e-3.
      assertClose(sq, sqNorms[n]!, { rtol: 1e-3, atol: 1e-10 }, `‖(Hv)_${n}‖²`);
      const ref = f.grads.get(`hvp.${n}`);
      if (ref === undefined) return;
      const e = net.entries.find((en) => en.name === n)!;
      const t = { dtype: "F32" as const, shape: [...e.shape], data: h };
      const torchLayout = e.layout === "conv"
        ? tfConvToTorch(t)
        : e.layout === "dense"
        ? tfDenseToTorch(t)
        : t;
      const want = tensorToFloat64(ref);
      // Element-wise, relative to the tensor's largest entry (same float32 argument).
      assertAllClose(torchLayout.data, want, {
        atol: 1e-3 * maxAbs(want),
        rtol: 0,
      }, `(Hv)_${n}`);
    });
    assertClose(vHv, Number(f.gradsMetadata.vHv), { rtol: 1e-4 }, "vᵀHv");
    tf.dispose([...hv, ...v, x, y]);
    net.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
}

Deno.test("parameterLoss() throws TypeError for labels of the wrong shape", () => {
  const net = createMlp(
    { inputShape: [5], hidden: [], numClasses: 3 },
    Rng.fromSeed(2n),
  );
  const x = tf.zeros([4, 5]);
  const y = tf.zeros([4, 2]);
  assert.throws(
    () => parameterLoss(net, { x, y }, { training: false }),
    TypeError,
  );
  tf.dispose([x, y]);
  net.dispose();
});
