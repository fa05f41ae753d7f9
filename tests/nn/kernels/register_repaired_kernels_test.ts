import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { registerRepairedKernels } from "../../../src/nn/kernels/mod.ts";
import "./_helpers.ts";

const CPU_BEFORE = tf.getKernel("Conv2DBackpropInput", "cpu");
const WASM_STOCK_INPUT = tf.getKernel("Conv2DBackpropInput", "wasm");

const EXPECTED = [
  "grad:AvgPoolGrad",
  "grad:Conv2DBackpropFilter",
  "grad:Elu",
  "grad:Equal",
  "grad:Exp",
  "grad:FusedBatchNorm",
  "grad:Greater",
  "grad:GreaterEqual",
  "grad:Less",
  "grad:LessEqual",
  "grad:MaxPoolGrad",
  "grad:NotEqual",
  "grad:Sigmoid",
  "grad:Softmax",
  "grad:Tanh",
  "wasm:Conv2DBackpropFilter",
  "wasm:Conv2DBackpropInput",
  "wasm:DepthwiseConv2dNativeBackpropFilter",
  "wasm:DepthwiseConv2dNativeBackpropInput",
  "wasm:MaxPoolGrad",
];

Deno.test("registerRepairedKernels() returns the sorted list of what it installs", () => {
  const names = registerRepairedKernels();
  assert.deepEqual([...names], EXPECTED);
  for (const n of names) {
    const [kind, kernel] = n.split(":") as [string, string];
    if (kind === "wasm") {
      assert.notEqual(tf.getKernel(kernel, "wasm"), undefined, n);
    } else assert.notEqual(tf.getGradient(kernel), undefined, n);
  }
});

Deno.test("registerRepairedKernels() is idempotent and only touches the wasm backend's kernels", () => {
  const first = registerRepairedKernels();
  const kernel = tf.getKernel("Conv2DBackpropInput", "wasm");
  const grad = tf.getGradient("Exp");
  const second = registerRepairedKernels();
  assert.deepEqual(second, first);
  assert.equal(tf.getKernel("Conv2DBackpropInput", "wasm"), kernel);
  assert.equal(tf.getGradient("Exp"), grad);
  assert.notEqual(kernel, WASM_STOCK_INPUT);
  assert.equal(tf.getKernel("Conv2DBackpropInput", "cpu"), CPU_BEFORE);
});

Deno.test("registerRepairedKernels() puts back a kernel that was overwritten", () => {
  registerRepairedKernels();
  const ours = tf.getKernel("Conv2DBackpropInput", "wasm");
  tf.unregisterKernel("Conv2DBackpropInput", "wasm");
  tf.registerKernel(WASM_STOCK_INPUT!);
  registerRepairedKernels();
  assert.equal(tf.getKernel("Conv2DBackpropInput", "wasm"), ours);
});
