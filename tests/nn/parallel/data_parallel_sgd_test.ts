import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../../src/random/rng.ts";
import { initBackend } from "../../../src/nn/backend.ts";
import { crossEntropyFromLogits } from "../../../src/nn/kernels/cross_entropy_from_logits.ts";
import { flattenParams } from "../../../src/nn/flatten_params.ts";
import { MomentumSgd } from "../../../src/nn/momentum_sgd.ts";
import type { Network } from "../../../src/nn/models/network.ts";
import {
  createModel,
  type ModelSpec,
} from "../../../src/nn/parallel/model_spec.ts";
import { DataParallelSgd } from "../../../src/nn/parallel/data_parallel_sgd.ts";

// The single-process references run on the same backend as the workers (wasm SIMD with the repaired kernels).
await initBackend("wasm");

const SPEC: ModelSpec = {
  kind: "small_cnn",
  inputShape: [8, 8, 2],
  width: 3,
  numClasses: 4,
  batchNorm: true,
};
const HYPER = { eta: 0.05, beta: 0.9, weightDecay: 1e-3 };
const BATCH = 8;
const STEPS = 3;

function batches(seed: bigint): { x: Float32Array; y: Float32Array }[] {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: STEPS }, () => {
    const x = rng.fillNormal(new Float32Array(BATCH * 8 * 8 * 2));
    const y = new Float32Array(BATCH * 4);
    for (let i = 0; i < BATCH; i++) y[i * 4 + rng.int(4)] = 1;
    return { x, y };
  });
}

function bitsEqual(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) {
    if (ua[i] !== ub[i]) {
      assert.fail(`${what}: element ${i} differs: ${a[i]} vs ${b[i]}`);
    }
  }
}

function freshNet(): Network {
  return createModel(SPEC, Rng.fromSeed(7n));
}

async function runParallel(workers: number): Promise<{
  params: Float32Array;
  momentum: Float32Array;
  buffers: Float32Array;
  losses: number[];
}> {
  const net = freshNet();
  const trainer = await DataParallelSgd.create(SPEC, {
    params: flattenParams(net.params),
    buffers: flattenParams(net.buffers),
  }, { workers, ...HYPER });
  net.dispose();
  try {
    assert.equal(trainer.backendInfo.backend, "wasm");
    assert.equal(trainer.backendInfo.simd, true);
    const losses: number[] = [];
    for (const { x, y } of batches(11n)) {
      losses.push(await trainer.step(x, y, BATCH));
    }
    return {
      params: trainer.params.slice(),
      momentum: trainer.momentum.slice(),
      buffers: trainer.buffers.slice(),
      losses,
    };
  } finally {
    trainer.terminate();
  }
}

Deno.test("DataParallelSgd with 1 worker equals single-process MomentumSgd bit for bit (θ, b, BN stats, loss)", async () => {
  const got = await runParallel(1);
  const net = freshNet();
  const opt = new MomentumSgd(net.params, HYPER);
  const losses: number[] = [];
  for (const { x, y } of batches(11n)) {
    const xt = tf.tensor(x, [BATCH, 8, 8, 2]);
    const yt = tf.tensor2d(y, [BATCH, 4]);
    losses.push(
      opt.step(() =>
        crossEntropyFromLogits(net.forward(xt, { training: true }), yt)
      ),
    );
    xt.dispose();
    yt.dispose();
  }
  bitsEqual(got.params, flattenParams(net.params), "θ");
  bitsEqual(got.momentum, flattenParams(opt.buffers), "b");
  bitsEqual(got.buffers, flattenParams(net.buffers), "BN running stats");
  assert.deepEqual(got.losses, losses);
  opt.dispose();
  net.dispose();
});

