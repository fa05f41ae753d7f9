import assert from "node:assert/strict";
import { logSpacedSteps } from "../../src/sim/log_spaced_steps.ts";

/** Independent route: geometric progression lo·(hi/lo)^(j/(count−1)) by repeated powers, rounded. */
function reference(
  lo: number,
  hi: number,
  count: number,
  extra: number[] = [],
): number[] {
  const out = new Set<number>(extra);
  for (let j = 0; j < count; j++) {
    out.add(Math.round(lo * (hi / lo) ** (j / (count - 1))));
  }
  return [...out].filter((k) => k >= lo && k <= hi).sort((a, b) => a - b);
}

Deno.test("logSpacedSteps() equals the rounded geometric progression lo·(hi/lo)^(j/(count−1))", () => {
  for (
    const [lo, hi, count] of [[1, 1000, 50], [1, 1000, 120], [1, 3000, 60], [
      1,
      500,
      60,
    ], [5, 80000, 40]] as const
  ) {
    assert.deepEqual(logSpacedSteps(lo, hi, count), reference(lo, hi, count));
  }
});

Deno.test("logSpacedSteps() includes the extra steps in range, drops the others, and is sorted and unique", () => {
  const steps = logSpacedSteps(1, 200, 120, [1, 2, 20, 200, 0, 201]);
  assert.deepEqual(steps, reference(1, 200, 120, [1, 2, 20, 200]));
  assert.equal(steps[0], 1);
  assert.equal(steps[steps.length - 1], 200);
  for (let i = 1; i < steps.length; i++) assert.ok(steps[i]! > steps[i - 1]!);
});

Deno.test("logSpacedSteps() rejects an empty range and fewer than 2 points", () => {
  assert.throws(() => logSpacedSteps(0, 10, 5), RangeError);
  assert.throws(() => logSpacedSteps(10, 5, 5), RangeError);
  assert.throws(() => logSpacedSteps(1, 10, 1), RangeError);
  assert.throws(() => logSpacedSteps(1, 10, 2.5), RangeError);
});
