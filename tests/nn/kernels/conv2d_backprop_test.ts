import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { assertAllClose } from "../../_util/assert_close.ts";
import {
  conv2dBackpropFilterViaConv,
} from "../../../src/nn/kernels/conv2d_backprop_filter.ts";
import { conv2dBackpropInputViaConv } from "../../../src/nn/kernels/conv2d_backprop_input.ts";
import { registerRepairedKernels } from "../../../src/nn/kernels/mod.ts";
import { maxAbs, normals, sizeOf, useBackend } from "./_helpers.ts";

// Captured before registration: the stock wasm backend has no filter-gradient kernel.
const STOCK_FILTER_KERNEL = tf.getKernel("Conv2DBackpropFilter", "wasm");
registerRepairedKernels();

type Pad = "same" | "valid" | number | tf.backend_util.ExplicitPadding;
interface Case {
  readonly x: [number, number, number, number];
  readonly f: [number, number, number, number];
  readonly strides: number | [number, number];
  readonly pad: Pad;
  readonly dimRoundingMode?: "floor" | "round" | "ceil";
}

const CASES: readonly Case[] = [
  { x: [2, 7, 7, 3], f: [3, 3, 3, 4], strides: 1, pad: "same" },
  { x: [2, 7, 7, 3], f: [3, 3, 3, 4], strides: 2, pad: "same" },
  { x: [2, 8, 8, 3], f: [3, 3, 3, 4], strides: 2, pad: "same" },
  { x: [2, 8, 8, 3], f: [3, 3, 3, 4], strides: 2, pad: "valid" },
  { x: [2, 9, 7, 2], f: [2, 3, 2, 5], strides: 2, pad: "valid" },
  { x: [3, 8, 8, 4], f: [1, 1, 4, 6], strides: 2, pad: "same" },
  { x: [3, 8, 8, 4], f: [1, 1, 4, 6], strides: 2, pad: "valid" },
  { x: [1, 5, 5, 1], f: [5, 5, 1, 2], strides: 1, pad: "valid" },
  {
    x: [2, 6, 5, 2],
    f: [3, 2, 2, 3],
    strides: [2, 1],
    pad: [[0, 0], [2, 1], [
      0,
      3,
    ], [0, 0]],
  },
  // Strided (polyphase) input gradient: the ResNet-18 layers, odd sizes, numeric pads.
  { x: [2, 8, 8, 3], f: [3, 3, 3, 4], strides: 2, pad: 1 },
  { x: [2, 9, 9, 3], f: [3, 3, 3, 4], strides: 2, pad: 1 },
  { x: [2, 8, 8, 3], f: [1, 1, 3, 4], strides: 2, pad: 0 },
  { x: [2, 7, 9, 2], f: [1, 1, 2, 3], strides: 2, pad: "same" },
  { x: [1, 11, 10, 2], f: [7, 7, 2, 3], strides: 2, pad: 3 },
  { x: [2, 7, 6, 2], f: [3, 3, 2, 3], strides: [1, 2], pad: "same" },
  { x: [2, 10, 7, 2], f: [2, 3, 2, 3], strides: 3, pad: "same" },
];

function label(c: Case): string {
  return `x[${c.x}] f[${c.f}] s=${JSON.stringify(c.strides)} pad=${
    JSON.stringify(c.pad)
  }${c.dimRoundingMode === undefined ? "" : ` ${c.dimRoundingMode}`}`;
}

/** tf.conv2d with the case's geometry. */
function conv(c: Case, x: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  return tf.conv2d(x, w, c.strides, c.pad, "NHWC", 1, c.dimRoundingMode);
}

/** dW and dx of Σ conv2d(x, W)·r (r a fixed random cotangent) on the current backend, via tf.grads. */
function convGrads(
  c: Case,
  xd: Float32Array,
  wd: Float32Array,
  rd: Float32Array,
): { dx: Float32Array; dw: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(xd, c.x);
    const w = tf.tensor4d(wd, c.f);
    const yShape = conv(c, x, w).shape;
    const r = tf.tensor(rd.subarray(0, sizeOf(yShape)), yShape);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(
        tf.mul(conv(c, a as tf.Tensor4D, b as tf.Tensor4D), r),
      )
    )([x, w]);
    return {
      dx: dx!.dataSync() as Float32Array,
      dw: dw!.dataSync() as Float32Array,
    };
  });
}

