/**
 * PyTorch-compatible checkpoints: a {@linkcode Network}'s state as a safetensors state dict with PyTorch names
 * and layouts, so that files load in `torch` (`safetensors.torch.load_file` + `load_state_dict`) and PyTorch
 * state dicts load here. Works on bytes; reading and writing files is the caller's job (`src/io/`, CLI).
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { assertFinite } from "../formats/assert_finite.ts";
import {
  tfConvToTorch,
  tfDenseToTorch,
  torchConvToTf,
  torchDenseToTf,
} from "../formats/layout.ts";
import {
  readSafetensors,
  type SafetensorsInput,
  writeSafetensors,
} from "../formats/safetensors.ts";
import type { Tensor } from "../formats/tensor.ts";
import { tensorToFloat32 } from "../formats/to_float.ts";
import type { Network, StateEntry } from "./models/network.ts";

/** Options of {@linkcode saveStateDict}. */
export interface SaveStateDictOptions {
  /** Training step k, stored as `__metadata__.step`. */
  readonly step?: number;
  /** Hyperparameters (η, β, λ, S, seed, …), stored as one JSON string in `__metadata__.hyperparameters`. */
  readonly hyperparameters?: Readonly<Record<string, unknown>>;
  /** Further string metadata (keys `format`, `architecture`, `config`, `step`, `hyperparameters` are reserved). */
  readonly metadata?: Readonly<Record<string, string>>;
}

const FLOAT_DTYPES = new Set(["F16", "BF16", "F32", "F64"]);
const INT_DTYPES = new Set([
  "I8",
  "I16",
  "I32",
  "I64",
  "U8",
  "U16",
  "U32",
  "U64",
]);

/** PyTorch shape of an entry stored in tfjs layout. */
function torchShape(e: StateEntry): number[] {
  const s = e.shape;
  if (e.layout === "conv") return [s[3]!, s[2]!, s[0]!, s[1]!];
  if (e.layout === "dense") return [s[1]!, s[0]!];
  return [...s];
}

/**
 * Serialises a network's state as a PyTorch state dict in safetensors: every parameter, BatchNorm buffer (F32,
 * converted to PyTorch layout: conv `[out, in, kh, kw]`, linear `[out, in]`) and `num_batches_tracked` (I64,
 * shape `[]`), under torchvision's names. `__metadata__` holds `format: "pt"`, `architecture`, `config` (JSON),
 * and, when given, `step` and `hyperparameters` (JSON). The bytes are deterministic for a given state.
 *
 * @param net The network.
 * @param options Step, hyperparameters and extra metadata; see {@linkcode SaveStateDictOptions}.
 * @returns The safetensors file bytes.
 * @throws {RangeError} When `step` is not a non-negative safe integer or extra metadata uses a reserved key.
 *
 * @example Save and reload into a fresh network
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { Rng } from "../random/rng.ts";
 * import { createMlp } from "./models/mlp.ts";
 * import { loadStateDict, saveStateDict } from "./checkpoint.ts";
 *
 * await tf.setBackend("cpu");
 * const a = createMlp({ inputShape: [3], hidden: [4] }, Rng.fromSeed(1n));
 * const b = createMlp({ inputShape: [3], hidden: [4] }, Rng.fromSeed(2n));
 * const bytes = saveStateDict(a, { step: 10, hyperparameters: { eta: 0.1 } });
 * const metadata = loadStateDict(b, bytes);
 * assert.equal(metadata.step, "10");
 * assert.deepEqual(b.params.get("fc1.weight")!.dataSync(), a.params.get("fc1.weight")!.dataSync());
 * a.dispose();
 * b.dispose();
 * ```
 */
export function saveStateDict(
  net: Network,
  options: SaveStateDictOptions = {},
): Uint8Array {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.metadata ?? {})) {
    if (
      ["format", "architecture", "config", "step", "hyperparameters"].includes(
        k,
      )
    ) {
      throw new RangeError(
        `Cannot save state dict as metadata key "${k}" is reserved`,
      );
    }
    metadata[k] = v;
  }
  metadata.format = "pt";
  metadata.architecture = net.architecture;
  metadata.config = JSON.stringify(net.config);
  if (options.step !== undefined) {
    if (!Number.isSafeInteger(options.step) || options.step < 0) {
      throw new RangeError(
        `Cannot save state dict as step must be a non-negative safe integer: step=${options.step}`,
      );
    }
    metadata.step = String(options.step);
  }
  if (options.hyperparameters !== undefined) {
    metadata.hyperparameters = JSON.stringify(options.hyperparameters);
  }
  const tensors = new Map<string, SafetensorsInput>();
  for (const e of net.entries) {
    if (e.role === "counter") {
      tensors.set(e.name, {
        dtype: "I64",
        shape: [],
        data: new BigInt64Array([BigInt(net.counters.get(e.name) ?? 0)]),
      });
      continue;
    }
    const v = (e.role === "param" ? net.params : net.buffers).get(e.name)!;
    const t: Tensor = {
      dtype: "F32",
      shape: [...e.shape],
      data: v.dataSync() as Float32Array,
    };
    tensors.set(
      e.name,
      e.layout === "conv"
        ? tfConvToTorch(t)
        : e.layout === "dense"
        ? tfDenseToTorch(t)
        : { ...t, data: t.data.slice() },
    );
  }
  return writeSafetensors(tensors, metadata);
}

