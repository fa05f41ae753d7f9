import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { lanczosEigen } from "../../src/analysis/lanczos_eigen.ts";
import { NetworkHessian } from "../../src/nn/hessian.ts";
import { flattenParams, unflattenParams } from "../../src/nn/flatten_params.ts";
import { createMlp } from "../../src/nn/models/mlp.ts";
import { Network } from "../../src/nn/models/network.ts";
import { Rng } from "../../src/random/rng.ts";
import { assertClose } from "../_util/assert_close.ts";
import { jacobiEigen } from "../analysis/_dense.ts";
import { useBackend } from "./models/_torch_fixture.ts";

await useBackend("cpu");

function randomData(net: Network, n: number, rng: Rng) {
  const size = net.inputShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * size);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const y = new Float32Array(n * net.numClasses);
  for (let i = 0; i < n; i++) {
    y[i * net.numClasses + rng.int(net.numClasses)] = 1;
  }
  return { x, y, count: n };
}

function unitVector(d: number, rng: Rng): Float64Array {
  const v = new Float64Array(d);
  let s = 0;
  for (let i = 0; i < d; i++) {
    v[i] = rng.normal();
    s += v[i]! ** 2;
  }
  return v.map((x) => x / Math.sqrt(s));
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

/** Central differences of the full-subset gradient along v: (∇L(θ+εv) − ∇L(θ−εv)) / 2ε. */
function finiteDifferenceHv(
  net: Network,
  h: NetworkHessian,
  v: Float64Array,
  eps: number,
): Float64Array {
  const theta = flattenParams(net.params);
  const shifted = (s: number) => {
    unflattenParams(theta.map((t, i) => t + s * eps * v[i]!), net.params);
    return h.gradient();
  };
  const gPlus = shifted(1);
  const gMinus = shifted(-1);
  unflattenParams(theta, net.params);
  return gPlus.map((g, i) => (g - gMinus[i]!) / (2 * eps));
}

/**
 * A smooth conv net with BatchNorm (evaluation mode uses its non-trivial running statistics): conv 3×3 →
 * BatchNorm → tanh → 2×2 average pool → dense. Smooth, so central differences are a clean reference (ReLU and
 * max-pool kinks inside ±ε would spoil them; those ops' second derivatives are tested in tests/nn/kernels/).
 */
function smoothBnCnn(rng: Rng): Network {
  const entries = [
    { name: "conv.weight", role: "param", shape: [3, 3, 1, 2], layout: "conv" },
    { name: "bn.weight", role: "param", shape: [2], layout: "plain" },
    { name: "bn.bias", role: "param", shape: [2], layout: "plain" },
    { name: "bn.running_mean", role: "buffer", shape: [2], layout: "plain" },
    { name: "bn.running_var", role: "buffer", shape: [2], layout: "plain" },
    {
      name: "bn.num_batches_tracked",
      role: "counter",
      shape: [],
      layout: "plain",
    },
    { name: "fc.weight", role: "param", shape: [32, 3], layout: "dense" },
    { name: "fc.bias", role: "param", shape: [3], layout: "plain" },
  ] as const;
  const initial = new Map<string, Float32Array>();
  for (const e of entries) {
    if (e.role === "counter") continue;
    const size = e.shape.reduce((a: number, b: number) => a * b, 1);
    initial.set(
      e.name,
      Float32Array.from(
        { length: size },
        () =>
          e.name === "bn.running_var"
            ? 0.5 + rng.float()
            : e.name === "bn.weight"
            ? 1 + 0.3 * rng.normal()
            : 0.4 * rng.normal(),
      ),
    );
  }
  return new Network({
    architecture: "smooth_bn_cnn",
    config: {},
    inputShape: [8, 8, 1],
    numClasses: 3,
    entries: entries.map((e) => ({ ...e, shape: [...e.shape] })),
    initial,
    forward: (ctx, x) => {
      const z = tf.conv2d(
        x as tf.Tensor4D,
        ctx.param("conv.weight") as tf.Tensor4D,
        1,
        1,
      );
      const a = tf.avgPool(tf.tanh(ctx.batchNorm("bn", z)), 2, 2, 0);
      return tf.add(
        tf.matMul(
          tf.reshape(a, [x.shape[0]!, -1]),
          ctx.param("fc.weight") as tf.Tensor2D,
        ),
        ctx.param("fc.bias"),
      ) as tf.Tensor2D;
    },
  });
}

Deno.test("NetworkHessian.hvp() matches central differences of the gradient (ReLU MLP, smooth BatchNorm CNN in eval mode)", () => {
  const rng = Rng.fromSeed(11n);
  const nets = [
    createMlp({ inputShape: [5], hidden: [6], numClasses: 3 }, rng),
    smoothBnCnn(rng),
  ];
  for (const net of nets) {
    const h = new NetworkHessian(net, randomData(net, 9, rng), {
      batchSize: 4,
    });
    const before = tf.memory().numTensors;
    for (let trial = 0; trial < 2; trial++) {
      const v = unitVector(h.dim, rng);
      const hv = h.hvp(v);
      // ε = 1e-2: float32 gradients carry ~1e-7 relative noise, amplified by 1/2ε; the O(ε²) truncation and
      // rare ReLU/max-pool kink crossings stay below 1 % of ‖Hv‖.
      const fd = finiteDifferenceHv(net, h, v, 1e-2);
      assert.ok(
        relErr(hv, fd) < 1e-2,
        `${net.architecture}: ‖Hv − FD‖/‖FD‖ = ${relErr(hv, fd)}`,
      );
    }
    assert.equal(tf.memory().numTensors, before, "no tensor leaked");
    h.dispose();
    net.dispose();
  }
});

Deno.test("NetworkHessian.hvp() is symmetric: uᵀHv = vᵀHu, and independent of the evaluation batch size", () => {
  const rng = Rng.fromSeed(12n);
  const net = smoothBnCnn(rng);
  const data = randomData(net, 7, rng);
  const h = new NetworkHessian(net, data, { batchSize: 3 });
  const whole = new NetworkHessian(net, data, { batchSize: 7 });
  const u = unitVector(h.dim, rng);
  const v = unitVector(h.dim, rng);
  const hv = h.hvp(v);
  const hu = h.hvp(u);
  const scale = Math.sqrt(dot(hv, hv) * dot(hu, hu));
  // float32 through tfjs: products of d ≈ 400 terms accumulate ~√d·1e-7 relative round-off.
  assertClose(dot(u, hv), dot(v, hu), { atol: 1e-5 * scale }, "uᵀHv vs vᵀHu");
  // Weighting of the uneven batches (3, 3, 1) by B_j/N reproduces the single-batch mean.
  assert.ok(relErr(hv, whole.hvp(v)) < 1e-5, "batched vs whole-subset Hv");
  assertClose(h.loss(), whole.loss(), { rtol: 1e-6 }, "loss");
  assert.ok(relErr(h.gradient(), whole.gradient()) < 1e-5, "gradient");
  assert.equal(h.hvpCount, 2);
  h.dispose();
  whole.dispose();
  net.dispose();
});

Deno.test("lanczosEigen() on NetworkHessian matches the dense Hessian built column by column (tiny MLP)", async () => {
  const rng = Rng.fromSeed(13n);
  const net = createMlp({ inputShape: [3], hidden: [4], numClasses: 3 }, rng);
  const h = new NetworkHessian(net, randomData(net, 6, rng));
  const d = h.dim;
  const dense = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const e = new Float64Array(d);
    e[j] = 1;
    const col = h.hvp(e);
    for (let i = 0; i < d; i++) dense[i * d + j] = col[i]!;
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const m = (dense[i * d + j]! + dense[j * d + i]!) / 2;
      dense[i * d + j] = m;
      dense[j * d + i] = m;
    }
  }
  const exact = jacobiEigen({ n: d, data: dense });
  const top = Array.from(exact.values).sort((a, b) => b - a);
  const r = await lanczosEigen((v) => h.hvp(v), d, {
    k: 3,
    rng: Rng.fromSeed(5n),
    tol: 1e-5,
  });
  for (let i = 0; i < 3; i++) {
    // float32 operator: eigenvalues agree to ~1e-6·λ_max.
    assertClose(r.values[i]!, top[i]!, { atol: 1e-5 * top[0]! }, `λ${i + 1}`);
    assert.ok(r.residuals[i]! < 1e-4 * top[0]!, `residual ${i}`);
  }
  h.dispose();
  net.dispose();
});

