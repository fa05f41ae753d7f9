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

/**
 * Starts one module Worker per init message, sends it, and waits until every worker reported ready; on any
 * failure all of them are terminated and an Error names what failed.
 *
 * @param url The worker entry module.
 * @param inits One init message per worker.
 * @param what Who starts, for the error message ("data-parallel SGD").
 * @returns The workers and their ready messages, in order.
 * @throws {Error} When a worker fails to start.
 */
export async function startWorkers<Ready extends WorkerReady>(
  url: URL,
  inits: readonly unknown[],
  what: string,
): Promise<{ workers: Worker[]; ready: Ready[] }> {
  const workers: Worker[] = [];
  try {
    const replies = inits.map((msg) => {
      const w = new Worker(url, { type: "module" });
      workers.push(w);
      const reply = nextReply<Ready | { readonly type: string }>(w);
      w.postMessage(msg);
      return reply;
    });
    const ready = await Promise.all(replies);
    for (const r of ready) {
      if (r.type !== "ready") {
        throw new Error(
          `Cannot start ${what} as a worker failed to start: ${
            r.type === "error" ? (r as WorkerError).message : r.type
          }`,
        );
      }
    }
    return { workers, ready: ready as Ready[] };
  } catch (e) {
    for (const w of workers) w.terminate();
    throw e;
  }
}
