import assert from "node:assert/strict";
import type { Plot } from "../../src/bench/types.ts";
import {
  barChart,
  plotChart,
  ROLE_STYLE,
  seriesChart,
} from "../../src/report/charts.ts";

const PLOT: Plot = {
  id: "p",
  title: "T",
  xLabel: "k",
  yLabel: "y",
  lines: [
    {
      label: "m",
      role: "measured",
      x: [1, 2, 3],
      y: [4, 5, 6],
      stderr: [0.1, 0.2, 0.3],
    },
    { label: "e", role: "exact", x: [1, 3], y: [4, 6] },
    { label: "c", role: "continuous", x: [1, 3], y: [4.1, 6.1] },
    { label: "f", role: "fit", x: [1, 3], y: [3.9, 5.9] },
    { label: "o", role: "other", x: [2], y: [5] },
  ],
};

Deno.test("plotChart() maps line roles to points, solid, dashed and dotted lines", () => {
  const v = plotChart(PLOT, "chart-7");
  assert.equal(v.canvasId, "chart-7");
  assert.equal(v.config.type, "scatter");
  assert.equal(v.config.options.scales.x.type, "linear");
  assert.equal(v.config.options.scales.x.title.text, "k");
  const [m, e, c, f, o] = v.config.data.datasets;
  assert.equal(m!.showLine, false);
  assert.ok(m!.pointRadius > 0);
  assert.deepEqual(m!.errorBars, [0.1, 0.2, 0.3]);
  assert.deepEqual(m!.data, [{ x: 1, y: 4 }, { x: 2, y: 5 }, { x: 3, y: 6 }]);
  assert.equal(e!.showLine, true);
  assert.deepEqual(e!.borderDash, []);
  assert.equal(e!.pointRadius, 0);
  assert.equal(c!.showLine, true);
  assert.ok(c!.borderDash.length === 2 && c!.borderDash[0]! >= 4, "dashed");
  assert.equal(f!.showLine, true);
  assert.ok(
    f!.borderDash.length === 2 && f!.borderDash[0]! < c!.borderDash[0]!,
    "dotted: shorter dashes",
  );
  assert.equal(o!.showLine, ROLE_STYLE.other.showLine);
  assert.equal(e!.errorBars, undefined);
  assert.equal(
    new Set(v.config.data.datasets.map((d) => d.borderColor)).size,
    5,
  );
  assert.equal(v.caption, "");
});

Deno.test("plotChart() drops non-positive points on log axes and keeps error bars aligned", () => {
  const v = plotChart({
    ...PLOT,
    xLog: true,
    yLog: true,
    lines: [{
      label: "m",
      role: "measured",
      x: [0, 1, 2, 3],
      y: [1, 2, -1, 3],
      stderr: [9, 8, 7, 6],
    }],
  }, "c");
  assert.equal(v.config.options.scales.x.type, "logarithmic");
  assert.equal(v.config.options.scales.y.type, "logarithmic");
  const d = v.config.data.datasets[0]!;
  assert.deepEqual(d.data, [{ x: 1, y: 2 }, { x: 3, y: 3 }]);
  assert.deepEqual(d.errorBars, [8, 6]);
  assert.equal(
    v.caption,
    "2 points with a non-positive value left out of the logarithmic axis.",
  );
});

Deno.test("plotChart() draws measured and other lines as points in scatter plots, theory as lines", () => {
  const v = plotChart({ ...PLOT, type: "scatter" }, "c");
  const byLabel = Object.fromEntries(
    v.config.data.datasets.map((d) => [d.label, d]),
  );
  assert.equal(byLabel.m!.showLine, false);
  assert.equal(byLabel.o!.showLine, false);
  assert.equal(byLabel.e!.showLine, true);
  assert.equal(byLabel.c!.showLine, true);
});

Deno.test("seriesChart() and barChart() keep one value per category and reject length mismatches", () => {
  const opts = {
    canvasId: "c",
    title: "t",
    xLabel: "x",
    yLabel: "y",
    categories: ["a", "b"],
  };
  const s = seriesChart([{
    label: "s",
    values: [1, null],
    stderr: [0.1, null],
  }], opts);
  assert.deepEqual(s.config.data.labels, ["a", "b"]);
  assert.deepEqual(s.config.data.datasets[0]!.data, [1, null]);
  assert.deepEqual(s.config.data.datasets[0]!.errorBars, [0.1, null]);
  assert.equal(s.config.options.scales.y.type, "linear");
  assert.equal(
    seriesChart([], { ...opts, yLog: true }).config.options.scales.y.type,
    "logarithmic",
  );
  assert.throws(
    () => seriesChart([{ label: "s", values: [1] }], opts),
    TypeError,
  );
  assert.throws(
    () => seriesChart([{ label: "s", values: [1, 2], stderr: [1] }], opts),
    TypeError,
  );
  const b = barChart([{ label: "m1", values: [1, 2] }, {
    label: "m2",
    values: [3, null],
  }], opts);
  assert.equal(b.config.type, "bar");
  assert.deepEqual(b.config.data.datasets.map((d) => d.data), [[1, 2], [
    3,
    null,
  ]]);
  assert.throws(() => barChart([{ label: "s", values: [] }], opts), TypeError);
});
