/**
 * Trajectory checkpoints (a PyTorch state dict plus `optimizer.<name>.momentum_buffer` tensors, see the
 * trajectory format v1) as flat vectors θ_k and b_k in `flattenParams` order, with validation that names every
 * offending tensor. Works on parsed safetensors; reading files is the caller's job.
 *
 * @module
 */

import { torchConvToTf, torchDenseToTf } from "../formats/layout.ts";
import {
  type SafetensorsInput,
  writeSafetensors,
} from "../formats/safetensors.ts";
import type { Tensor } from "../formats/tensor.ts";
import { tensorToFloat32 } from "../formats/to_float.ts";
import type { Network, StateEntry } from "./models/network.ts";
import type { CheckpointVectors } from "./trajectory_analysis.ts";

const FLOAT_DTYPES = new Set(["F16", "BF16", "F32", "F64"]);

function torchShape(e: StateEntry): number[] {
  const s = e.shape;
  if (e.layout === "conv") return [s[3]!, s[2]!, s[0]!, s[1]!];
  if (e.layout === "dense") return [s[1]!, s[0]!];
  return [...s];
}

/**
 * The momentum-buffer name of a parameter in a trajectory checkpoint.
 *
 * @param param PyTorch parameter name, e.g. `"fc.weight"`.
 * @returns `optimizer.<param>.momentum_buffer`.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { momentumBufferName } from "./trajectory_checkpoint.ts";
 *
 * assert.equal(momentumBufferName("fc.weight"), "optimizer.fc.weight.momentum_buffer");
 * ```
 */
export function momentumBufferName(param: string): string {
  return `optimizer.${param}.momentum_buffer`;
}

function toTfLayout(
  e: StateEntry,
  t: Tensor,
  where: string,
  name: string,
): Float32Array {
  const data = tensorToFloat32(t);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new RangeError(
        `Cannot read checkpoint ${where} as tensor "${name}" has a non-finite value at index ${i}: ${
          data[i]
        }`,
      );
    }
  }
  const f: Tensor = { dtype: "F32", shape: t.shape, data };
  const c = e.layout === "conv"
    ? torchConvToTf(f)
    : e.layout === "dense"
    ? torchDenseToTf(f)
    : f;
  return c.data as Float32Array;
}

/**
 * Checks a trajectory checkpoint against a network and flattens it: every state-dict entry of the network must
 * be present with its PyTorch shape and a float dtype (counters an integer one), every trainable parameter must
 * have a momentum buffer of the same shape, no other tensor may be present, and every float must be finite.
 *
 * @param net The network the checkpoint belongs to (only its entries are read).
 * @param tensors The checkpoint's tensors by name.
 * @param where File name for error messages.
 * @returns θ_k and b_k (tfjs layout, `net.params` order).
 * @throws {TypeError} Listing missing, unexpected, wrongly shaped or typed tensors.
 * @throws {RangeError} Naming the first tensor with a NaN or ±∞.
 *
 * @example A buffer is required for each parameter
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { Rng } from "../random/rng.ts";
 * import { createMlp } from "./models/mlp.ts";
 * import { checkpointVectors } from "./trajectory_checkpoint.ts";
 *
 * await tf.setBackend("cpu");
 * const net = createMlp({ inputShape: [2], hidden: [], numClasses: 2 }, Rng.fromSeed(1n));
 * const w = { dtype: "F32" as const, shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) };
 * const b = { dtype: "F32" as const, shape: [2], data: new Float32Array([5, 6]) };
 * const tensors = new Map([["fc1.weight", w], ["fc1.bias", b]]);
 * assert.throws(() => checkpointVectors(net, tensors, "x"), /missing "optimizer.fc1.weight.momentum_buffer"/);
 * tensors.set("optimizer.fc1.weight.momentum_buffer", w);
 * tensors.set("optimizer.fc1.bias.momentum_buffer", b);
 * const { theta } = checkpointVectors(net, tensors, "x");
 * assert.deepEqual(Array.from(theta), [1, 3, 2, 4, 5, 6]); // torch [out, in] → tfjs [in, out]
 * net.dispose();
 * ```
 */
export function checkpointVectors(
  net: Network,
  tensors: ReadonlyMap<string, Tensor>,
  where: string,
): CheckpointVectors {
  const problems: string[] = [];
  const expected = new Set<string>();
  const check = (name: string, want: number[], isFloat: boolean) => {
    expected.add(name);
    const t = tensors.get(name);
    if (t === undefined) {
      problems.push(`missing "${name}"`);
      return;
    }
    if (
      t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i])
    ) {
      problems.push(`"${name}" has shape [${t.shape}], expected [${want}]`);
    }
    if (isFloat !== FLOAT_DTYPES.has(t.dtype)) {
      problems.push(`"${name}" has dtype ${t.dtype}`);
    }
  };
  for (const e of net.entries) {
    check(
      e.name,
      e.role === "counter" ? [] : torchShape(e),
      e.role !== "counter",
    );
    if (e.role === "param") {
      check(momentumBufferName(e.name), torchShape(e), true);
    }
  }
  for (const name of tensors.keys()) {
    if (!expected.has(name)) problems.push(`unexpected "${name}"`);
  }
  if (problems.length > 0) {
    throw new TypeError(
      `Cannot read checkpoint ${where} as it does not match the ${net.architecture} network: ${
        problems.slice(0, 5).join("; ")
      }${problems.length > 5 ? `; and ${problems.length - 5} more` : ""}`,
    );
  }
  const d = net.parameterCount;
  const theta = new Float32Array(d);
  const buffer = new Float32Array(d);
  let offset = 0;
  const byName = new Map(net.entries.map((e) => [e.name, e]));
  for (const name of net.params.keys()) {
    const e = byName.get(name)!;
    const p = toTfLayout(e, tensors.get(name)!, where, name);
    const mb = momentumBufferName(name);
    const b = toTfLayout(e, tensors.get(mb)!, where, mb);
    theta.set(p, offset);
    buffer.set(b, offset);
    offset += p.length;
  }
  for (const e of net.entries) {
    if (e.role === "buffer") toTfLayout(e, tensors.get(e.name)!, where, e.name);
  }
  return { theta, buffer };
}

/**
 * The model part of a checkpoint (everything but the momentum buffers) as safetensors bytes that
 * `loadStateDict` accepts.
 *
 * @param tensors The checkpoint's tensors by name.
 * @returns safetensors bytes without `optimizer.*` tensors.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSafetensors } from "../formats/safetensors.ts";
 * import { modelStateBytes } from "./trajectory_checkpoint.ts";
 *
 * const t = { dtype: "F32" as const, shape: [1], data: new Float32Array([1]) };
 * const bytes = modelStateBytes(new Map([["a", t], ["optimizer.a.momentum_buffer", t]]));
 * assert.deepEqual([...readSafetensors(bytes).tensors.keys()], ["a"]);
 * ```
 */
export function modelStateBytes(
  tensors: ReadonlyMap<string, Tensor>,
): Uint8Array {
  const model = new Map<string, SafetensorsInput>();
  for (const [name, t] of tensors) {
    if (!name.startsWith("optimizer.")) model.set(name, t as SafetensorsInput);
  }
  return writeSafetensors(model);
}
