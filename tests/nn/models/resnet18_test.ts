import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { tfConvToTorch, tfDenseToTorch } from "../../../src/formats/layout.ts";
import { tensorToFloat64 } from "../../../src/formats/to_float.ts";
import { loadStateDict } from "../../../src/nn/checkpoint.ts";
import { crossEntropyFromLogits } from "../../../src/nn/kernels/mod.ts";
import { createResNet18 } from "../../../src/nn/models/resnet18.ts";
import type { Network } from "../../../src/nn/models/network.ts";
import { Rng } from "../../../src/random/rng.ts";
import { assertAllClose, assertClose } from "../../_util/assert_close.ts";
import {
  FIXTURES,
  loadTorchFixture,
  type TorchFixture,
  useBackend,
} from "./_torch_fixture.ts";

await useBackend("wasm");

/** The tensor names of a safetensors header in file order (= PyTorch state_dict() order, as the generator wrote it). */
function headerOrder(bytes: Uint8Array): string[] {
  const n = Number(
    new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true),
  );
  const header = JSON.parse(
    new TextDecoder().decode(bytes.subarray(8, 8 + n)),
  ) as Record<string, unknown>;
  return Object.keys(header).filter((k) => k !== "__metadata__");
}

async function loaded(name: string): Promise<[TorchFixture, Network]> {
  const f = await loadTorchFixture(name);
  const net = createResNet18(f.options, Rng.fromSeed(99n));
  loadStateDict(net, f.stateBytes);
  return [f, net];
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

for (const name of FIXTURES) {
  Deno.test(`createResNet18() state names equal torch's state_dict keys in order (${name})`, async () => {
    const f = await loadTorchFixture(name);
    const net = createResNet18(f.options, Rng.fromSeed(1n));
    assert.deepEqual(net.entries.map((e) => e.name), headerOrder(f.stateBytes));
    // named_parameters() order = state_dict order without buffers.
    assert.deepEqual(
      [...net.params.keys()],
      headerOrder(f.stateBytes).filter((k) => !/running_|num_batches/.test(k)),
    );
    net.dispose();
  });

  Deno.test(`forward() in eval mode on wasm matches PyTorch's float64 logits (${name})`, async () => {
    const before = tf.memory().numTensors;
    const [f, net] = await loaded(name);
    const z = tf.tidy(() =>
      net.forward(tf.tensor4d(f.xEval.data, f.xEval.shape), { training: false })
    );
    const got = z.dataSync();
    z.dispose();
    // float32 through ~20 conv/BN layers with a different reduction order than PyTorch: torch's own float32
    // logits differ from its float64 ones by up to 3.6e-7 here (|z| < 1), so allow 5e-6 ≈ 40 float32 ulps.
    assertAllClose(
      got,
      f.logitsEvalF64,
      { atol: 5e-6, rtol: 0 },
      "eval logits",
    );
    assertAllClose(
      got,
      f.logitsEvalF32,
      { atol: 5e-6, rtol: 0 },
      "eval logits vs torch float32",
    );
    net.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  Deno.test(`forward() in train mode matches PyTorch: batch-statistics logits, running stats, counters (${name})`, async () => {
    const before = tf.memory().numTensors;
    const [f, net] = await loaded(name);
    const countersBefore = new Map(net.counters);
    const z = tf.tidy(() =>
      net.forward(tf.tensor4d(f.xTrain.data, f.xTrain.shape), {
        training: true,
      })
    );
    // Same float32 argument as the eval test; batch statistics over B·H·W ≤ 2048 values add little.
    assertAllClose(
      z.dataSync(),
      f.logitsTrainF64,
      { atol: 5e-6, rtol: 0 },
      "train logits",
    );
    z.dispose();
    let checked = 0;
    for (const [k, t] of f.after) {
      if (k.endsWith("num_batches_tracked")) {
        assert.equal(
          BigInt(net.counters.get(k)!),
          (t.data as BigInt64Array)[0],
          k,
        );
        assert.equal(net.counters.get(k), countersBefore.get(k)! + 1, k);
      } else {
        // Two float32 computations of a mean / unbiased variance over up to 2048 values (different
        // reduction orders): relative error ~√n·eps ≈ 5e-6; 5e-5 leaves a margin, atol for means near 0.
        assertAllClose(net.buffers.get(k)!.dataSync(), t.data as Float32Array, {
          rtol: 5e-5,
          atol: 1e-6,
        }, k);
      }
      checked++;
    }
    assert.equal(checked, net.buffers.size + net.counters.size);
    net.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  Deno.test(`cross-entropy gradients in train mode on wasm match PyTorch's float64 gradients (${name})`, async () => {
    const before = tf.memory().numTensors;
    const [f, net] = await loaded(name);
    const x = tf.tensor4d(f.xTrain.data, f.xTrain.shape);
    const y = tf.tidy(() =>
      tf.oneHot(tf.tensor1d(f.yTrain, "int32"), net.numClasses)
    );
    const names = [...net.params.keys()];
    const { value, grads } = tf.variableGrads(
      () =>
        crossEntropyFromLogits(
          net.forward(x, { training: true, updateStats: false }),
          y,
        ),
      [...net.params.values()],
    );
    // float32 loss vs torch float64: a few float32 ulps of a value ~2.
    assertClose(value.dataSync()[0]!, Number(f.gradsMetadata.loss), {
      rtol: 1e-6,
    });
    const sqNorms = JSON.parse(f.gradsMetadata.grad_sq_norms!) as Record<
      string,
      number
    >;
    for (const n of names) {
      const g = grads[net.params.get(n)!.name]!;
      const data = g.dataSync() as Float32Array;
      let sq = 0;
      for (const v of data) sq += v * v;
      // float32 backprop through ~20 layers vs float64: 5e-6 relative measured on the 32×32 fixture. The
      // 25×25 ImageNet-stem fixture reaches layer4 at 1×1, so its BatchNorms see B·H·W = 2 values per channel
      // (x̂ = ±1) and their backward pass cancels almost completely, amplifying float32 round-off: the cpu
      // backend is off by 2.5e-4 there, wasm by 1.5e-4.
      const rtol = name === "resnet18_w4_imagenet" ? 1e-3 : 5e-5;
      assertClose(sq, sqNorms[n]!, { rtol, atol: 1e-12 }, `‖∇${n}‖²`);
      const ref = f.grads.get(n);
      if (ref === undefined) continue;
      const e = net.entries.find((en) => en.name === n)!;
      const t = { dtype: "F32" as const, shape: [...e.shape], data };
      const torchLayout = e.layout === "conv"
        ? tfConvToTorch(t)
        : e.layout === "dense"
        ? tfDenseToTorch(t)
        : t;
      const want = tensorToFloat64(ref);
      // Element-wise float32 error relative to the tensor's largest entry.
      assertAllClose(torchLayout.data, want, {
        atol: 1e-4 * maxAbs(want),
        rtol: 0,
      }, `∇${n}`);
    }
    assert.equal(f.grads.size > 4, true);
    value.dispose();
    tf.dispose(Object.values(grads));
    tf.dispose([x, y]);
    assert.deepEqual(
      net.counters.get("bn1.num_batches_tracked"),
      Number(
        (f.state.get("bn1.num_batches_tracked")!.data as BigInt64Array)[0],
      ),
    );
    net.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
}

Deno.test("createResNet18() at width 64 has torchvision's 11,689,512 parameters (1000 classes)", () => {
  // torchvision.models.resnet18() parameter count, as printed in the paper's notebook (theory.md §5.1).
  const net = createResNet18({
    width: 64,
    numClasses: 1000,
    stem: "imagenet",
    imageSize: 224,
  }, Rng.fromSeed(1n));
  assert.equal(net.parameterCount, 11_689_512);
  assert.deepEqual(net.params.get("conv1.weight")!.shape, [7, 7, 3, 64]);
  assert.deepEqual(net.params.get("fc.weight")!.shape, [512, 1000]);
  assert.equal(net.buffers.size, 40);
  assert.equal(net.counters.size, 20);
  net.dispose();
});

Deno.test("forward() output shapes for both stems, and input shape checks", () => {
  const before = tf.memory().numTensors;
  for (const [stem, size] of [["imagenet", 64], ["small", 16]] as const) {
    const net = createResNet18({
      width: 2,
      inChannels: 2,
      numClasses: 7,
      stem,
      imageSize: size,
    }, Rng.fromSeed(5n));
    for (const training of [false, true]) {
      const z = tf.tidy(() =>
        net.forward(tf.ones([3, size, size, 2]), { training })
      );
      assert.deepEqual(z.shape, [3, 7]);
      z.dispose();
    }
    assert.throws(
      () =>
        tf.tidy(() =>
          net.forward(tf.ones([3, size, size, 1]), { training: false })
        ),
      TypeError,
    );
    net.dispose();
  }
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("forward() with updateStats false leaves running stats and counters unchanged", () => {
  const net = createResNet18(
    { width: 2, inChannels: 1, imageSize: 8 },
    Rng.fromSeed(2n),
  );
  const before = tf.tidy(() =>
    tf.concat([...net.buffers.values()].map((b) => b.flatten()))
  );
  tf.tidy(() =>
    net.forward(tf.randomNormal([4, 8, 8, 1], 0, 1, "float32", 1), {
      training: true,
      updateStats: false,
    })
  );
  const after = tf.tidy(() =>
    tf.concat([...net.buffers.values()].map((b) => b.flatten()))
  );
  assert.deepEqual(after.dataSync(), before.dataSync());
  assert.equal(net.counters.get("layer1.0.bn1.num_batches_tracked"), 0);
  tf.dispose([before, after]);
  net.dispose();
});

Deno.test("forward() uses parameter overrides instead of the stored parameters", () => {
  const net = createResNet18(
    { width: 2, inChannels: 1, imageSize: 8 },
    Rng.fromSeed(2n),
  );
  const x = tf.randomNormal([2, 8, 8, 1], 0, 1, "float32", 3);
  const bias = tf.tensor1d(Array.from({ length: 10 }, (_, i) => i));
  const a = tf.tidy(() =>
    net.forward(x, { training: false, params: new Map([["fc.bias", bias]]) })
  );
  net.params.get("fc.bias")!.assign(bias);
  const b = tf.tidy(() => net.forward(x, { training: false }));
  assert.deepEqual(a.dataSync(), b.dataSync());
  tf.dispose([x, bias, a, b]);
  net.dispose();
});

Deno.test("forward() in train mode throws RangeError when a BatchNorm channel has one value", () => {
  const net = createResNet18(
    { width: 2, inChannels: 1, imageSize: 8 },
    Rng.fromSeed(2n),
  );
  // Batch of 1 at 8×8: layer4 is 1×1, so each channel sees a single value (PyTorch raises too).
  assert.throws(
    () => tf.tidy(() => net.forward(tf.ones([1, 8, 8, 1]), { training: true })),
    RangeError,
  );
  net.dispose();
});

Deno.test("createResNet18() throws RangeError for invalid options", () => {
  const rng = Rng.fromSeed(1n);
  assert.throws(() => createResNet18({ width: 0 }, rng), RangeError);
  assert.throws(() => createResNet18({ numClasses: 2.5 }, rng), RangeError);
  assert.throws(
    () => createResNet18({ stem: "cifar" as "small" }, rng),
    RangeError,
  );
});

Deno.test("createResNet18() initialises as torchvision: conv N(0, 2/fan_out), BN 1/0, fc within ±1/√fan_in", () => {
  const net = createResNet18({ width: 16, inChannels: 3 }, Rng.fromSeed(4n));
  const w = net.params.get("layer3.0.conv2.weight")!.dataSync(); // 3×3, 64 → 64: fan_out = 576
  let s2 = 0;
  for (const v of w) s2 += v * v;
  // Sample variance of n = 36864 normals: relative standard error √(2/n) ≈ 0.0074; allow 4σ.
  assertClose(s2 / w.length, 2 / 576, { rtol: 4 * Math.sqrt(2 / w.length) });
  assert.ok(net.params.get("bn1.weight")!.dataSync().every((v) => v === 1));
  assert.ok(net.params.get("bn1.bias")!.dataSync().every((v) => v === 0));
  assert.ok(
    net.buffers.get("bn1.running_var")!.dataSync().every((v) => v === 1),
  );
  assert.ok(
    net.params.get("fc.weight")!.dataSync().every((v) =>
      Math.abs(v) <= 1 / Math.sqrt(128)
    ),
  );
  net.dispose();
});
