import assert from "node:assert/strict";
import { judgeMetric, judgeReference } from "../../src/bench/verdict.ts";

Deno.test("judgeReference() applies the z-score rule at its bound", () => {
  const m = (v: number) => ({
    value: v,
    stderr: 0.5,
    references: { exact: { value: 10 } },
  });
  assert.equal(
    judgeReference(m(12), "exact", { rule: "zscore", maxAbsZ: 4 }).verdict,
    "pass",
  );
  assert.equal(
    judgeReference(m(8), "exact", { rule: "zscore", maxAbsZ: 4 }).verdict,
    "pass",
  ); // |z| = 4
  assert.equal(
    judgeReference(m(12.01), "exact", { rule: "zscore", maxAbsZ: 4 }).verdict,
    "fail",
  );
  const j = judgeReference(m(11), "exact", { rule: "zscore", maxAbsZ: 4 });
  assert.equal(j.z, 2);
  assert.equal(j.relError, 0.1);
});

Deno.test("judgeReference() budget rule adds the relative budget to the Monte-Carlo slack", () => {
  const m = {
    value: 11.5,
    stderr: 0.1,
    references: { continuous: { value: 10, budget: 0.1 } },
  };
  // allowed = 0.1·10 + 4·0.1 = 1.4 < 1.5
  assert.equal(
    judgeReference(m, "continuous", { rule: "budget", maxAbsZ: 4 }).verdict,
    "fail",
  );
  const m2 = { ...m, value: 11.3 };
  assert.equal(
    judgeReference(m2, "continuous", { rule: "budget", maxAbsZ: 4 }).verdict,
    "pass",
  );
});

Deno.test("judgeReference() reports a declared expected break instead of a failure", () => {
  const m = {
    value: 20,
    stderr: 0.1,
    references: {
      continuous: {
        value: 10,
        budget: 0.1,
        expectedBreak: "near the stability edge",
      },
    },
  };
  const j = judgeReference(m, "continuous", { rule: "budget", maxAbsZ: 4 });
  assert.equal(j.verdict, "expected-break");
  assert.equal(j.expectedBreak, "near the stability edge");
});

Deno.test("judgeReference() never passes non-finite values and needs what its rule needs", () => {
  const nan = { value: NaN, references: { r: { value: 1 } } };
  assert.equal(
    judgeReference(nan, "r", { rule: "relative", maxRelError: 1 }).verdict,
    "fail",
  );
  assert.throws(
    () =>
      judgeReference({ value: 1, references: { r: { value: 1 } } }, "r", {
        rule: "zscore",
        maxAbsZ: 4,
      }),
    TypeError,
  );
  assert.throws(
    () =>
      judgeReference({ value: 1, references: { r: { value: 1 } } }, "r", {
        rule: "budget",
        maxAbsZ: 4,
      }),
    TypeError,
  );
});

Deno.test("judgeMetric() rejects undeclared and missing references", () => {
  const spec = {
    unit: "1",
    better: "none" as const,
    kind: "accuracy" as const,
    description: "",
    references: { exact: { rule: "relative" as const, maxRelError: 0.1 } },
  };
  assert.throws(
    () => judgeMetric(spec, { value: 1, references: { other: { value: 1 } } }),
    TypeError,
  );
  assert.throws(() => judgeMetric(spec, { value: 1 }), TypeError);
});
