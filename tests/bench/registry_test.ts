import assert from "node:assert/strict";
import { BENCHMARKS } from "../../benchmarks/mod.ts";
import { checkRegistry } from "../../src/bench/check_registry.ts";
import { defineBenchmark } from "../../src/bench/types.ts";

Deno.test("the benchmark registry is valid", () => {
  assert.deepEqual(checkRegistry(BENCHMARKS), []);
});

Deno.test("every benchmark id equals its file name under benchmarks/", async () => {
  for (const b of BENCHMARKS) {
    const stat = await Deno.stat(
      new URL(`../../benchmarks/${b.id}.ts`, import.meta.url),
    );
    assert.ok(stat.isFile, b.id);
  }
});

Deno.test("checkRegistry() reports each kind of problem", () => {
  const ok = defineBenchmark({
    id: "ok_one",
    version: 1,
    title: "T",
    paperRef: "P",
    grid: { a: [1] },
    metrics: {
      m: { unit: "1", better: "none", kind: "accuracy", description: "-" },
    },
    run: () => ({ metrics: {} }),
  });
  assert.deepEqual(checkRegistry([ok]), []);
  const cases: [string, object, RegExp][] = [
    ["bad id", { id: "Bad-Id" }, /snake_case/],
    ["version", { version: 0 }, /version/],
    ["empty grid values", { grid: { a: [] } }, /no values/],
    ["repeated grid value", { grid: { a: [1, 1] } }, /repeats a value/],
    ["quick grid", { quickGrid: { b: [1] } }, /undeclared parameter/],
    ["no metrics", { metrics: {} }, /no metrics/],
    ["no unit", {
      metrics: {
        m: { unit: "", better: "none", kind: "accuracy", description: "" },
      },
    }, /no unit/],
    [
      "cost with references",
      {
        metrics: {
          m: {
            unit: "ms",
            better: "lower",
            kind: "cost",
            description: "",
            references: { x: { rule: "relative", maxRelError: 1 } },
          },
        },
      },
      /cost metric/,
    ],
    ["timing", { timing: { warmup: -1, repeats: 1 } }, /timing/],
  ];
  for (const [name, patch, re] of cases) {
    const problems = checkRegistry([{ ...ok, ...patch }]);
    assert.ok(
      problems.some((p) => re.test(p)),
      `${name}: ${problems.join("; ")}`,
    );
  }
  assert.ok(checkRegistry([ok, ok]).some((p) => /not unique/.test(p)));
});
