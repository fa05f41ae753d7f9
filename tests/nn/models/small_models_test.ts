import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { gatherBatch } from "../../../src/data/batches.ts";
import { epochBatches } from "../../../src/data/batches.ts";
import { normalizeImages } from "../../../src/data/normalize_images.ts";
import { loadImageDataset } from "../../../src/io/datasets.ts";
import { crossEntropyFromLogits } from "../../../src/nn/kernels/mod.ts";
import { createMlp } from "../../../src/nn/models/mlp.ts";
import { createSmallCnn } from "../../../src/nn/models/small_cnn.ts";
import { MomentumSgd } from "../../../src/nn/momentum_sgd.ts";
import { Rng } from "../../../src/random/rng.ts";
import { assertAllClose } from "../../_util/assert_close.ts";
import { useBackend } from "./_torch_fixture.ts";

await useBackend("wasm");

Deno.test("createMlp() flattens NHWC input in PyTorch's (C, H, W) order", () => {
  const before = tf.memory().numTensors;
  // Input [H=1, W=2, C=2]; logistic regression with W = identity-like picks features in torch order.
  const net = createMlp(
    { inputShape: [1, 2, 2], hidden: [], numClasses: 4 },
    Rng.fromSeed(1n),
  );
  tf.tidy(() => {
    net.params.get("fc1.weight")!.assign(tf.eye(4));
    net.params.get("fc1.bias")!.assign(tf.zeros([4]));
  });
  // x[h=0][w][c] = 10·c + w; torch flattens x[c][h][w]: [c0w0, c0w1, c1w0, c1w1] = [0, 1, 10, 11].
  const z = tf.tidy(() =>
    net.forward(tf.tensor4d([[[[0, 10], [1, 11]]]]), { training: false })
  );
  assert.deepEqual(Array.from(z.dataSync()), [0, 1, 10, 11]);
  z.dispose();
  assert.deepEqual([...net.params.keys()], ["fc1.weight", "fc1.bias"]);
  net.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("createMlp() names layers fc1…fc{L+1} and returns [B, K] logits", () => {
  const before = tf.memory().numTensors;
  const net = createMlp(
    { inputShape: [28, 28, 1], hidden: [16, 8] },
    Rng.fromSeed(1n),
  );
  assert.deepEqual([...net.params.keys()], [
    "fc1.weight",
    "fc1.bias",
    "fc2.weight",
    "fc2.bias",
    "fc3.weight",
    "fc3.bias",
  ]);
  assert.equal(net.parameterCount, 784 * 16 + 16 + 16 * 8 + 8 + 8 * 10 + 10);
  const z = tf.tidy(() =>
    net.forward(tf.zeros([5, 28, 28, 1]), { training: true })
  );
  assert.deepEqual(z.shape, [5, 10]);
  z.dispose();
  net.dispose();
  assert.equal(tf.memory().numTensors, before);
  assert.throws(
    () => createMlp({ inputShape: [0] }, Rng.fromSeed(1n)),
    RangeError,
  );
});

Deno.test("createSmallCnn() names, shapes, and BatchNorm variant", () => {
  const before = tf.memory().numTensors;
  const plain = createSmallCnn({ width: 4 }, Rng.fromSeed(1n));
  assert.deepEqual(plain.entries.map((e) => e.name), [
    "conv1.weight",
    "conv1.bias",
    "conv2.weight",
    "conv2.bias",
    "fc.weight",
    "fc.bias",
  ]);
  assert.deepEqual(plain.params.get("fc.weight")!.shape, [8 * 7 * 7, 10]);
  const bn = createSmallCnn({
    width: 4,
    batchNorm: true,
    inputShape: [32, 32, 1],
  }, Rng.fromSeed(1n));
  assert.deepEqual(bn.entries.map((e) => e.name).slice(0, 7), [
    "conv1.weight",
    "bn1.weight",
    "bn1.bias",
    "bn1.running_mean",
    "bn1.running_var",
    "bn1.num_batches_tracked",
    "conv2.weight",
  ]);
  for (const training of [true, false]) {
    const z = tf.tidy(() => bn.forward(tf.ones([2, 32, 32, 1]), { training }));
    assert.deepEqual(z.shape, [2, 10]);
    z.dispose();
  }
  assert.throws(
    () => createSmallCnn({ inputShape: [30, 30, 1] }, Rng.fromSeed(1n)),
    RangeError,
  );
  plain.dispose();
  bn.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("small CNN gradients on wasm (repaired kernels) equal finite differences of the loss", () => {
  const before = tf.memory().numTensors;
  const net = createSmallCnn({
    width: 2,
    batchNorm: true,
    inputShape: [8, 8, 1],
    numClasses: 3,
  }, Rng.fromSeed(6n));
  const x = tf.randomNormal([4, 8, 8, 1], 0, 1, "float32", 7);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 2, 1, 2], "int32"), 3));
  const loss = () =>
    crossEntropyFromLogits(
      net.forward(x, { training: true, updateStats: false }),
      y,
    );
  const { value, grads } = tf.variableGrads(loss, [...net.params.values()]);
  value.dispose();
  // Central differences along a random direction u per tensor: (L(θ+hu) − L(θ−hu))/2h ≈ ⟨∇L, u⟩. The net is
  // piecewise smooth (ReLU, max-pool), so h must be small enough not to cross a kink (h = 1e-2 and 1e-3 do
  // for these seeds) yet large against float32 round-off of L ≈ 1: h = 3e-4.
  const h = 3e-4;
  const rng = Rng.fromSeed(8n);
  const got: number[] = [];
  const want: number[] = [];
  for (const v of net.params.values()) {
    const u = new Float32Array(v.size).map(() => rng.normal());
    const g = grads[v.name]!.dataSync() as Float32Array;
    let dot = 0;
    for (let i = 0; i < g.length; i++) dot += g[i]! * u[i]!;
    got.push(dot);
    const original = v.clone();
    const at = (sign: number) => {
      tf.tidy(() =>
        v.assign(tf.add(original, tf.mul(sign * h, tf.tensor(u, v.shape))))
      );
      return tf.tidy(() => loss().dataSync()[0]!);
    };
    want.push((at(1) - at(-1)) / (2 * h));
    v.assign(original);
    original.dispose();
  }
  // float32 loss differences: error ≈ eps·L·‖u‖/h ≈ 4e-4·‖u‖ plus O(h²) terms; 1e-3 absolute.
  assertAllClose(got, want, { atol: 1e-3, rtol: 0 });
  tf.dispose(Object.values(grads));
  tf.dispose([x, y]);
  net.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("a small CNN's training loss falls on MNIST on wasm with the repaired kernels", async () => {
  const before = tf.memory().numTensors;
  const ds = await loadImageDataset("mnist", { split: "train", limit: 512 });
  const inputs = normalizeImages(ds, "standard");
  const source = {
    inputs,
    labels: ds.labels,
    exampleSize: 784,
    numClasses: 10,
  };
  const net = createSmallCnn({ width: 4 }, Rng.fromSeed(1n));
  const sgd = new MomentumSgd(net.params, {
    eta: 0.05,
    beta: 0.9,
    weightDecay: 5e-4,
  });
  const probe = gatherBatch(source, Array.from({ length: 256 }, (_, i) => i));
  const px = tf.tensor4d(probe.x, [256, 28, 28, 1]);
  const py = tf.tensor2d(probe.y, [256, 10]);
  const probeLoss = () =>
    tf.tidy(() =>
      crossEntropyFromLogits(net.forward(px, { training: false }), py)
        .dataSync()[0]!
    );
  const initial = probeLoss();
  const rng = Rng.fromSeed(2n);
  for (let epoch = 0; epoch < 2; epoch++) {
    for (const idx of epochBatches(ds.count, rng, { batchSize: 32 })) {
      const b = gatherBatch(source, idx);
      const x = tf.tensor4d(b.x, [b.size, 28, 28, 1]);
      const y = tf.tensor2d(b.y, [b.size, 10]);
      const loss = sgd.step(() =>
        crossEntropyFromLogits(net.forward(x, { training: true }), y)
      );
      assert.ok(Number.isFinite(loss));
      tf.dispose([x, y]);
    }
  }
  const final = probeLoss();
  // ln 10 ≈ 2.30 at chance; 32 steps of momentum SGD on 512 digits reach well below half of the start.
  assert.ok(
    initial > 2 && final < 0.5 * initial,
    `probe loss ${initial} → ${final}`,
  );
  tf.dispose([px, py]);
  sgd.dispose();
  net.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("MomentumSgd.step() on a BatchNorm network updates running stats once per step, without leaks", () => {
  const before = tf.memory().numTensors;
  const net = createSmallCnn({
    width: 2,
    batchNorm: true,
    inputShape: [8, 8, 1],
    numClasses: 3,
  }, Rng.fromSeed(6n));
  const sgd = new MomentumSgd(net.params, { eta: 0.1, beta: 0.9 });
  const x = tf.randomNormal<tf.Rank.R4>([4, 8, 8, 1], 2, 3, "float32", 7);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 2, 1, 2], "int32"), 3));
  // Expected running mean of bn1 after one step: 0.9·0 + 0.1·(batch mean of conv1's output at θ_0).
  const want = tf.tidy(() => {
    const h = tf.conv2d(
      x,
      net.params.get("conv1.weight")! as tf.Tensor4D,
      1,
      1,
    );
    return tf.mul(0.1, tf.mean(h, [0, 1, 2]));
  });
  sgd.step(() => crossEntropyFromLogits(net.forward(x, { training: true }), y));
  assert.equal(net.counters.get("bn1.num_batches_tracked"), 1);
  assert.equal(net.counters.get("bn2.num_batches_tracked"), 1);
  // float32: the same ops on the same backend, different association of the momentum product.
  assertAllClose(
    net.buffers.get("bn1.running_mean")!.dataSync(),
    want.dataSync(),
    { rtol: 1e-6, atol: 1e-7 },
  );
  tf.dispose([x, y, want]);
  sgd.dispose();
  net.dispose();
  assert.equal(tf.memory().numTensors, before);
});
