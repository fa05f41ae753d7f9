/**
 * One start-up call that installs every repaired kernel and gradient of this folder.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
// Import the wasm backend first, so that its own kernel registrations can never run after ours.
import "@tensorflow/tfjs-backend-wasm";
import { avgPoolGradGradient } from "./avg_pool_grad.ts";
import { comparisonGradients } from "./comparison_grads.ts";
import {
  conv2dBackpropFilterGradient,
  conv2dBackpropFilterWasmKernel,
} from "./conv2d_backprop_filter.ts";
import { conv2dBackpropInputWasmKernel } from "./conv2d_backprop_input.ts";
import {
  depthwiseBackpropFilterWasmKernel,
  depthwiseBackpropInputWasmKernel,
} from "./depthwise_conv2d_backprop.ts";
import { fusedBatchNormGradient } from "./fused_batch_norm_grad.ts";
import { maxPoolGradGradient, maxPoolGradWasmKernel } from "./max_pool_grad.ts";
import { softmaxGradient } from "./softmax_grad.ts";
import { unaryGradients } from "./unary_grads.ts";

const WASM_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterWasmKernel,
  conv2dBackpropInputWasmKernel,
  depthwiseBackpropFilterWasmKernel,
  depthwiseBackpropInputWasmKernel,
  maxPoolGradWasmKernel,
];

const GRADIENTS: readonly tf.GradConfig[] = [
  ...unaryGradients(),
  softmaxGradient,
  ...comparisonGradients(),
  conv2dBackpropFilterGradient,
  fusedBatchNormGradient,
  maxPoolGradGradient,
  avgPoolGradGradient,
];

const NAMES: readonly string[] = Object.freeze(
  [
    ...WASM_KERNELS.map((k) => `wasm:${k.kernelName}`),
    ...GRADIENTS.map((g) => `grad:${g.kernelName}`),
  ].sort(),
);

/**
 * Registers the repaired tfjs 4.22 kernels and gradients (idempotent; safe to call many times):
 *
 * - wasm kernels (backend "wasm" only): Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter and
 *   DepthwiseConv2dNativeBackpropInput (missing in stock wasm), Conv2DBackpropInput (stock one is a slow
 *   naive loop), MaxPoolGrad (stock one drops all-negative windows);
 * - gradients (global, every backend): Exp, Tanh, Sigmoid, Elu and Softmax recomputed from the input
 *   (stock ones are wrong at second order); zero gradients for Equal, Greater, GreaterEqual, Less,
 *   LessEqual, NotEqual; gradients of Conv2DBackpropFilter, MaxPoolGrad and AvgPoolGrad (second order through
 *   conv2d and pooling); FusedBatchNorm with broadcasting instead of tile.
 *
 * A config already in place is left alone; one replaced by someone else is put back. Changing gradients
 * changes low-order bits of results, so record the returned list with the results.
 *
 * @returns The sorted names of everything installed, "wasm:<Kernel>" or "grad:<Kernel>".
 *
 * @example Registers once and returns the same list on every call
 * ```ts
 * import assert from "node:assert/strict";
 * import { registerRepairedKernels } from "./register_repaired_kernels.ts";
 *
 * const names = registerRepairedKernels();
 * assert.ok(names.includes("wasm:Conv2DBackpropFilter"));
 * assert.ok(names.includes("grad:Exp"));
 * assert.deepEqual(registerRepairedKernels(), names);
 * ```
 */
export function registerRepairedKernels(): readonly string[] {
  for (const k of WASM_KERNELS) {
    const current = tf.getKernel(k.kernelName, "wasm");
    if (current === k) continue;
    if (current !== undefined) tf.unregisterKernel(k.kernelName, "wasm");
    tf.registerKernel(k);
  }
  for (const g of GRADIENTS) {
    const current = tf.getGradient(g.kernelName);
    if (current === g) continue;
    if (current !== undefined) tf.unregisterGradient(g.kernelName);
    tf.registerGradient(g);
  }
  return NAMES;
}