Deno.test("NetworkHessian.noiseCovTrace() matches closed-form per-example gradients of logistic regression", () => {
  const rng = Rng.fromSeed(14n);
  const net = createMlp({ inputShape: [4], hidden: [], numClasses: 3 }, rng);
  const data = randomData(net, 10, rng);
  const h = new NetworkHessian(net, data, { batchSize: 4 });
  const w = net.params.get("fc1.weight")!.dataSync(); // [in=4, out=3]
  const bias = net.params.get("fc1.bias")!.dataSync();
  // Independent route in float64: gᵢ = ((p − y) ⊗ x for W[in, out], p − y for b).
  const grads: Float64Array[] = [];
  for (let i = 0; i < 10; i++) {
    const x = data.x.subarray(i * 4, i * 4 + 4);
    const z = [0, 1, 2].map((k) =>
      bias[k]! + [0, 1, 2, 3].reduce((s, j) => s + x[j]! * w[j * 3 + k]!, 0)
    );
    const mx = Math.max(...z);
    const e = z.map((v) => Math.exp(v - mx));
    const sum = e.reduce((a, b) => a + b, 0);
    const r = e.map((v, k) => v / sum - data.y[i * 3 + k]!);
    const g = new Float64Array(15);
    for (let j = 0; j < 4; j++) {
      for (let k = 0; k < 3; k++) g[j * 3 + k] = x[j]! * r[k]!;
    }
    for (let k = 0; k < 3; k++) g[12 + k] = r[k]!;
    grads.push(g);
  }
  const mean = new Float64Array(15);
  for (const g of grads) g.forEach((v, j) => (mean[j] = mean[j]! + v / 10));
  let trace = 0;
  for (const g of grads) {
    g.forEach((v, j) => (trace += (v - mean[j]!) ** 2 / 10));
  }
  const result = h.noiseCovTrace();
  assert.equal(result.count, 10);
  // float32 through tfjs.
  assertClose(result.trace, trace, { rtol: 1e-5 }, "tr Σ");
  assert.ok(relErr(result.meanGradient, mean) < 1e-5, "ḡ");
  assert.ok(relErr(h.gradient(), mean) < 1e-5, "gradient() = ḡ");
  h.dispose();
  net.dispose();
});

Deno.test("NetworkHessian rejects mismatched data and use after dispose", () => {
  const net = createMlp(
    { inputShape: [2], hidden: [], numClasses: 2 },
    Rng.fromSeed(1n),
  );
  assert.throws(
    () =>
      new NetworkHessian(net, {
        x: new Float32Array(3),
        y: new Float32Array(2),
        count: 1,
      }),
    TypeError,
  );
  assert.throws(
    () =>
      new NetworkHessian(net, {
        x: new Float32Array(0),
        y: new Float32Array(0),
        count: 0,
      }),
    RangeError,
  );
  const h = new NetworkHessian(net, {
    x: new Float32Array(2),
    y: new Float32Array([1, 0]),
    count: 1,
  });
  assert.throws(() => h.hvp(new Float64Array(5)), /has length 5, expected 6/);
  h.dispose();
  assert.throws(() => h.hvp(new Float64Array(6)), /disposed/);
  net.dispose();
});
