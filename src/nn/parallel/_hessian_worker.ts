// Worker entry of ParallelHessian: one tfjs wasm SIMD instance per Worker holding a replica of the network (at
// fixed parameters and BatchNorm running statistics) and its shard of the data subset; it answers Hessian-vector
// products of its shard's mean loss (NetworkHessian, BatchNorm in evaluation mode). The main thread combines.
import { Rng } from "../../random/rng.ts";
import { NetworkHessian } from "../hessian.ts";
import { unflattenParams } from "../flatten_params.ts";
import { createModel, type ModelSpec } from "./model_spec.ts";
import {
  initWasmSimdWorker,
  type WorkerError,
  type WorkerReady,
} from "./_workers.ts";

/** Messages the main thread sends. */
export type ToHessianWorker =
  | {
    readonly type: "init";
    readonly spec: ModelSpec;
    readonly params: Float32Array;
    readonly buffers: Float32Array;
    readonly x: Float32Array;
    readonly y: Float32Array;
    readonly count: number;
    readonly batchSize: number;
  }
  | { readonly type: "hvp"; readonly v: Float32Array };

/** Messages a worker sends back. */
export type FromHessianWorker =
  | (WorkerReady & { readonly dim: number })
  | { readonly type: "hvp"; readonly hv: Float64Array }
  | WorkerError;

let hessian: NetworkHessian | null = null;

async function init(
  msg: Extract<ToHessianWorker, { type: "init" }>,
): Promise<FromHessianWorker> {
  const ready = await initWasmSimdWorker("a Hessian worker");
  const net = createModel(msg.spec, Rng.fromSeed(0n));
  unflattenParams(msg.params, net.params);
  unflattenParams(msg.buffers, net.buffers);
  hessian = new NetworkHessian(
    net,
    { x: msg.x, y: msg.y, count: msg.count },
    { batchSize: msg.batchSize },
  );
  return { ...ready, dim: hessian.dim };
}

// deno-lint-ignore no-explicit-any
const scope = self as any;
scope.onmessage = async (e: MessageEvent<ToHessianWorker>) => {
  try {
    if (e.data.type === "init") {
      scope.postMessage(await init(e.data));
      return;
    }
    if (hessian === null) {
      throw new Error("Cannot compute H·v as the worker is not initialised");
    }
    const hv = hessian.hvp(e.data.v);
    scope.postMessage({ type: "hvp", hv } satisfies FromHessianWorker, [
      hv.buffer,
    ]);
  } catch (err) {
    scope.postMessage(
      {
        type: "error",
        message: err instanceof Error ? err.message : String(err),
      } satisfies FromHessianWorker,
    );
  }
};
