import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { assertAllClose } from "../../_util/assert_close.ts";
import { hvp, registerRepairedKernels } from "../../../src/nn/kernels/mod.ts";
import {
  fdHvp,
  type LossFn,
  maxAbs,
  normals,
  relErr,
  sizeOf,
  useBackend,
} from "./_helpers.ts";

// The stock FusedBatchNorm gradient, captured before registration, is the independent reference for ours.
const STOCK_BN_GRAD = tf.getGradient("FusedBatchNorm")!;
registerRepairedKernels();

function bnCotangents(
  shapes: { x: number[]; c: number[] },
  seed: bigint,
): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor(normals(seed, sizeOf(shapes.x)), shapes.x);
    const mean = tf.tensor(normals(seed + 1n, sizeOf(shapes.c), 0.3), shapes.c);
    const variance = tf.tensor(
      normals(seed + 2n, sizeOf(shapes.c)).map((v) => 0.5 + v * v),
      shapes.c,
    );
    const scale = tf.tensor(normals(seed + 3n, sizeOf(shapes.c)), shapes.c);
    const offset = tf.tensor(normals(seed + 4n, sizeOf(shapes.c)), shapes.c);
    const r = tf.tensor(normals(seed + 5n, sizeOf(shapes.x)), shapes.x);
    return tf.grads((
      a: tf.Tensor,
      m: tf.Tensor,
      v: tf.Tensor,
      g: tf.Tensor,
      b: tf.Tensor,
    ) => tf.sum(tf.mul(tf.batchNorm(a, m, v, b, g, 1e-3), r)))([
      x,
      mean,
      variance,
      scale,
      offset,
    ]).map((t) => t.dataSync() as Float32Array);
  });
}

Deno.test("FusedBatchNorm gradient (broadcasting) matches the stock tile-based gradient, on cpu and wasm", async () => {
  const shapes = { x: [3, 4, 5, 6], c: [6] };
  await useBackend("cpu");
  const ours = tf.getGradient("FusedBatchNorm")!;
  tf.unregisterGradient("FusedBatchNorm");
  tf.registerGradient(STOCK_BN_GRAD);
  let stock: Float32Array[];
  try {
    stock = bnCotangents(shapes, 11n);
  } finally {
    tf.unregisterGradient("FusedBatchNorm");
    tf.registerGradient(ours);
  }
  for (const backend of ["cpu", "wasm"] as const) {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const got = bnCotangents(shapes, 11n);
    assert.equal(tf.memory().numTensors, before);
    for (
      const [i, name] of ["x", "mean", "variance", "scale", "offset"].entries()
    ) {
      // Same formulas, float32, sums over 60 terms in another order: 1e-5 of the largest entry.
      assertAllClose(got[i]!, stock[i]!, {
        rtol: 1e-4,
        atol: 1e-5 * maxAbs(stock[i]!),
      }, `${backend} d${name}`);
    }
  }
});

Deno.test("FusedBatchNorm gradient on rank-2 inputs: wasm matches cpu, dβ matches a float64 sum", async () => {
  await useBackend("wasm");
  const got = bnCotangents({ x: [7, 3], c: [3] }, 21n);
  await useBackend("cpu");
  const ref = bnCotangents({ x: [7, 3], c: [3] }, 21n);
  for (let i = 0; i < 5; i++) {
    // cpu vs wasm, same graph, float32: a few ulps of the largest entry.
    assertAllClose(got[i]!, ref[i]!, {
      rtol: 1e-4,
      atol: 1e-5 * maxAbs(ref[i]!),
    });
  }
  // dβ = Σ_batch dy, checked against a plain float64 sum of the same cotangent.
  const r = normals(26n, 21);
  const expected = [0, 1, 2].map((c) =>
    [0, 1, 2, 3, 4, 5, 6].reduce((s, b) => s + r[3 * b + c]!, 0)
  );
  assertAllClose(got[4]!, expected, { rtol: 1e-5, atol: 1e-5 }); // float32 sum of 7 N(0,1) values
});

Deno.test("FusedBatchNorm gradient with parameters of different shapes matches autodiff of the elementwise formula", async () => {
  // scale of shape [1] beside [C]-shaped mean, variance and offset: the general (non-shared-sum) path.
  const xs = [3, 4, 5, 6];
  const c = [6];
  const data = [
    normals(31n, sizeOf(xs)),
    normals(32n, 6, 0.3),
    normals(33n, 6).map((v) => 0.5 + v * v),
    normals(34n, 1),
    normals(35n, 6),
  ];
  const shapes = [xs, c, c, [1], c];
  const r = normals(36n, sizeOf(xs));
  const run = (
    f: (
      x: tf.Tensor,
      m: tf.Tensor,
      v: tf.Tensor,
      g: tf.Tensor,
      b: tf.Tensor,
    ) => tf.Tensor,
  ): Float32Array[] =>
    tf.tidy(() => {
      const rt = tf.tensor(r, xs);
      return tf.grads((
        x: tf.Tensor,
        m: tf.Tensor,
        v: tf.Tensor,
        g: tf.Tensor,
        b: tf.Tensor,
      ) => tf.sum(tf.mul(f(x, m, v, g, b), rt)))(
        data.map((d, i) => tf.tensor(d, shapes[i]!)),
      ).map((t) => t.dataSync() as Float32Array);
    });
  for (const backend of ["cpu", "wasm"] as const) {
    await useBackend(backend);
    const got = run((x, m, v, g, b) => tf.batchNorm(x, m, v, b, g, 1e-3));
    const ref = run((x, m, v, g, b) =>
      tf.add(tf.mul(tf.mul(tf.sub(x, m), tf.rsqrt(tf.add(v, 1e-3))), g), b)
    );
    for (
      const [i, name] of ["x", "mean", "variance", "scale", "offset"].entries()
    ) {
      assert.equal(
        got[i]!.length,
        sizeOf(shapes[i]!),
        `${backend} d${name} size`,
      );
      assertAllClose(got[i]!, ref[i]!, {
        rtol: 1e-4,
        atol: 1e-5 * maxAbs(ref[i]!),
      }, `${backend} d${name}`);
    }
  }
});

