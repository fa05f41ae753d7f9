import assert from "node:assert/strict";
import { runSuite } from "../../src/bench/run_suite.ts";
import { defineBenchmark } from "../../src/bench/types.ts";
import type { StoredCell } from "../../src/results/types.ts";

/** A benchmark whose value is a draw from the cell's generator: equal digests ⇔ equal seeds and code. */
const noisy = defineBenchmark({
  id: "noisy",
  version: 1,
  title: "Noisy",
  paperRef: "-",
  grid: { a: [1, 2, 3], b: ["x", "y"] },
  metrics: {
    draw: {
      unit: "1",
      better: "none",
      kind: "accuracy",
      description: "a normal draw plus a",
      references: { zero: { rule: "zscore", maxAbsZ: 10 } },
    },
    ms: { unit: "ms", better: "lower", kind: "cost", description: "fake time" },
  },
  run(p, { rng }) {
    return {
      metrics: {
        draw: {
          value: Number(p.a) + rng.normal(),
          stderr: 1,
          references: { zero: { value: Number(p.a) } },
        },
        ms: { value: rng.float() },
      },
    };
  },
});

function clock(): () => number {
  let t = 0;
  return () => (t += 1);
}

function digests(cells: readonly StoredCell[]): Map<string, string> {
  return new Map(cells.map((c) => [c.key, c.digest]));
}

Deno.test("runSuite() gives identical digests for the same seed and different ones for another", async () => {
  const a = await runSuite([noisy], { seed: 9n, quick: false, now: clock() });
  const b = await runSuite([noisy], { seed: 9n, quick: false, now: clock() });
  const c = await runSuite([noisy], { seed: 10n, quick: false, now: clock() });
  assert.deepEqual(
    digests(a.benchmarks[0]!.cells),
    digests(b.benchmarks[0]!.cells),
  );
  const dc = digests(c.benchmarks[0]!.cells);
  for (const [k, d] of digests(a.benchmarks[0]!.cells)) {
    assert.notEqual(dc.get(k), d);
  }
});

Deno.test("runSuite() shards partition the cells and reproduce the full run's digests", async () => {
  const full = await runSuite([noisy], {
    seed: 9n,
    quick: false,
    now: clock(),
  });
  const union = new Map<string, string>();
  for (let i = 1; i <= 4; i++) {
    const part = await runSuite([noisy], {
      seed: 9n,
      quick: false,
      now: clock(),
      shard: { index: i, count: 4 },
    });
    for (const c of part.benchmarks.flatMap((b) => b.cells)) {
      assert.ok(!union.has(c.key), `cell ${c.key} in two shards`);
      union.set(c.key, c.digest);
    }
  }
  assert.deepEqual(union, digests(full.benchmarks[0]!.cells));
});

Deno.test("runSuite() keeps cost samples per repeat and stores their median", async () => {
  const r = await runSuite([noisy], {
    seed: 9n,
    quick: false,
    now: clock(),
    repeats: 3,
  });
  const m = r.benchmarks[0]!.cells[0]!.metrics.ms!;
  assert.equal(m.samples!.length, 3);
  // A fresh generator per repeat: the fake cost is the same draw each time, so the median equals it.
  assert.equal(m.value, m.samples![0]);
  assert.equal(r.benchmarks[0]!.cells[0]!.timing!.repeats, 3);
});

Deno.test("runSuite() records a throwing cell as error and goes on", async () => {
  const bad = defineBenchmark({
    ...noisy,
    id: "bad",
    run(p, ctx) {
      if (p.a === 2) throw new RangeError("boom");
      return noisy.run(p, ctx);
    },
  });
  const r = await runSuite([bad], { seed: 1n, quick: false, now: clock() });
  assert.equal(r.summary.error, 2);
  assert.equal(r.summary.ok, 4);
  const cell = r.benchmarks[0]!.cells.find((c) => c.status === "error")!;
  assert.equal(cell.message, "RangeError: boom");
});

Deno.test("runSuite() records divergence without judging the cell", async () => {
  const div = defineBenchmark({
    ...noisy,
    id: "div",
    run: () => ({ metrics: { draw: { value: NaN } }, diverged: "unstable" }),
  });
  const r = await runSuite([div], { seed: 1n, quick: false, now: clock() });
  assert.equal(r.summary.diverged, 6);
  const c = r.benchmarks[0]!.cells[0]!;
  assert.equal(c.status, "diverged");
  assert.equal(c.metrics.draw!.value, null);
  assert.deepEqual(c.metrics.draw!.references, {});
  assert.equal(c.verdict, "none");
});

Deno.test("runSuite() flags nondeterministic accuracy outputs as an error", async () => {
  let calls = 0;
  const flaky = defineBenchmark({
    ...noisy,
    id: "flaky",
    grid: { a: [1] },
    run: () => ({
      metrics: {
        draw: { value: calls++, stderr: 1, references: { zero: { value: 0 } } },
        ms: { value: 1 },
      },
    }),
  });
  const r = await runSuite([flaky], {
    seed: 1n,
    quick: false,
    now: clock(),
    repeats: 2,
  });
  assert.equal(r.benchmarks[0]!.cells[0]!.status, "error");
  assert.match(r.benchmarks[0]!.cells[0]!.message!, /nondeterministic/);
});

Deno.test("runSuite() rejects undeclared or missing metrics", async () => {
  const undeclared = defineBenchmark({
    ...noisy,
    id: "undeclared",
    grid: { a: [1] },
    run: () => ({ metrics: { other: { value: 1 } } }),
  });
  const r = await runSuite([undeclared], {
    seed: 1n,
    quick: false,
    now: clock(),
  });
  assert.equal(r.benchmarks[0]!.cells[0]!.status, "error");
  assert.match(r.benchmarks[0]!.cells[0]!.message!, /does not declare/);
});

Deno.test("runSuite() select runs only the chosen cells, with the full run's digests", async () => {
  const full = await runSuite([noisy], {
    seed: 9n,
    quick: false,
    now: clock(),
  });
  const want = new Set(['a=2,b="x"', 'a=3,b="y"']);
  const part = await runSuite([noisy], {
    seed: 9n,
    quick: false,
    now: clock(),
    select: (id, key) => id === "noisy" && want.has(key),
  });
  const got = digests(part.benchmarks[0]!.cells);
  assert.deepEqual([...got.keys()].sort(), [...want].sort());
  const all = digests(full.benchmarks[0]!.cells);
  for (const [k, d] of got) assert.equal(d, all.get(k));
});

Deno.test("runSuite() stores a metric a cell could not measure as null without judging it", async () => {
  const partial = defineBenchmark({
    ...noisy,
    id: "partial",
    grid: { a: [1] },
    run: () => ({ metrics: { draw: { value: NaN }, ms: { value: 1 } } }),
  });
  const r = await runSuite([partial], { seed: 1n, quick: false, now: clock() });
  const c = r.benchmarks[0]!.cells[0]!;
  assert.equal(c.status, "ok");
  assert.equal(c.metrics.draw!.value, null);
  assert.deepEqual(c.metrics.draw!.references, {});
  // A NaN value that does carry its prediction is still judged, and fails.
  const judged = defineBenchmark({
    ...partial,
    id: "judged",
    run: () => ({
      metrics: {
        draw: { value: NaN, stderr: 1, references: { zero: { value: 0 } } },
        ms: { value: 1 },
      },
    }),
  });
  const j = await runSuite([judged], { seed: 1n, quick: false, now: clock() });
  assert.equal(
    j.benchmarks[0]!.cells[0]!.metrics.draw!.references.zero!.verdict,
    "fail",
  );
});
