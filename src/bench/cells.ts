import { deriveSeed } from "../random/derive_seed.ts";
import type {
  BenchmarkDefinition,
  ParamGrid,
  Params,
  ParamValue,
} from "./types.ts";

/** One cell of a benchmark's parameter grid, with its canonical key and derived seed. */
export interface Cell {
  /** The cell's parameters. */
  readonly params: Params;
  /** Canonical key: `name=value` pairs sorted by name, joined by commas, e.g. `beta=0.9,eta=0.1`. */
  readonly key: string;
  /** Seed derived from (base seed, benchmark id, key). */
  readonly seed: bigint;
}

function formatValue(v: ParamValue): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

/**
 * Returns the canonical key of a parameter set: names sorted, `name=value` joined by commas (strings quoted).
 *
 * @param params Cell parameters.
 * @returns The key.
 *
 * @example Usage
 * ```ts
 * import { cellKey } from "./cells.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(cellKey({ eta: 0.1, beta: 0.9, kind: "a" }), 'beta=0.9,eta=0.1,kind="a"');
 * ```
 */
export function cellKey(params: Params): string {
  return Object.keys(params).sort().map((k) =>
    `${k}=${formatValue(params[k]!)}`
  ).join(",");
}

/**
 * Expands a grid (Cartesian product, in the declared order of names and values) into parameter sets.
 *
 * @param grid Candidate values per parameter.
 * @returns Every combination.
 * @throws {RangeError} If a parameter has no candidate values.
 *
 * @example Usage
 * ```ts
 * import { expandGrid } from "./cells.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(expandGrid({ a: [1, 2], b: ["x"] }), [{ a: 1, b: "x" }, { a: 2, b: "x" }]);
 * ```
 */
export function expandGrid(grid: ParamGrid): Params[] {
  let out: Record<string, ParamValue>[] = [{}];
  for (const [name, values] of Object.entries(grid)) {
    if (values.length === 0) {
      throw new RangeError(
        `Cannot expand grid as parameter "${name}" has no values`,
      );
    }
    const next: Record<string, ParamValue>[] = [];
    for (const partial of out) {
      for (const v of values) next.push({ ...partial, [name]: v });
    }
    out = next;
  }
  return out;
}

/**
 * Lists the cells of a benchmark for a run: the grid (with the quick grid's overrides when `quick`), each with
 * its canonical key and a seed derived from (base seed, benchmark id, key) alone, so that a filtered or sharded
 * run reproduces exactly the numbers of a full run.
 *
 * @param def The benchmark.
 * @param options Base seed and quick flag.
 * @returns The cells, in grid order.
 *
 * @example Usage
 * ```ts
 * import { benchmarkCells } from "./cells.ts";
 * import assert from "node:assert/strict";
 *
 * const def = { id: "d", version: 1, title: "", paperRef: "", grid: { n: [1, 2, 3] }, quickGrid: { n: [2] },
 *   metrics: {}, run: () => ({ metrics: {} }) };
 * const quick = benchmarkCells(def, { seed: 1n, quick: true });
 * const full = benchmarkCells(def, { seed: 1n, quick: false });
 * assert.equal(quick.length, 1);
 * assert.equal(quick[0]!.seed, full[1]!.seed);
 * ```
 */
export function benchmarkCells(
  def: BenchmarkDefinition,
  options: { readonly seed: bigint; readonly quick: boolean },
): Cell[] {
  const grid = options.quick && def.quickGrid
    ? { ...def.grid, ...def.quickGrid }
    : def.grid;
  return expandGrid(grid).map((params) => {
    const key = cellKey(params);
    return { params, key, seed: deriveSeed(options.seed, [def.id, key]) };
  });
}
