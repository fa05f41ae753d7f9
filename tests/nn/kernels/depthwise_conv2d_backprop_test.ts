import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { assertAllClose } from "../../_util/assert_close.ts";
import { registerRepairedKernels } from "../../../src/nn/kernels/mod.ts";
import { maxAbs, normals, sizeOf, useBackend } from "./_helpers.ts";

const STOCK = [
  tf.getKernel("DepthwiseConv2dNativeBackpropFilter", "wasm"),
  tf.getKernel("DepthwiseConv2dNativeBackpropInput", "wasm"),
];
registerRepairedKernels();

interface Case {
  readonly x: [number, number, number, number];
  readonly f: [number, number, number, number];
  readonly strides: number | [number, number];
  readonly pad: "same" | "valid";
}

const CASES: readonly Case[] = [
  { x: [2, 7, 7, 3], f: [3, 3, 3, 1], strides: 1, pad: "same" },
  { x: [2, 7, 7, 3], f: [3, 3, 3, 2], strides: 2, pad: "same" },
  { x: [2, 8, 8, 2], f: [3, 3, 2, 3], strides: 2, pad: "valid" },
  { x: [1, 9, 6, 4], f: [2, 3, 4, 1], strides: [2, 1], pad: "valid" },
];

function grads(
  c: Case,
  xd: Float32Array,
  wd: Float32Array,
  rd: Float32Array,
): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(xd, c.x);
    const w = tf.tensor4d(wd, c.f);
    const shape = tf.depthwiseConv2d(x, w, c.strides, c.pad).shape;
    const r = tf.tensor(rd.subarray(0, sizeOf(shape)), shape);
    return tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(
        tf.mul(
          tf.depthwiseConv2d(
            a as tf.Tensor4D,
            b as tf.Tensor4D,
            c.strides,
            c.pad,
          ),
          r,
        ),
      )
    )([x, w]).map((t) => t.dataSync() as Float32Array);
  });
}

Deno.test("stock wasm lacks the depthwise backprop kernels; registerRepairedKernels() adds both", () => {
  assert.deepEqual(STOCK, [undefined, undefined]);
  assert.notEqual(
    tf.getKernel("DepthwiseConv2dNativeBackpropFilter", "wasm"),
    undefined,
  );
  assert.notEqual(
    tf.getKernel("DepthwiseConv2dNativeBackpropInput", "wasm"),
    undefined,
  );
});

Deno.test("wasm depthwise conv input and filter gradients match the cpu backend", async () => {
  for (const [i, c] of CASES.entries()) {
    const xd = normals(BigInt(50 + i), sizeOf(c.x));
    const wd = normals(BigInt(500 + i), sizeOf(c.f));
    const rd = normals(BigInt(5000 + i), sizeOf(c.x) * c.f[3]);
    await useBackend("cpu");
    const [cdx, cdw] = grads(c, xd, wd, rd);
    await useBackend("wasm");
    const before = tf.memory().numTensors;
    const [wdx, wdw] = grads(c, xd, wd, rd);
    assert.equal(tf.memory().numTensors, before);
    // float32 sums of ≤ 2·8·8 products in a different order per backend: 1e-5 of the largest entry.
    assertAllClose(
      wdx!,
      cdx!,
      { rtol: 1e-4, atol: 1e-5 * maxAbs(cdx!) },
      `dx ${JSON.stringify(c)}`,
    );
    assertAllClose(
      wdw!,
      cdw!,
      { rtol: 1e-4, atol: 1e-5 * maxAbs(cdw!) },
      `dW ${JSON.stringify(c)}`,
    );
  }
});
