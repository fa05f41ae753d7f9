import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerRepairedKernels } from "./kernels/mod.ts";

/** Backends the suite can run on. `wasm` is the SIMD build; `wasm-nosimd` forces the plain wasm build. */
export type BackendName = "wasm" | "wasm-nosimd" | "cpu";

/** The backends accepted by `--backend`. */
export const BACKEND_NAMES: readonly BackendName[] = [
  "wasm",
  "wasm-nosimd",
  "cpu",
];

/** What was initialised, as recorded in results. */
export interface BackendInfo {
  readonly backend: BackendName;
  readonly simd: boolean;
  readonly tfjs: string;
  /** Names of the custom kernels and gradients registered at start-up. */
  readonly kernels: readonly string[];
}

let active: BackendInfo | null = null;

/**
 * Initialises tfjs on the requested backend, once per process, with the repaired kernels and gradients of
 * `./kernels/` registered, and fails loudly if tfjs silently fell back to
 * another backend (it does so on any wasm init error, e.g. missing read permission for its .wasm files).
 *
 * @param name The backend.
 * @returns What is active.
 * @throws {Error} If the backend could not be activated, or a different one was already initialised.
 *
 * @example Usage
 * ```ts ignore
 * import { initBackend } from "./backend.ts";
 * const info = await initBackend("wasm");
 * ```
 */
export async function initBackend(name: BackendName): Promise<BackendInfo> {
  if (active !== null) {
    if (active.backend !== name) {
      throw new Error(
        `Cannot initialise backend "${name}" as "${active.backend}" is already active in this process`,
      );
    }
    return active;
  }
  tf.env().set("PROD", true);
  // Our kernels and gradients replace broken or missing stock ones (conv weight gradients on wasm, MaxPoolGrad,
  // second-order gradients); they change low-order bits, so their names are recorded with every result.
  const kernels = registerRepairedKernels();
  const tfName = name === "cpu" ? "cpu" : "wasm";
  if (name === "wasm-nosimd") tf.env().set("WASM_HAS_SIMD_SUPPORT", false);
  let ok = false;
  let cause: unknown;
  try {
    ok = await tf.setBackend(tfName);
    await tf.ready();
  } catch (e) {
    cause = e;
  }
  if (!ok || tf.getBackend() !== tfName) {
    throw new Error(
      `Cannot initialise tfjs backend "${name}" as tfjs is running on "${tf.getBackend()}" instead` +
        (cause instanceof Error
          ? `: ${cause.message}`
          : " (does the process have read access to node_modules?)"),
      { cause },
    );
  }
  const simd = tfName === "wasm"
    ? Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"))
    : false;
  if (name === "wasm" && !simd) {
    throw new Error(
      `Cannot initialise backend "wasm" with SIMD as this engine does not support wasm SIMD`,
    );
  }
  active = { backend: name, simd, tfjs: tf.version.tfjs, kernels };
  return active;
}
