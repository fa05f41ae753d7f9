import assert from "node:assert/strict";
import { Rng } from "../../../src/random/rng.ts";
import { initBackend } from "../../../src/nn/backend.ts";
import {
  flattenParams,
  unflattenParams,
} from "../../../src/nn/flatten_params.ts";
import { NetworkHessian } from "../../../src/nn/hessian.ts";
import {
  createModel,
  type ModelSpec,
} from "../../../src/nn/parallel/model_spec.ts";
import { ParallelHessian } from "../../../src/nn/parallel/parallel_hessian.ts";
import { oneHot } from "../../../src/data/one_hot.ts";
import { relErr } from "../kernels/_helpers.ts";

// The single-process reference runs on the same backend as the workers (wasm SIMD with the repaired kernels).
await initBackend("wasm");

const SPEC: ModelSpec = {
  kind: "small_cnn",
  inputShape: [8, 8, 2],
  width: 3,
  numClasses: 4,
  batchNorm: true,
};

function data(n: number, seed: bigint) {
  const rng = Rng.fromSeed(seed);
  return {
    x: rng.fillNormal(new Float32Array(n * 8 * 8 * 2)),
    y: oneHot(Array.from({ length: n }, () => rng.int(4)), 4),
    count: n,
  };
}

Deno.test("ParallelHessian on 2 and 3 workers equals NetworkHessian in one process (uneven shards, BatchNorm)", async () => {
  const net = createModel(SPEC, Rng.fromSeed(3n));
  // Non-trivial running statistics, so evaluation-mode BatchNorm is not the identity.
  const buffers = flattenParams(net.buffers).map((_, i) => 0.5 + (i % 7) / 7);
  const params = flattenParams(net.params);
  unflattenParams(buffers, net.buffers);
  const d = data(11, 4n);
  const ref = new NetworkHessian(net, d, { batchSize: 4 });
  const rng = Rng.fromSeed(5n);
  const v = Float64Array.from({ length: ref.dim }, () => rng.normal());
  const expected = ref.hvp(v);
  ref.dispose();
  net.dispose();
  for (const workers of [2, 3]) {
    const h = await ParallelHessian.create(SPEC, { params, buffers }, d, {
      workers,
      batchSize: 4,
    });
    try {
      assert.equal(h.dim, expected.length);
      assert.equal(h.backendInfo.backend, "wasm");
      assert.ok(h.backendInfo.simd);
      const got = await h.hvp(v);
      // float32 batches differ (shards cut the batches elsewhere); float32 round-off only.
      assert.ok(
        relErr(got, expected) < 1e-5,
        `${workers}: ${relErr(got, expected)}`,
      );
      // Reproducible for a worker count.
      assert.deepEqual(await h.hvp(v), got);
      assert.equal(h.hvpCount, 2);
    } finally {
      h.terminate();
    }
  }
});

Deno.test("ParallelHessian rejects a bad worker count, a wrong vector length and a wrong state length", async () => {
  const net = createModel(SPEC, Rng.fromSeed(3n));
  const params = flattenParams(net.params);
  const buffers = flattenParams(net.buffers);
  net.dispose();
  const d = data(3, 1n);
  await assert.rejects(
    ParallelHessian.create(SPEC, { params, buffers }, d, { workers: 4 }),
    RangeError,
  );
  await assert.rejects(
    ParallelHessian.create(
      SPEC,
      { params: params.subarray(1), buffers },
      d,
      { workers: 1 },
    ),
    /a worker failed/,
  );
  const h = await ParallelHessian.create(SPEC, { params, buffers }, d, {
    workers: 1,
  });
  try {
    await assert.rejects(h.hvp(new Float64Array(3)), TypeError);
  } finally {
    h.terminate();
  }
  await assert.rejects(h.hvp(new Float64Array(h.dim)), /terminated/);
});
