import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import {
  readSafetensors,
  writeSafetensors,
} from "../../src/formats/safetensors.ts";
import type { Tensor } from "../../src/formats/tensor.ts";
import { loadStateDict, saveStateDict } from "../../src/nn/checkpoint.ts";
import { createResNet18 } from "../../src/nn/models/resnet18.ts";
import { createSmallCnn } from "../../src/nn/models/small_cnn.ts";
import { Rng } from "../../src/random/rng.ts";
import {
  FIXTURES,
  loadTorchFixture,
  useBackend,
} from "./models/_torch_fixture.ts";

await useBackend("wasm");

function bitsEqual(a: Tensor, b: Tensor): boolean {
  if (a.dtype !== b.dtype || a.shape.join() !== b.shape.join()) return false;
  const x = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const y = new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

for (const name of FIXTURES) {
  Deno.test(`loadStateDict() then saveStateDict() reproduces every tensor of torch's file bit for bit (${name})`, async () => {
    const before = tf.memory().numTensors;
    const f = await loadTorchFixture(name);
    const net = createResNet18(f.options, Rng.fromSeed(5n));
    const meta = loadStateDict(net, f.stateBytes);
    assert.equal(meta.seed, "20240531");
    const saved = readSafetensors(saveStateDict(net));
    assert.deepEqual([...saved.tensors.keys()], [...f.state.keys()]);
    for (const [k, t] of f.state) {
      assert.ok(
        bitsEqual(saved.tensors.get(k)!, t),
        `tensor ${k} differs after load → save`,
      );
    }
    assert.equal(saved.metadata.format, "pt");
    assert.equal(saved.metadata.architecture, "resnet18");
    assert.deepEqual(JSON.parse(saved.metadata.config!), f.options);
    net.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
}

Deno.test("saveStateDict() → loadStateDict() round trip is bit-exact, including counters and metadata", () => {
  const before = tf.memory().numTensors;
  const a = createResNet18(
    { width: 2, inChannels: 1, imageSize: 8 },
    Rng.fromSeed(1n),
  );
  tf.tidy(() => {
    a.forward(tf.randomNormal([4, 8, 8, 1], 0.5, 2, "float32", 1), {
      training: true,
    });
  });
  const hyper = {
    eta: 0.1,
    beta: 0.9,
    weightDecay: 1e-4,
    batchSize: 64,
    seed: "7",
  };
  const bytes = saveStateDict(a, {
    step: 123,
    hyperparameters: hyper,
    metadata: { note: "x" },
  });
  const b = createResNet18(
    { width: 2, inChannels: 1, imageSize: 8 },
    Rng.fromSeed(2n),
  );
  const meta = loadStateDict(b, bytes);
  assert.equal(meta.step, "123");
  assert.deepEqual(JSON.parse(meta.hyperparameters!), hyper);
  assert.equal(meta.note, "x");
  for (const [k, v] of a.params) {
    assert.deepEqual(b.params.get(k)!.dataSync(), v.dataSync(), k);
  }
  for (const [k, v] of a.buffers) {
    assert.deepEqual(b.buffers.get(k)!.dataSync(), v.dataSync(), k);
  }
  assert.deepEqual(b.counters, a.counters);
  assert.equal(b.counters.get("bn1.num_batches_tracked"), 1);
  assert.deepEqual(
    saveStateDict(b, {
      step: 123,
      hyperparameters: hyper,
      metadata: { note: "x" },
    }),
    bytes,
  );
  a.dispose();
  b.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("saveStateDict() writes PyTorch layouts: conv [out, in, kh, kw], linear [out, in]", () => {
  const net = createSmallCnn(
    { width: 2, inputShape: [4, 4, 3], numClasses: 5 },
    Rng.fromSeed(1n),
  );
  const w = net.params.get("conv1.weight")!; // tfjs [kh, kw, in, out] = [3, 3, 3, 2]
  const k = w.arraySync() as number[][][][];
  const saved = readSafetensors(saveStateDict(net)).tensors;
  const t = saved.get("conv1.weight")!;
  assert.deepEqual(t.shape, [2, 3, 3, 3]);
  const d = t.data as Float32Array;
  // torch[o][i][y][x] = tfjs[y][x][i][o], checked element by element.
  for (let o = 0; o < 2; o++) {
    for (let i = 0; i < 3; i++) {
      for (let y = 0; y < 3; y++) {
        for (let x = 0; x < 3; x++) {
          assert.equal(d[((o * 3 + i) * 3 + y) * 3 + x], k[y]![x]![i]![o]);
        }
      }
    }
  }
  const fc = net.params.get("fc.weight")!.arraySync() as number[][]; // [in = 2·2·1·1, out = 5]
  const ft = saved.get("fc.weight")!;
  assert.deepEqual(ft.shape, [5, 4]);
  for (let o = 0; o < 5; o++) {
    for (let i = 0; i < 4; i++) {
      assert.equal((ft.data as Float32Array)[o * 4 + i], fc[i]![o]);
    }
  }
  net.dispose();
});

function mutate(
  bytes: Uint8Array,
  edit: (m: Map<string, Tensor>) => void,
): Uint8Array {
  const { tensors, metadata } = readSafetensors(bytes);
  edit(tensors);
  return writeSafetensors(tensors, metadata);
}

Deno.test("loadStateDict() names every missing, unexpected and mis-shaped tensor in one TypeError", () => {
  const net = createSmallCnn(
    { width: 2, inputShape: [4, 4, 1] },
    Rng.fromSeed(1n),
  );
  const good = saveStateDict(net);
  const bad = mutate(good, (m) => {
    m.delete("conv2.bias");
    m.set("conv3.weight", {
      dtype: "F32",
      shape: [1],
      data: new Float32Array(1),
    });
    m.set("fc.bias", { dtype: "F32", shape: [9], data: new Float32Array(9) });
  });
  assert.throws(
    () => loadStateDict(net, bad),
    (e: unknown) =>
      e instanceof TypeError && e.message.includes('missing "conv2.bias"') &&
      e.message.includes('unexpected "conv3.weight"') &&
      e.message.includes('"fc.bias" has shape [9], expected [10]'),
  );
  const wrongType = mutate(good, (m) => {
    m.set("fc.bias", { dtype: "I32", shape: [10], data: new Int32Array(10) });
  });
  assert.throws(() => loadStateDict(net, wrongType), /"fc.bias" has dtype I32/);
  net.dispose();
});

Deno.test("loadStateDict() rejects NaN and ±∞ naming the tensor, and leaves the network unchanged", () => {
  const net = createSmallCnn(
    { width: 2, inputShape: [4, 4, 1] },
    Rng.fromSeed(1n),
  );
  const other = createSmallCnn(
    { width: 2, inputShape: [4, 4, 1] },
    Rng.fromSeed(2n),
  );
  const original = net.params.get("conv1.weight")!.dataSync().slice();
  for (const bad of [NaN, Infinity, -Infinity]) {
    const bytes = mutate(saveStateDict(other), (m) => {
      (m.get("conv2.weight")!.data as Float32Array)[3] = bad;
    });
    assert.throws(
      () => loadStateDict(net, bytes),
      (e: unknown) =>
        e instanceof RangeError && e.message.includes('"conv2.weight"'),
    );
  }
  assert.deepEqual(net.params.get("conv1.weight")!.dataSync(), original);
  net.dispose();
  other.dispose();
});

Deno.test("loadStateDict() accepts F64 weights and I32 counters, converting to float32", () => {
  const a = createResNet18(
    { width: 2, inChannels: 1, imageSize: 8 },
    Rng.fromSeed(1n),
  );
  const b = createResNet18(
    { width: 2, inChannels: 1, imageSize: 8 },
    Rng.fromSeed(2n),
  );
  const bytes = mutate(saveStateDict(a), (m) => {
    const fc = m.get("fc.bias")!;
    m.set("fc.bias", {
      dtype: "F64",
      shape: fc.shape,
      data: Float64Array.from(fc.data as Float32Array),
    });
    m.set("bn1.num_batches_tracked", {
      dtype: "I32",
      shape: [],
      data: new Int32Array([17]),
    });
  });
  loadStateDict(b, bytes);
  assert.deepEqual(
    b.params.get("fc.bias")!.dataSync(),
    a.params.get("fc.bias")!.dataSync(),
  );
  assert.equal(b.counters.get("bn1.num_batches_tracked"), 17);
  a.dispose();
  b.dispose();
});

Deno.test("saveStateDict() throws RangeError for a negative step or a reserved metadata key", () => {
  const net = createSmallCnn(
    { width: 2, inputShape: [4, 4, 1] },
    Rng.fromSeed(1n),
  );
  assert.throws(() => saveStateDict(net, { step: -1 }), RangeError);
  assert.throws(
    () => saveStateDict(net, { metadata: { step: "1" } }),
    RangeError,
  );
  net.dispose();
});
