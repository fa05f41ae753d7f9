import assert from "node:assert/strict";
import { buildSite } from "../../src/report/build_site.ts";
import { commitOf, demoDocument, demoRuns } from "./_fixtures.ts";

Deno.test("buildSite() makes one page per benchmark with cells, verdict rows and charts from the latest run", async () => {
  const inputs = await demoRuns();
  const site = buildSite(inputs);
  assert.deepEqual(site.runs.map((r) => r.id), [
    "run-a",
    "run-b",
    "run-c",
    "run-d",
  ]);
  assert.equal(site.benchmarks.length, 1);
  const page = site.benchmarks[0]!;
  assert.equal(page.path, "benchmarks/report_demo.html");
  const latest = inputs.find((i) => i.doc.run.id === "run-d")!.doc
    .benchmarks[0]!;
  assert.deepEqual(
    page.cells.map((c) => c.key),
    latest.cells.map((c) => c.key),
  );
  assert.ok(page.cells.every((c) => c.run === site.runs[3]!.label));
  const ok = page.cells.find((c) => c.status === "ok")!;
  const stored = latest.cells.find((c) => c.key === ok.key)!;
  // One row per (metric, reference); metrics without references get one row.
  assert.deepEqual(ok.rows.map((r) => [r.metric, r.reference]), [
    ["speed", "continuous"],
    ["speed", "exact"],
    ["time", null],
  ]);
  assert.deepEqual(
    ok.rows[0]!.judged,
    stored.metrics.speed!.references.continuous,
  );
  assert.equal(ok.rows[0]!.judged!.verdict, "expected-break");
  assert.equal(ok.rows[1]!.value, stored.metrics.speed!.value);
  assert.equal(ok.rows[1]!.stderr, stored.metrics.speed!.stderr);
  assert.deepEqual(ok.params, [["eta", stored.params.eta], ["label", "plain"]]);
  assert.deepEqual(
    ok.charts.map((c) => c.title),
    stored.plots.map((p) => p.title),
  );
  // Canvas ids are unique on the page.
  const ids = [
    ...page.cells.flatMap((c) => c.charts.map((x) => x.canvasId)),
    ...page.history.map((x) => x.canvasId),
    ...page.crossMachine.flatMap((c) => c.costs.map((t) => t.chart.canvasId)),
  ];
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(page.history.length, 3);
  assert.deepEqual(page.counts, {
    ok: 2,
    diverged: 1,
    error: 0,
    pass: 2,
    fail: 0,
    expectedBreak: 2,
  });
  assert.equal(site.commits.length, 1);
});

Deno.test("buildSite() takes each cell from the latest run that has it (shards add up) and leaves out older versions", async () => {
  const shard1 = await demoDocument({
    id: "s1",
    startedAt: "2026-01-01T00:00:00Z",
    select: (k) => k.startsWith("eta=0.1,"),
    commit: commitOf("c"),
  });
  const shard2 = await demoDocument({
    id: "s2",
    startedAt: "2026-01-01T00:01:00Z",
    select: (k) => !k.startsWith("eta=0.1,"),
    commit: commitOf("c"),
  });
  const old = await demoDocument({
    id: "old",
    startedAt: "2026-01-02T00:00:00Z",
    version: 0 + 1,
    commit: commitOf("d"),
  });
  const newer = await demoDocument({
    id: "new",
    startedAt: "2025-12-01T00:00:00Z",
    version: 2,
    commit: commitOf("e"),
  });
  const site = buildSite([
    { path: "1", doc: shard1 },
    { path: "2", doc: shard2 },
    { path: "3", doc: old },
    { path: "4", doc: newer },
  ]);
  const page = site.benchmarks[0]!;
  // The newest version wins even though its run is the oldest.
  assert.equal(page.version, 2);
  assert.equal(page.cells.length, 3);
  assert.deepEqual(page.olderVersionRuns.length, 3);
  const site1 = buildSite([{ path: "1", doc: shard1 }, {
    path: "2",
    doc: shard2,
  }]);
  const p1 = site1.benchmarks[0]!;
  assert.equal(p1.cells.length, 3);
  const labels = new Map(site1.runs.map((r) => [r.id, r.label]));
  for (const c of p1.cells) {
    assert.equal(c.run, labels.get(c.key.startsWith("eta=0.1,") ? "s1" : "s2"));
  }
});

Deno.test("buildSite() throws RangeError for no inputs and for a run given twice", async () => {
  assert.throws(() => buildSite([]), RangeError);
  const doc = await demoDocument({
    id: "same",
    startedAt: "2026-01-01T00:00:00Z",
  });
  assert.throws(
    () => buildSite([{ path: "x.json", doc }, { path: "y.json", doc }]),
    /run "same" is given twice: "x.json" and "y.json"/,
  );
});
