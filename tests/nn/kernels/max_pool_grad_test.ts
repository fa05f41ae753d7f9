import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { assertAllClose } from "../../_util/assert_close.ts";
import { registerRepairedKernels } from "../../../src/nn/kernels/mod.ts";
import { normals, relErr, sizeOf, useBackend } from "./_helpers.ts";

// Captured before registration, to show the stock wasm kernel's bug (and restore it only inside one test).
const STOCK_MAX_POOL_GRAD = tf.getKernel("MaxPoolGrad", "wasm")!;
registerRepairedKernels();

interface Case {
  readonly x: [number, number, number, number];
  readonly k: number | [number, number];
  readonly s: number | [number, number];
  readonly pad: "same" | "valid";
}

const CASES: readonly Case[] = [
  { x: [2, 8, 8, 4], k: 2, s: 2, pad: "valid" },
  { x: [2, 7, 7, 3], k: 2, s: 2, pad: "same" },
  { x: [2, 7, 7, 3], k: 3, s: 2, pad: "same" },
  { x: [2, 7, 7, 3], k: 3, s: 2, pad: "valid" },
  { x: [1, 6, 5, 2], k: 3, s: 1, pad: "same" },
  { x: [1, 6, 5, 2], k: [2, 3], s: [1, 2], pad: "valid" },
];

/**
 * Inputs with many all-negative windows (shifted normals) and exact ties (values rounded to 0.25), and
 * a random cotangent: Σ maxPool(x)·r has gradient dx.
 */
function inputs(c: Case, i: number): { xd: Float32Array; rd: Float32Array } {
  const xd = normals(BigInt(40 + i), sizeOf(c.x)).map((v) =>
    Math.round(4 * (v - 1)) / 4
  );
  const rd = normals(BigInt(400 + i), sizeOf(c.x));
  return { xd, rd };
}

function poolGrad(c: Case, xd: Float32Array, rd: Float32Array): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(xd, c.x);
    const shape = tf.maxPool(x, c.k, c.s, c.pad).shape;
    const r = tf.tensor(rd.subarray(0, sizeOf(shape)), shape);
    return tf.grad((a: tf.Tensor) =>
      tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, c.k, c.s, c.pad), r))
    )(x)
      .dataSync() as Float32Array;
  });
}

Deno.test("wasm MaxPoolGrad matches the cpu backend exactly, including all-negative windows and ties", async () => {
  for (const [i, c] of CASES.entries()) {
    const { xd, rd } = inputs(c, i);
    await useBackend("cpu");
    const cpu = poolGrad(c, xd, rd);
    await useBackend("wasm");
    const before = tf.memory().numTensors;
    const wasm = poolGrad(c, xd, rd);
    assert.equal(tf.memory().numTensors, before);
    // Each dx entry is a sum of at most k_h·k_w routed cotangents; the order of these few float32 additions
    // can differ, hence a few-ulp tolerance.
    assertAllClose(wasm, cpu, { rtol: 1e-6, atol: 1e-6 }, JSON.stringify(c));
  }
});

Deno.test("stock wasm MaxPoolGrad was wrong on all-negative windows (the reason for the replacement)", async () => {
  const c = CASES[0]!;
  const { xd, rd } = inputs(c, 0);
  await useBackend("cpu");
  const cpu = poolGrad(c, xd, rd);
  await useBackend("wasm");
  const repaired = tf.getKernel("MaxPoolGrad", "wasm")!;
  tf.unregisterKernel("MaxPoolGrad", "wasm");
  tf.registerKernel(STOCK_MAX_POOL_GRAD);
  // The wasm backend ran setup functions at initialisation, when the repaired kernel was registered.
  STOCK_MAX_POOL_GRAD.setupFunc!(tf.backend());
  let stock: Float32Array;
  try {
    stock = poolGrad(c, xd, rd);
  } finally {
    tf.unregisterKernel("MaxPoolGrad", "wasm");
    tf.registerKernel(repaired);
  }
  assert.ok(
    relErr(stock, cpu) > 0.05,
    `stock error only ${relErr(stock, cpu)}`,
  );
  assert.equal(tf.getKernel("MaxPoolGrad", "wasm"), repaired);
});