Deno.test("stock tfjs-backend-wasm has no Conv2DBackpropFilter kernel; registerRepairedKernels() adds it", () => {
  assert.equal(STOCK_FILTER_KERNEL, undefined);
  assert.notEqual(tf.getKernel("Conv2DBackpropFilter", "wasm"), undefined);
});

Deno.test("wasm Conv2DBackpropFilter and Conv2DBackpropInput match the cpu backend", async () => {
  for (const [i, c] of CASES.entries()) {
    const xd = normals(BigInt(10 + i), sizeOf(c.x));
    const wd = normals(BigInt(100 + i), sizeOf(c.f));
    const rd = normals(BigInt(1000 + i), sizeOf(c.x) * c.f[3]);
    await useBackend("cpu");
    const cpu = convGrads(c, xd, wd, rd);
    await useBackend("wasm");
    const before = tf.memory().numTensors;
    const wasm = convGrads(c, xd, wd, rd);
    assert.equal(tf.memory().numTensors, before, `tensor leak, ${label(c)}`);
    // float32 sums of ≤ 200 products of N(0,1) values in a different order on each backend: the difference
    // is a few hundred ulps of the largest entry at most, so 1e-5·max|expected| absolute plus 1e-4 relative.
    for (
      const [name, a, e] of [["dW", wasm.dw, cpu.dw], [
        "dx",
        wasm.dx,
        cpu.dx,
      ]] as const
    ) {
      assertAllClose(
        a,
        e,
        { rtol: 1e-4, atol: 1e-5 * maxAbs(e) },
        `${name} ${label(c)}`,
      );
    }
  }
});

Deno.test("conv2d filter and input gradients on wasm match central finite differences", async () => {
  await useBackend("wasm");
  for (const [i, c] of CASES.entries()) {
    const xd = normals(BigInt(20 + i), sizeOf(c.x));
    const wd = normals(BigInt(200 + i), sizeOf(c.f), 0.5);
    const rd = normals(BigInt(2000 + i), sizeOf(c.x) * c.f[3]);
    const ux = normals(BigInt(30 + i), sizeOf(c.x));
    const uw = normals(BigInt(300 + i), sizeOf(c.f));
    // L(x, W) = Σ tanh(conv2d(x, W))·r, a non-linear scalar; the final sum is done in float64.
    const lossOf = (xa: Float32Array, wa: Float32Array): number => {
      const y = tf.tidy(() =>
        tf.tanh(conv(c, tf.tensor4d(xa, c.x), tf.tensor4d(wa, c.f)))
      );
      const yd = y.dataSync();
      y.dispose();
      let s = 0;
      for (let k = 0; k < yd.length; k++) s += yd[k]! * rd[k]!;
      return s;
    };
    const [gx, gw] = tf.tidy(() => {
      const x = tf.tensor4d(xd, c.x);
      const w = tf.tensor4d(wd, c.f);
      const shape = conv(c, x, w).shape;
      const r = tf.tensor(rd.subarray(0, sizeOf(shape)), shape);
      return tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.tanh(conv(c, a as tf.Tensor4D, b as tf.Tensor4D)),
            r,
          ),
        )
      )([x, w]).map((t) => t.dataSync() as Float32Array);
    }) as unknown as [Float32Array, Float32Array];
    // Step h = 2e-3 along unit-variance directions. The truncation error h^2/6*|L'''| was measured at 0.8 %
    // for h = 1e-2 in the worst case, so ~3e-4 relative here; float32 rounding of the ~600 outputs gives
    // |dL| ~ sqrt(600)*1e-7 = 3e-6, i.e. ~1e-3 absolute after dividing by 2h. Hence rtol 2e-3 plus atol 2e-3.
    const h = 2e-3;
    for (const [name, u, g] of [["x", ux, gx], ["W", uw, gw]] as const) {
      const plus = name === "x"
        ? lossOf(xd.map((v, k) => v + h * u[k]!), wd)
        : lossOf(xd, wd.map((v, k) => v + h * u[k]!));
      const minus = name === "x"
        ? lossOf(xd.map((v, k) => v - h * u[k]!), wd)
        : lossOf(xd, wd.map((v, k) => v - h * u[k]!));
      const fd = (plus - minus) / (2 * h);
      let ad = 0;
      for (let k = 0; k < u.length; k++) ad += g[k]! * u[k]!;
      assertAllClose(
        [ad],
        [fd],
        { rtol: 2e-3, atol: 2e-3 },
        `d/d${name} ${label(c)}`,
      );
    }
  }
});