Deno.test("DataParallelSgd with 2 workers equals one process averaging the two half-batch gradients (θ, b, BN stats)", async () => {
  const got = await runParallel(2);
  // Reference: one process computes the gradient of each half batch (BN with the half's batch statistics), the
  // running statistics each half would give, averages both in worker order with float32 rounding, and applies the
  // tfjs MomentumSgd update.
  const net = freshNet();
  const opt = new MomentumSgd(net.params, HYPER);
  const vars = [...net.params.values()];
  const half = BATCH / 2;
  const losses: number[] = [];
  for (const { x, y } of batches(11n)) {
    const before = flattenParams(net.buffers);
    const halfGrads: Float32Array[][] = [];
    const halfBuffers: Float32Array[] = [];
    let loss = 0;
    for (let h = 0; h < 2; h++) {
      // Restore the running statistics so each half starts from the same ones.
      let off = 0;
      for (const v of net.buffers.values()) {
        v.assign(tf.tensor(before.slice(off, off + v.size), v.shape));
        off += v.size;
      }
      const xt = tf.tensor(x.slice(h * half * 128, (h + 1) * half * 128), [
        half,
        8,
        8,
        2,
      ]);
      const yt = tf.tensor2d(y.slice(h * half * 4, (h + 1) * half * 4), [
        half,
        4,
      ]);
      const { value, grads } = tf.variableGrads(
        () => crossEntropyFromLogits(net.forward(xt, { training: true }), yt),
        vars,
      );
      loss += value.dataSync()[0]!;
      halfGrads.push(
        vars.map((v) => grads[v.name]!.dataSync() as Float32Array),
      );
      halfBuffers.push(flattenParams(net.buffers));
      tf.dispose([value, xt, yt, ...Object.values(grads)]);
    }
    losses.push(loss / 2);
    const avg = new Map<string, tf.Tensor>();
    [...net.params.keys()].forEach((name, j) => {
      const a = halfGrads[0]![j]!;
      const b = halfGrads[1]![j]!;
      const m = a.map((ai, i) => Math.fround(Math.fround(ai + b[i]!) / 2));
      avg.set(name, tf.tensor(m, vars[j]!.shape));
    });
    opt.applyGradients(avg);
    tf.dispose([...avg.values()]);
    let off = 0;
    for (const v of net.buffers.values()) {
      const m = halfBuffers[0]!.slice(off, off + v.size).map((a, i) =>
        Math.fround(Math.fround(a + halfBuffers[1]![off + i]!) / 2)
      );
      v.assign(tf.tensor(m, v.shape));
      off += v.size;
    }
  }
  bitsEqual(got.params, flattenParams(net.params), "θ");
  bitsEqual(got.momentum, flattenParams(opt.buffers), "b");
  bitsEqual(got.buffers, flattenParams(net.buffers), "BN running stats");
  assert.deepEqual(got.losses, losses);
  opt.dispose();
  net.dispose();
});

Deno.test("DataParallelSgd is bit-reproducible: the same inputs on 2 workers give the same bits twice", async () => {
  const a = await runParallel(2);
  const b = await runParallel(2);
  bitsEqual(a.params, b.params, "θ");
  bitsEqual(a.momentum, b.momentum, "b");
  bitsEqual(a.buffers, b.buffers, "BN running stats");
});

Deno.test("DataParallelSgd rejects a batch that does not split evenly and bad hyperparameters", async () => {
  const net = freshNet();
  const state = {
    params: flattenParams(net.params),
    buffers: flattenParams(net.buffers),
  };
  net.dispose();
  await assert.rejects(
    DataParallelSgd.create(SPEC, state, { workers: 0, eta: 0.1 }),
    RangeError,
  );
  await assert.rejects(
    DataParallelSgd.create(SPEC, state, { workers: 1, eta: -1 }),
    /eta must be finite and > 0/,
  );
  const trainer = await DataParallelSgd.create(SPEC, state, {
    workers: 2,
    eta: 0.1,
  });
  try {
    await assert.rejects(
      trainer.step(new Float32Array(3 * 128), new Float32Array(3 * 4), 3),
      /positive multiple of the worker count 2/,
    );
  } finally {
    trainer.terminate();
  }
});
