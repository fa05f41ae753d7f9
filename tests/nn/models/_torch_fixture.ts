/**
 * Loads the PyTorch ResNet-18 fixtures of fixtures/torch/ (made by fixtures/torch/gen_resnet18_fixture.py with
 * Debian's torch 1.13.1 / torchvision 0.14.1) and switches tfjs to a checked backend.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { readNpy } from "../../../src/formats/npy.ts";
import { readSafetensors } from "../../../src/formats/safetensors.ts";
import type { Tensor } from "../../../src/formats/tensor.ts";
import { tensorToFloat64 } from "../../../src/formats/to_float.ts";
import { registerRepairedKernels } from "../../../src/nn/kernels/mod.ts";
import type { ResNet18Options } from "../../../src/nn/models/resnet18.ts";

tf.env().set("PROD", true);

/** Switches backend (with the repaired kernels) and fails loudly if tfjs silently fell back. */
export async function useBackend(name: "cpu" | "wasm"): Promise<void> {
  registerRepairedKernels();
  await tf.setBackend(name);
  if (tf.getBackend() !== name) {
    throw new Error(`expected backend ${name}, got ${tf.getBackend()}`);
  }
}

const DIR = new URL("../../../fixtures/torch/", import.meta.url);

/** Names of the two fixtures. */
export const FIXTURES = ["resnet18_w8_small", "resnet18_w4_imagenet"] as const;

/** One fixture's files, decoded. */
export interface TorchFixture {
  readonly name: string;
  /** The safetensors bytes of the state dict before the train-mode pass. */
  readonly stateBytes: Uint8Array;
  readonly state: Map<string, Tensor>;
  readonly metadata: Record<string, string>;
  readonly options: ResNet18Options;
  /** Eval input in NHWC (converted from the file's NCHW), its shape, and PyTorch's eval logits. */
  readonly xEval: {
    data: Float32Array;
    shape: [number, number, number, number];
  };
  readonly logitsEvalF32: Float64Array;
  readonly logitsEvalF64: Float64Array;
  readonly xTrain: {
    data: Float32Array;
    shape: [number, number, number, number];
  };
  readonly yTrain: Int32Array;
  readonly logitsTrainF64: Float64Array;
  /** Buffers after one train-mode pass on xTrain. */
  readonly after: Map<string, Tensor>;
  /** Gradients and HVPs (`hvp.<name>`) of the mean cross-entropy, computed in float64, stored as F32 (PyTorch layout). */
  readonly grads: Map<string, Tensor>;
  readonly gradsMetadata: Record<string, string>;
}

function nchwToNhwc(t: Tensor): {
  data: Float32Array;
  shape: [number, number, number, number];
} {
  const [n, c, h, w] = t.shape as [number, number, number, number];
  const src = t.data as Float32Array;
  const out = new Float32Array(src.length);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          out[((b * h + y) * w + x) * c + ch] =
            src[((b * c + ch) * h + y) * w + x]!;
        }
      }
    }
  }
  return { data: out, shape: [n, h, w, c] };
}

/** Reads a fixture by name. */
export async function loadTorchFixture(name: string): Promise<TorchFixture> {
  const read = (f: string) => Deno.readFile(new URL(`${name}${f}`, DIR));
  const stateBytes = await read(".safetensors");
  const { tensors: state, metadata } = readSafetensors(stateBytes);
  const npy = async (f: string) => readNpy(await read(f));
  const after = readSafetensors(await read("_after_train.safetensors")).tensors;
  const g = readSafetensors(await read("_grads.safetensors"));
  const y = await npy("_y_train.npy");
  return {
    name,
    stateBytes,
    state,
    metadata,
    options: JSON.parse(metadata.config!) as ResNet18Options,
    xEval: nchwToNhwc(await npy("_x_eval.npy")),
    logitsEvalF32: tensorToFloat64(await npy("_logits_eval_f32.npy")),
    logitsEvalF64: tensorToFloat64(await npy("_logits_eval_f64.npy")),
    xTrain: nchwToNhwc(await npy("_x_train.npy")),
    yTrain: Int32Array.from(tensorToFloat64(y)),
    logitsTrainF64: tensorToFloat64(await npy("_logits_train_f64.npy")),
    after,
    grads: g.tensors,
    gradsMetadata: g.metadata,
  };
}