Deno.test("conv2dBackpropFilterViaConv() throws TypeError on inconsistent shapes", async () => {
  await useBackend("cpu");
  const x = tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
  const dy = tf.zeros([1, 3, 3, 3]) as tf.Tensor4D;
  assert.throws(
    () =>
      conv2dBackpropFilterViaConv(x, dy, [3, 3, 2, 3], {
        strides: 1,
        pad: "same",
      }),
    TypeError,
  );
  tf.dispose([x, dy]);
});

Deno.test("conv2dBackpropInputViaConv() matches the stock cpu tf.conv2dTranspose on cpu and wasm (strides 1-3, pads, rounding)", async () => {
  const cases: readonly Case[] = [
    ...CASES,
    { x: [1, 5, 5, 1], f: [1, 1, 1, 1], strides: 3, pad: "valid" },
    { x: [1, 6, 6, 2], f: [1, 1, 2, 2], strides: 3, pad: "same" },
    { x: [2, 13, 12, 2], f: [7, 7, 2, 3], strides: 2, pad: "same" },
    { x: [1, 9, 7, 2], f: [5, 3, 2, 2], strides: [3, 2], pad: "valid" },
    { x: [1, 8, 8, 2], f: [3, 3, 2, 2], strides: 2, pad: 4 },
    // tfjs 4.22's Conv2D gradient drops dimRoundingMode, so these are only tested here, not through tf.grads.
    {
      x: [1, 8, 8, 2],
      f: [3, 3, 2, 2],
      strides: 2,
      pad: 1,
      dimRoundingMode: "round",
    },
    {
      x: [2, 9, 8, 2],
      f: [3, 3, 2, 3],
      strides: 2,
      pad: 1,
      dimRoundingMode: "ceil",
    },
    {
      x: [2, 8, 9, 2],
      f: [3, 3, 2, 3],
      strides: 2,
      pad: 2,
      dimRoundingMode: "floor",
    },
  ];
  for (const [i, c] of cases.entries()) {
    const xd = normals(BigInt(40 + i), sizeOf(c.x));
    const wd = normals(BigInt(400 + i), sizeOf(c.f));
    const geometry = c.dimRoundingMode === undefined
      ? { strides: c.strides, pad: c.pad }
      : { strides: c.strides, pad: c.pad, dimRoundingMode: c.dimRoundingMode };
    const run = (ours: boolean): Float32Array =>
      tf.tidy(() => {
        const x = tf.tensor4d(xd, c.x);
        const w = tf.tensor4d(wd, c.f);
        const yShape = conv(c, x, w).shape;
        const dy = tf.tensor4d(
          normals(BigInt(4000 + i), sizeOf(yShape)),
          yShape,
        );
        const dx = ours
          ? conv2dBackpropInputViaConv(dy, w, c.x, geometry)
          : tf.conv2dTranspose(
            dy,
            w,
            c.x,
            c.strides,
            c.pad as "same" | "valid" | number,
            c.dimRoundingMode,
          );
        assert.deepEqual(dx.shape, c.x, label(c));
        return dx.dataSync() as Float32Array;
      });
    await useBackend("cpu");
    const stock = run(false);
    const oursCpu = run(true);
    await useBackend("wasm");
    const oursWasm = run(true);
    for (const [name, a] of [["cpu", oursCpu], ["wasm", oursWasm]] as const) {
      assertAllClose(
        a,
        stock,
        { rtol: 1e-4, atol: 1e-5 * maxAbs(stock) },
        `dx on ${name}, ${label(c)}`,
      );
    }
  }
});
