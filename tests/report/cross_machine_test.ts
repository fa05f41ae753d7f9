import assert from "node:assert/strict";
import {
  benchmarkCrossMachine,
  commitGroups,
  WALL_TIME_LABEL,
} from "../../src/report/cross_machine.ts";
import { describeRuns } from "../../src/report/describe_runs.ts";
import { commitOf, demoDocument, demoRuns } from "./_fixtures.ts";

Deno.test("commitGroups() finds the cells whose digests differ between machines of one commit", async () => {
  const runs = describeRuns(await demoRuns());
  const groups = commitGroups(runs);
  // Commit b has a single run: no group.
  assert.deepEqual(groups.map((g) => g.commit), [commitOf("a")]);
  const g = groups[0]!;
  assert.equal(g.machines.length, 3);
  // 3 cells, each present in the 3 runs of commit a.
  assert.equal(g.compared, 3);
  // Run c shifts every ok cell's value (2 cells); the diverged cell has no value and agrees.
  assert.equal(g.mismatches.length, 2);
  for (const m of g.mismatches) {
    assert.deepEqual(m.runs.map((r) => r.machine), [
      "CPU A (2 cores), wasm SIMD",
      "CPU B (2 cores), wasm SIMD",
      "CPU C (2 cores), wasm SIMD",
    ]);
    const [a, b, c] = m.runs.map((r) => r.digest);
    assert.equal(a, b);
    assert.notEqual(a, c);
  }
});

Deno.test("commitGroups() compares only cells with the same seed and size", async () => {
  const runs = describeRuns([
    {
      path: "1",
      doc: await demoDocument({
        id: "s1",
        startedAt: "2026-01-01T00:00:00Z",
        seed: 1n,
      }),
    },
    {
      path: "2",
      doc: await demoDocument({
        id: "s2",
        startedAt: "2026-01-01T01:00:00Z",
        seed: 2n,
        cpuModel: "Other",
      }),
    },
    {
      path: "3",
      doc: await demoDocument({
        id: "s3",
        startedAt: "2026-01-01T02:00:00Z",
        quick: true,
        cpuModel: "Third",
      }),
    },
  ]);
  const [g] = commitGroups(runs);
  assert.equal(g!.compared, 0);
  assert.deepEqual(g!.mismatches, []);
});

Deno.test("benchmarkCrossMachine() tabulates each cost metric per cell and run", async () => {
  const inputs = await demoRuns();
  const runs = describeRuns(inputs);
  let n = 0;
  const [cm] = benchmarkCrossMachine(runs, {
    id: "report_demo",
    version: 1,
    canvasId: () => `c${n++}`,
  });
  assert.equal(cm!.commit, commitOf("a"));
  assert.equal(cm!.mismatches.length, 2);
  assert.deepEqual(cm!.costs.map((t) => [t.metric, t.unit]), [["time", "ms"], [
    WALL_TIME_LABEL.name,
    "ms",
  ]]);
  const time = cm!.costs[0]!;
  assert.deepEqual(time.columns.map((c) => c.split(" — ")[1]), [
    "CPU A (2 cores), wasm SIMD",
    "CPU B (2 cores), wasm SIMD",
    "CPU C (2 cores), wasm SIMD",
  ]);
  const a = inputs.find((i) => i.doc.run.id === "run-a")!.doc.benchmarks[0]!;
  assert.deepEqual(time.keys, a.cells.map((c) => c.key));
  // ok cells: each run's own cost value; the diverged cell stores no cost metric.
  for (let i = 0; i < time.keys.length; i++) {
    const ok = a.cells[i]!.status === "ok";
    assert.deepEqual(time.values[i], ok ? [10, 20, 30] : [null, null, null]);
  }
  const wall = cm!.costs[1]!;
  assert.deepEqual(
    wall.values[0],
    [0, 1, 2].map((j) =>
      inputs.find((x) => x.doc.run.id === ["run-a", "run-b", "run-c"][j])!.doc
        .benchmarks[0]!.cells[0]!.timing!.medianMs
    ),
  );
  assert.equal(time.chart.config.type, "bar");
  assert.equal(time.chart.config.data.datasets.length, 3);
  assert.deepEqual(time.chart.config.data.datasets.map((d) => d.data[0]), [
    10,
    20,
    30,
  ]);
});