/**
 * Loads a PyTorch state dict (safetensors bytes) into a network, converting layouts (conv
 * `[out, in, kh, kw]` → `[kh, kw, in, out]`, linear `[out, in]` → `[in, out]`). Everything is checked before
 * anything is assigned, so a failed load leaves the network unchanged: the names must be exactly the network's
 * state-dict names, shapes must match, floats (F32, F64, F16, BF16; converted to float32) must be finite, and
 * `num_batches_tracked` must be an integer tensor with one non-negative safe-integer value.
 *
 * @param net The network to overwrite.
 * @param bytes A safetensors file.
 * @returns The file's `__metadata__` (e.g. `step`, `hyperparameters`).
 * @throws {SyntaxError} / {RangeError} From the safetensors reader for a malformed file.
 * @throws {TypeError} Listing every missing, unexpected, wrongly shaped or wrongly typed tensor by name.
 * @throws {RangeError} Naming the first tensor with a NaN or ±∞ value, or a bad counter value.
 *
 * @example A wrong shape is reported by name
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { Rng } from "../random/rng.ts";
 * import { createMlp } from "./models/mlp.ts";
 * import { loadStateDict, saveStateDict } from "./checkpoint.ts";
 *
 * await tf.setBackend("cpu");
 * const a = createMlp({ inputShape: [3], hidden: [] }, Rng.fromSeed(1n));
 * const b = createMlp({ inputShape: [5], hidden: [] }, Rng.fromSeed(1n));
 * assert.throws(() => loadStateDict(b, saveStateDict(a)), /"fc1.weight" has shape \[10,3\], expected \[10,5\]/);
 * a.dispose();
 * b.dispose();
 * ```
 */
export function loadStateDict(
  net: Network,
  bytes: Uint8Array,
): Record<string, string> {
  const { tensors, metadata } = readSafetensors(bytes);
  const problems: string[] = [];
  const expected = new Set(net.entries.map((e) => e.name));
  for (const e of net.entries) {
    const t = tensors.get(e.name);
    if (t === undefined) {
      problems.push(`missing "${e.name}"`);
      continue;
    }
    const want = e.role === "counter" ? [] : torchShape(e);
    if (
      t.shape.join(",") !== want.join(",") || t.shape.length !== want.length
    ) {
      problems.push(
        `"${e.name}" has shape [${t.shape}], expected [${want}]`,
      );
    }
    const ok = e.role === "counter"
      ? INT_DTYPES.has(t.dtype)
      : FLOAT_DTYPES.has(t.dtype);
    if (!ok) {
      problems.push(
        `"${e.name}" has dtype ${t.dtype}, expected ${
          e.role === "counter" ? "an integer type" : "a float type"
        }`,
      );
    }
  }
  for (const name of tensors.keys()) {
    if (!expected.has(name)) problems.push(`unexpected "${name}"`);
  }
  if (problems.length > 0) {
    throw new TypeError(
      `Cannot load state dict into ${net.architecture} as it does not match the network: ${
        problems.join("; ")
      }`,
    );
  }
  const values = new Map<string, Float32Array>();
  const counters = new Map<string, number>();
  for (const e of net.entries) {
    const t = tensors.get(e.name)!;
    if (e.role === "counter") {
      const raw = t.data[0];
      const n = typeof raw === "bigint" ? Number(raw) : Number(raw ?? NaN);
      if (!Number.isSafeInteger(n) || n < 0) {
        throw new RangeError(
          `Cannot load state dict as "${e.name}" must be a non-negative safe integer: ${raw}`,
        );
      }
      counters.set(e.name, n);
      continue;
    }
    const f: Tensor = {
      dtype: "F32",
      shape: t.shape,
      data: tensorToFloat32(t),
    };
    assertFinite(e.name, f.data);
    const converted = e.layout === "conv"
      ? torchConvToTf(f)
      : e.layout === "dense"
      ? torchDenseToTf(f)
      : f;
    values.set(e.name, converted.data as Float32Array);
  }
  for (const e of net.entries) {
    if (e.role === "counter") {
      net.counters.set(e.name, counters.get(e.name)!);
      continue;
    }
    const v = (e.role === "param" ? net.params : net.buffers).get(e.name)!;
    const t = tf.tensor(values.get(e.name)!, [...e.shape], "float32");
    v.assign(t);
    t.dispose();
  }
  return metadata;
}
