// Worker entry of DataParallelSgd: one tfjs wasm SIMD instance per Worker. It holds a replica of the network,
// reads the parameters and BatchNorm running statistics from shared memory before each step, computes the loss
// and the gradients on its shard of the batch (BatchNorm with the shard's own batch statistics), and writes
// the gradients and its updated running statistics to its own shared slots. The main thread does the rest.
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../random/rng.ts";
import {
  initWasmSimdWorker,
  type WorkerError,
  type WorkerReady,
} from "./_workers.ts";
import { crossEntropyFromLogits } from "../kernels/cross_entropy_from_logits.ts";
import type { Network } from "../models/network.ts";
import { createModel, type ModelSpec } from "./model_spec.ts";

/** Messages the main thread sends. */
export type ToWorker =
  | {
    readonly type: "init";
    readonly spec: ModelSpec;
    readonly params: SharedArrayBuffer;
    readonly buffers: SharedArrayBuffer;
    readonly grads: SharedArrayBuffer;
    readonly buffersOut: SharedArrayBuffer;
  }
  | {
    readonly type: "step";
    readonly x: Float32Array;
    readonly y: Float32Array;
    readonly size: number;
  };

/** Messages a worker sends back. */
export type FromWorker =
  | WorkerReady
  | { readonly type: "done"; readonly loss: number }
  | WorkerError;

interface State {
  readonly net: Network;
  readonly params: Float32Array;
  readonly buffers: Float32Array;
  readonly grads: Float32Array;
  readonly buffersOut: Float32Array;
}

let state: State | null = null;

function copyIn(flat: Float32Array, vars: Iterable<tf.Variable>): void {
  let off = 0;
  for (const v of vars) {
    const t = tf.tensor(flat.slice(off, off + v.size), v.shape, "float32");
    v.assign(t);
    t.dispose();
    off += v.size;
  }
}

function copyOut(vars: Iterable<tf.Tensor>, flat: Float32Array): void {
  let off = 0;
  for (const v of vars) {
    flat.set(v.dataSync() as Float32Array, off);
    off += v.size;
  }
}

async function init(
  msg: Extract<ToWorker, { type: "init" }>,
): Promise<FromWorker> {
  const ready = await initWasmSimdWorker("a data-parallel worker");
  // The initial values are overwritten from shared memory before every step.
  const net = createModel(msg.spec, Rng.fromSeed(0n));
  state = {
    net,
    params: new Float32Array(msg.params),
    buffers: new Float32Array(msg.buffers),
    grads: new Float32Array(msg.grads),
    buffersOut: new Float32Array(msg.buffersOut),
  };
  return ready;
}

function step(msg: Extract<ToWorker, { type: "step" }>): FromWorker {
  if (state === null) {
    throw new Error("Cannot take a step as the worker is not initialised");
  }
  const { net } = state;
  copyIn(state.params, net.params.values());
  copyIn(state.buffers, net.buffers.values());
  const inShape = [msg.size, ...net.inputShape];
  const x = tf.tensor(msg.x, inShape, "float32");
  const y = tf.tensor2d(msg.y, [msg.size, net.numClasses], "float32");
  const vars = [...net.params.values()];
  try {
    const { value, grads } = tf.variableGrads(
      () => crossEntropyFromLogits(net.forward(x, { training: true }), y),
      vars,
    );
    try {
      let off = 0;
      for (const v of vars) {
        const g = grads[v.name];
        if (g === undefined) {
          throw new TypeError(
            `Cannot take a step as parameter "${v.name}" got no gradient`,
          );
        }
        state.grads.set(g.dataSync() as Float32Array, off);
        off += v.size;
      }
      copyOut(net.buffers.values(), state.buffersOut);
      return { type: "done", loss: value.dataSync()[0]! };
    } finally {
      value.dispose();
      tf.dispose(Object.values(grads));
    }
  } finally {
    x.dispose();
    y.dispose();
  }
}

// deno-lint-ignore no-explicit-any
const scope = self as any;
scope.onmessage = async (e: MessageEvent<ToWorker>) => {
  let reply: FromWorker;
  try {
    reply = e.data.type === "init" ? await init(e.data) : step(e.data);
  } catch (err) {
    reply = {
      type: "error",
      message: err instanceof Error ? err.message : String(err),
    };
  }
  scope.postMessage(reply);
};
