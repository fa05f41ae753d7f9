import type { BenchmarkDefinition } from "./types.ts";

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(
    /\*/g,
    ".*",
  );
  return new RegExp(`^${escaped}$`);
}

/**
 * Selects benchmarks by a filter: comma-separated patterns, each an exact id or a glob with `*`
 * (e.g. `sgd_*,c12_msd_exponent`). Every pattern must match at least one id. Registry order is kept.
 *
 * @param registry All benchmarks.
 * @param filter The filter, or undefined for all.
 * @returns The selected benchmarks.
 * @throws {RangeError} If a pattern is empty or matches nothing.
 *
 * @example Usage
 * ```ts
 * import { selectBenchmarks } from "./select.ts";
 * import assert from "node:assert/strict";
 *
 * const reg = [{ id: "a_x" }, { id: "a_y" }, { id: "b" }] as never[];
 * assert.equal(selectBenchmarks(reg, "a_*").length, 2);
 * assert.throws(() => selectBenchmarks(reg, "c"), RangeError);
 * ```
 */
export function selectBenchmarks(
  registry: readonly BenchmarkDefinition[],
  filter: string | undefined,
): BenchmarkDefinition[] {
  if (filter === undefined) return [...registry];
  const patterns = filter.split(",").map((p) => p.trim());
  const chosen = new Set<string>();
  for (const p of patterns) {
    if (p === "") {
      throw new RangeError(
        `Cannot select benchmarks as the filter has an empty pattern: "${filter}"`,
      );
    }
    const re = globToRegExp(p);
    const hits = registry.filter((d) => re.test(d.id));
    if (hits.length === 0) {
      throw new RangeError(
        `Cannot select benchmarks as "${p}" matches no benchmark id (see \`deno task bench --list\`)`,
      );
    }
    for (const h of hits) chosen.add(h.id);
  }
  return registry.filter((d) => chosen.has(d.id));
}
