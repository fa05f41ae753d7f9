import type { Environment } from "../results/types.ts";
import type { MachineInfo, ReportInput, RunInfo } from "./types.ts";

/**
 * Identifies the machine of a run for cross-machine comparison: CPU model, logical cores and tfjs backend (the
 * backend name says whether SIMD was used).
 *
 * @param env The run's `environment`.
 * @returns Key (for grouping) and label (for pages).
 *
 * @example Usage
 * ```ts
 * import { machineOf } from "./describe_runs.ts";
 * import assert from "node:assert/strict";
 *
 * const m = machineOf({ cpuModel: "Xeon", logicalCores: 2, backend: "wasm", simd: true });
 * assert.equal(m.label, "Xeon (2 cores), wasm SIMD");
 * assert.notEqual(m.key, machineOf({ cpuModel: "Xeon", logicalCores: 4, backend: "wasm", simd: true }).key);
 * ```
 */
export function machineOf(
  env: Pick<Environment, "cpuModel" | "logicalCores" | "backend" | "simd">,
): MachineInfo {
  const backend = env.backend === "wasm" && env.simd
    ? "wasm SIMD"
    : env.backend;
  return {
    key: `${env.cpuModel}|${env.logicalCores}|${env.backend}`,
    label: `${env.cpuModel} (${env.logicalCores} cores), ${backend}`,
  };
}

/**
 * Orders runs by start time (`run.startedAt`, ties by run id; results files carry no commit time) and gives
 * each a unique chart label "commit8 YYYY-MM-DD HH:MM" ("nogit" without a commit), with " #2", " #3", … added
 * to repeated labels.
 *
 * @param inputs Validated results documents, in any order.
 * @returns One {@linkcode RunInfo} per input, earliest first.
 *
 * @example Usage
 * ```ts
 * import { describeRuns } from "./describe_runs.ts";
 * import type { ResultsDocument } from "../results/types.ts";
 * import assert from "node:assert/strict";
 *
 * const doc = (startedAt: string, id: string) => ({
 *   run: { id, startedAt },
 *   source: { commit: "0123456789abcdef0123456789abcdef01234567" },
 *   environment: { cpuModel: "cpu", logicalCores: 2, backend: "wasm", simd: true },
 * }) as unknown as ResultsDocument;
 * const runs = describeRuns([
 *   { path: "b.json", doc: doc("2026-01-02T10:00:00Z", "b") },
 *   { path: "a.json", doc: doc("2026-01-02T10:00:00.5Z", "a") },
 * ]);
 * assert.deepEqual(runs.map((r) => r.label), ["01234567 2026-01-02 10:00", "01234567 2026-01-02 10:00 #2"]);
 * assert.equal(runs[0]!.path, "b.json");
 * ```
 */
export function describeRuns(inputs: readonly ReportInput[]): RunInfo[] {
  const sorted = [...inputs].sort((a, b) =>
    Date.parse(a.doc.run.startedAt) - Date.parse(b.doc.run.startedAt) ||
    compareText(a.doc.run.id, b.doc.run.id)
  );
  const seen = new Map<string, number>();
  return sorted.map((input, order) => {
    const { doc } = input;
    const commit = doc.source.commit;
    const when = doc.run.startedAt.slice(0, 16).replace("T", " ");
    const base = `${commit === null ? "nogit" : commit.slice(0, 8)} ${when}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return {
      order,
      id: doc.run.id,
      path: input.path,
      label: count === 1 ? base : `${base} #${count}`,
      commit,
      machine: machineOf(doc.environment),
      doc,
    };
  });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