interface SecondOrderCase {
  readonly name: string;
  readonly shapes: readonly (readonly number[])[];
  readonly loss: (data: { x: tf.Tensor; r: tf.Tensor }) => LossFn;
  readonly xShape: readonly number[];
  readonly rShape: readonly number[];
}

const conv = (x: tf.Tensor, w: tf.Tensor, s: number, pad: "same" | "valid") =>
  tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad);

const SECOND_ORDER: readonly SecondOrderCase[] = [
  {
    name: "elu",
    shapes: [[4, 5]],
    xShape: [6, 4],
    rShape: [6, 5],
    loss: ({ x, r }) => ([w]) =>
      tf.sum(
        tf.mul(
          tf.square(tf.elu(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D))),
          r,
        ),
      ),
  },
  {
    name: "leakyRelu",
    shapes: [[4, 5]],
    xShape: [6, 4],
    rShape: [6, 5],
    loss: ({ x, r }) => ([w]) =>
      tf.sum(
        tf.mul(
          tf.square(
            tf.leakyRelu(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), 0.2),
          ),
          r,
        ),
      ),
  },
  {
    name: "pad + sqrt + log + mean",
    shapes: [[4, 5]],
    xShape: [6, 4],
    rShape: [7, 7],
    loss: ({ x, r }) => ([w]) => {
      const z = tf.pad(tf.tanh(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D)), [
        [1, 0],
        [0, 2],
      ]);
      return tf.mean(
        tf.mul(tf.log(tf.add(1, tf.sqrt(tf.add(1, tf.square(z))))), r),
      );
    },
  },
  {
    name: "conv stride 2 valid + tanh",
    shapes: [[3, 3, 2, 3]],
    xShape: [2, 7, 7, 2],
    rShape: [2, 3, 3, 3],
    loss: ({ x, r }) => ([w]) =>
      tf.sum(tf.mul(tf.tanh(conv(x, w!, 2, "valid")), r)),
  },
  {
    name:
      "two convs (stride 2 same, then 1 valid) + tanh: second order through Conv2DBackpropInput",
    shapes: [[3, 3, 2, 3], [2, 2, 3, 2]],
    xShape: [2, 7, 7, 2],
    rShape: [2, 3, 3, 2],
    loss: ({ x, r }) => ([w1, w2]) =>
      tf.sum(
        tf.mul(
          tf.tanh(conv(tf.tanh(conv(x, w1!, 2, "same")), w2!, 1, "valid")),
          r,
        ),
      ),
  },
  {
    name: "conv + avgPool + tanh",
    shapes: [[3, 3, 2, 3]],
    xShape: [2, 6, 6, 2],
    rShape: [2, 3, 3, 3],
    loss: ({ x, r }) => ([w]) =>
      tf.sum(
        tf.mul(
          tf.tanh(
            tf.avgPool(conv(x, w!, 1, "same") as tf.Tensor4D, 2, 2, "valid"),
          ),
          r,
        ),
      ),
  },
  {
    name: "conv + maxPool 3×3 stride 2 same + tanh",
    shapes: [[3, 3, 2, 3]],
    xShape: [2, 6, 6, 2],
    rShape: [2, 3, 3, 3],
    loss: ({ x, r }) => ([w]) =>
      tf.sum(
        tf.mul(
          tf.tanh(
            tf.maxPool(conv(x, w!, 1, "same") as tf.Tensor4D, 3, 2, "same"),
          ),
          r,
        ),
      ),
  },
];

Deno.test("HVPs through elu, leakyRelu, pad/sqrt/log/mean, strided and stacked convs, avgPool and maxPool match finite differences on cpu and wasm", async () => {
  for (const [i, c] of SECOND_ORDER.entries()) {
    const seed = BigInt(100 + 10 * i);
    const init = c.shapes.map((s, k) =>
      normals(seed + BigInt(k), sizeOf(s), 0.5)
    );
    const v = c.shapes.map((s, k) => normals(seed + 5n + BigInt(k), sizeOf(s)));
    for (const backend of ["cpu", "wasm"] as const) {
      await useBackend(backend);
      const x = tf.tensor(normals(seed + 7n, sizeOf(c.xShape)), [...c.xShape]);
      const r = tf.tensor(normals(seed + 8n, sizeOf(c.rShape)), [...c.rShape]);
      const loss = c.loss({ x, r }) as LossFn;
      const params = init.map((d, k) => tf.tensor(d, [...c.shapes[k]!]));
      const vec = v.map((d, k) => tf.tensor(d, [...c.shapes[k]!]));
      const before = tf.memory().numTensors;
      const hv = hvp(loss, params, vec);
      assert.equal(tf.memory().numTensors, before + hv.length);
      const ad = Float64Array.from(hv.flatMap((t) => Array.from(t.dataSync())));
      // ε = 1e-3: float32 gradient rounding amplified by 1/ε gives ~1e-3 relative; see hvp_test.ts.
      const fd = fdHvp(loss, init, c.shapes, v, 1e-3);
      const err = relErr(ad, fd);
      assert.ok(err < 1e-2, `${c.name} on ${backend}: relative error ${err}`);
      tf.dispose([...hv, ...params, ...vec, x, r]);
    }
  }
});
