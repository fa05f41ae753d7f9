import type { ResultsDocument } from "../results/types.ts";

/** One entry of github-action-benchmark's `customSmallerIsBetter` / `customBiggerIsBetter` JSON format. */
export interface GabEntry {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly range?: string;
  readonly extra?: string;
}

/**
 * Lists a run's metrics with a better direction as github-action-benchmark entries (tool
 * `customSmallerIsBetter` for `better: "lower"`, `customBiggerIsBetter` for `"higher"`). The name is
 * `<benchmark>/<cell key>/<metric>`; `range` is ± the standard error for accuracy metrics and ± half the
 * spread of the repeats for cost metrics; `extra` names the kind, n or repeats and the machine.
 *
 * @param doc A results document.
 * @param better Which direction to list.
 * @returns The entries, in document order (metrics without a finite value are skipped).
 *
 * @example Usage
 * ```ts
 * import { gabEntries } from "./gab_entries.ts";
 * import assert from "node:assert/strict";
 *
 * const doc = { environment: { cpuModel: "cpu", backend: "wasm" }, benchmarks: [{ id: "b", cells: [{ key: "n=1",
 *   metrics: { ms: { value: 5, unit: "ms", better: "lower", kind: "cost", stderr: null, n: null, samples: [4, 6] } } }] }] };
 * assert.deepEqual(gabEntries(doc as never, "lower"), [{ name: "b/n=1/ms", unit: "ms", value: 5, range: "± 1",
 *   extra: "cost, 2 repeats, wasm on cpu" }]);
 * ```
 */
export function gabEntries(
  doc: ResultsDocument,
  better: "lower" | "higher",
): GabEntry[] {
  const out: GabEntry[] = [];
  const machine = `${doc.environment.backend} on ${doc.environment.cpuModel}`;
  for (const b of doc.benchmarks) {
    for (const c of b.cells) {
      for (const [name, m] of Object.entries(c.metrics)) {
        if (m.better !== better || m.value === null) continue;
        let range: string | undefined;
        let extra: string;
        if (m.kind === "cost") {
          const s = m.samples ?? [];
          if (s.length > 1) {
            range = `± ${
              Number(((Math.max(...s) - Math.min(...s)) / 2).toPrecision(4))
            }`;
          }
          extra = `cost, ${s.length} repeats, ${machine}`;
        } else {
          if (m.stderr !== null) range = `± ${Number(m.stderr.toPrecision(4))}`;
          extra = `accuracy${m.n !== null ? `, n = ${m.n}` : ""}`;
        }
        out.push({
          name: `${b.id}/${c.key}/${name}`,
          unit: m.unit,
          value: m.value,
          ...(range !== undefined ? { range } : {}),
          extra,
        });
      }
    }
  }
  return out;
}
