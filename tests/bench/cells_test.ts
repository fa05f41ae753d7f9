import assert from "node:assert/strict";
import { benchmarkCells, cellKey, expandGrid } from "../../src/bench/cells.ts";
import { defineBenchmark } from "../../src/bench/types.ts";
import { deriveSeed } from "../../src/random/derive_seed.ts";

const def = defineBenchmark({
  id: "demo",
  version: 1,
  title: "Demo",
  paperRef: "-",
  grid: { eta: [0.1, 0.2], beta: [0, 0.9] },
  quickGrid: { eta: [0.2] },
  metrics: {
    m: { unit: "1", better: "none", kind: "accuracy", description: "-" },
  },
  run: () => ({ metrics: { m: { value: 0 } } }),
});

Deno.test("expandGrid() takes the Cartesian product in declared order", () => {
  assert.deepEqual(expandGrid({ a: [1, 2], b: [true, false] }), [
    { a: 1, b: true },
    { a: 1, b: false },
    { a: 2, b: true },
    { a: 2, b: false },
  ]);
  assert.throws(() => expandGrid({ a: [] }), RangeError);
});

Deno.test("cellKey() sorts names and does not depend on declaration order", () => {
  assert.equal(
    cellKey({ eta: 0.1, beta: 0.9 }),
    cellKey({ beta: 0.9, eta: 0.1 }),
  );
  assert.equal(cellKey({ eta: 0.1, beta: 0.9 }), "beta=0.9,eta=0.1");
  assert.notEqual(cellKey({ a: "1" }), cellKey({ a: 1 }));
});

Deno.test("benchmarkCells() derives each seed from (base seed, id, key) only", () => {
  const full = benchmarkCells(def, { seed: 5n, quick: false });
  assert.equal(full.length, 4);
  for (const c of full) assert.equal(c.seed, deriveSeed(5n, ["demo", c.key]));
  assert.equal(new Set(full.map((c) => c.seed)).size, 4);
  const quick = benchmarkCells(def, { seed: 5n, quick: true });
  assert.equal(quick.length, 2);
  for (const q of quick) {
    assert.equal(q.seed, full.find((f) => f.key === q.key)!.seed);
  }
  assert.notEqual(
    benchmarkCells(def, { seed: 6n, quick: false })[0]!.seed,
    full[0]!.seed,
  );
});
