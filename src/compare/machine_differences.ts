import type { Environment } from "../results/types.ts";

/**
 * Environment fields that decide whether cost numbers (times, throughputs) of two runs are comparable: the tfjs
 * backend and SIMD flag (different kernels), the CPU model and logical core count (different hardware), and the
 * OS and architecture. Software versions (Deno, V8, tfjs, kernels) are not among them: a slowdown they cause is
 * exactly what a regression gate should report. Total memory is left out (it varies between otherwise
 * identical virtual machines and does not bound these workloads).
 */
export const MACHINE_FIELDS = [
  "backend",
  "simd",
  "cpuModel",
  "logicalCores",
  "os",
  "arch",
] as const satisfies readonly (keyof Environment)[];

/**
 * Lists the {@linkcode MACHINE_FIELDS} in which two environments differ.
 *
 * @param a One run's environment.
 * @param b The other's.
 * @returns Field names (empty when cost numbers are comparable).
 *
 * @example Usage
 * ```ts
 * import { machineDifferences } from "./machine_differences.ts";
 * import assert from "node:assert/strict";
 *
 * const env = { deno: "2.9.6", v8: "x", typescript: "x", tfjs: "4.22.0", backend: "wasm", simd: true,
 *   kernels: [], cpuModel: "A", logicalCores: 2, totalMemoryBytes: 1, os: "linux", arch: "x86_64" };
 * assert.deepEqual(machineDifferences(env, { ...env, deno: "2.9.7" }), []);
 * assert.deepEqual(machineDifferences(env, { ...env, cpuModel: "B", logicalCores: 4 }), ["cpuModel", "logicalCores"]);
 * ```
 */
export function machineDifferences(a: Environment, b: Environment): string[] {
  return MACHINE_FIELDS.filter((f) => a[f] !== b[f]);
}
