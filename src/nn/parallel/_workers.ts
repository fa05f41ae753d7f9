// Shared glue of the Worker pools (DataParallelSgd, ParallelHessian): the main side waits for one reply per
// message; the worker side loads tfjs wasm SIMD with the repaired kernels or refuses to start.
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend.ts";

/** A worker's failure, as every worker protocol reports it. */
export interface WorkerError {
  readonly type: "error";
  readonly message: string;
}

/** What every worker reports once its backend is up. */
export interface WorkerReady {
  readonly type: "ready";
  readonly backend: string;
  readonly simd: boolean;
  readonly kernels: readonly string[];
}

/**
 * The next message of a worker (one request in flight per worker), or its uncaught error as a WorkerError.
 *
 * @param w The worker.
 * @returns Its reply.
 */
export function nextReply<T>(w: Worker): Promise<T | WorkerError> {
  return new Promise((resolve) => {
    w.onmessage = (e: MessageEvent<T>) => resolve(e.data);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      resolve({ type: "error", message: e.message });
    };
  });
}

/**
 * In a worker: loads tfjs wasm SIMD with the repaired kernels, or throws (no silent cpu fallback).
 *
 * @param what Who starts, for the error message ("a data-parallel worker").
 * @returns The backend facts to report.
 * @throws {Error} When tfjs does not run on wasm with SIMD.
 */
export async function initWasmSimdWorker(what: string): Promise<WorkerReady> {
  const info = await initBackend("wasm");
  if (tf.getBackend() !== "wasm" || !info.simd) {
    throw new Error(
      `Cannot start ${what} as tfjs runs on "${tf.getBackend()}" (simd=${info.simd}), not wasm SIMD`,
    );
  }
  return {
    type: "ready",
    backend: tf.getBackend(),
    simd: info.simd,
    kernels: info.kernels,
  };
}
