import assert from "node:assert/strict";
import { describeRuns } from "../../src/report/describe_runs.ts";
import {
  historyCharts,
  LOG_AXIS_SPAN,
  metricHistories,
} from "../../src/report/history.ts";
import { WALL_TIME } from "../../src/report/cross_machine.ts";
import { commitOf, demoDocument, demoRuns } from "./_fixtures.ts";

Deno.test("metricHistories() puts runs in time order and one series per cell key with value and stderr", async () => {
  const inputs = await demoRuns();
  const runs = describeRuns(inputs);
  const hs = metricHistories(runs, { id: "report_demo", version: 1 });
  // Accuracy metrics first, then cost metrics, then the wall time.
  assert.deepEqual(hs.map((h) => [h.metric, h.kind]), [
    ["speed", "accuracy"],
    ["time", "cost"],
    [WALL_TIME, "cost"],
  ]);
  const byId = new Map(inputs.map((i) => [i.doc.run.id, i.doc]));
  const order = ["run-a", "run-b", "run-c", "run-d"];
  const speed = hs[0]!;
  assert.deepEqual(speed.runs, runs.map((r) => r.label));
  assert.deepEqual(runs.map((r) => r.id), order);
  const keys = byId.get("run-d")!.benchmarks[0]!.cells.map((c) => c.key);
  assert.deepEqual(speed.series.map((s) => s.label), keys);
  for (const s of speed.series) {
    const expected = order.map((id) =>
      byId.get(id)!.benchmarks[0]!.cells.find((c) => c.key === s.label)!.metrics
        .speed
    );
    assert.deepEqual(s.values, expected.map((m) => m?.value ?? null));
    assert.deepEqual(s.stderr, expected.map((m) => m?.stderr ?? null));
  }
  // The diverged cell has no metrics: all null, still one series.
  assert.ok(speed.series.some((s) => s.values.every((v) => v === null)));
  // Cost metrics carry no stderr; their values are the per-run medians.
  const time = hs[1]!;
  assert.equal(time.series[0]!.stderr, undefined);
  assert.deepEqual(time.series[0]!.values, [10, 20, 30, 12]);
});

Deno.test("metricHistories() fills null for cells a run lacks and skips other versions", async () => {
  const first = await demoDocument({
    id: "r1",
    startedAt: "2026-01-01T00:00:00Z",
    select: (k) => k.startsWith("eta=0.1,"),
  });
  const second = await demoDocument({
    id: "r2",
    startedAt: "2026-01-02T00:00:00Z",
  });
  const v2 = await demoDocument({
    id: "r3",
    startedAt: "2026-01-03T00:00:00Z",
    version: 2,
  });
  const runs = describeRuns([
    { path: "1", doc: first },
    { path: "2", doc: second },
    { path: "3", doc: v2 },
  ]);
  const [speed] = metricHistories(runs, { id: "report_demo", version: 1 });
  assert.equal(speed!.runs.length, 2);
  const k02 = speed!.series.find((s) => s.label.startsWith("eta=0.2,"))!;
  assert.equal(k02.values[0], null);
  assert.equal(
    k02.values[1],
    second.benchmarks[0]!.cells.find((c) => c.key === k02.label)!.metrics.speed!
      .value,
  );
  // Only one run at version 2: no history.
  assert.deepEqual(
    metricHistories(runs, { id: "report_demo", version: 2 }),
    [],
  );
});

Deno.test("historyCharts() uses a log y axis when a metric spans two decades or more", async () => {
  const runs = describeRuns(await demoRuns());
  let n = 0;
  const charts = historyCharts(runs, {
    id: "report_demo",
    version: 1,
    canvasId: () => `c${n++}`,
  });
  assert.deepEqual(charts.map((c) => c.canvasId), ["c0", "c1", "c2"]);
  // speed ≈ η² for η ∈ {0.1, 0.2}: a span of ~4 < LOG_AXIS_SPAN, so linear.
  assert.ok(LOG_AXIS_SPAN > 4);
  assert.equal(charts[0]!.config.options.scales.y.type, "linear");
  assert.equal(charts[0]!.config.type, "line");
  const wide = describeRuns([
    {
      path: "1",
      doc: await demoDocument({
        id: "w1",
        startedAt: "2026-01-01T00:00:00Z",
        cost: 1,
      }),
    },
    {
      path: "2",
      doc: await demoDocument({
        id: "w2",
        startedAt: "2026-01-02T00:00:00Z",
        cost: LOG_AXIS_SPAN,
        commit: commitOf("c"),
      }),
    },
  ]);
  const time = historyCharts(wide, {
    id: "report_demo",
    version: 1,
    canvasId: () => "x",
  })[1]!;
  assert.equal(time.config.options.scales.y.type, "logarithmic");
});
