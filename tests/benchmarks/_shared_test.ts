import assert from "node:assert/strict";
import {
  averageRecords,
  buildUpSchedule,
  checkpointSchedule,
  continuousBreak,
  simulationDiverged,
  unitModeCell,
} from "../../benchmarks/_shared.ts";

Deno.test("averageRecords() averages a records × width series column by column", () => {
  // Rows (1, 10), (2, 20), (6, 60): column means 3 and 30.
  const out = averageRecords([1, 10, 2, 20, 6, 60], 3, 2);
  assert.deepEqual(Array.from(out), [3, 30]);
});

Deno.test("checkpointSchedule() burns in ⌈15τ⌉ + 10 steps, then records every max(1, ⌈τ⌉) steps", () => {
  assert.deepEqual(checkpointSchedule(2.3, 3), {
    burn: 45,
    gap: 3,
    recordSteps: [45, 48, 51],
    steps: 52,
  });
  assert.equal(checkpointSchedule(0, 2).gap, 1);
});

Deno.test("buildUpSchedule() judges k = 1, k_b, 10k_b, 100k_b with k_b = max(2, round((1+β)/(2(1−β))))", () => {
  for (const [beta, kb] of [[0, 2], [0.9, 10]] as const) {
    const s = buildUpSchedule(beta);
    assert.equal(s.buildUp, kb);
    assert.deepEqual(s.ks, [1, kb, 10 * kb, 100 * kb]);
    assert.equal(s.last, 100 * kb);
    for (const k of s.ks) assert.ok(s.steps.includes(k));
  }
});

Deno.test("continuousBreak() declares a break past ηh/(2(1+β)) = 0.1 or when the excess is resolved", () => {
  assert.match(continuousBreak(0.2, 0, 1, 1).expectedBreak!, /not ≪ 1/);
  assert.match(
    continuousBreak(0.05, 0.01, 1, 0.001).expectedBreak!,
    /beyond first order/,
  );
  assert.deepEqual(continuousBreak(0.05, 0.01, 1, 0.1), {});
});

Deno.test("unitModeCell() and simulationDiverged() give the diverged reasons", () => {
  assert.match(
    unitModeCell({ etaH: 3, beta: 0 }).unstable!,
    /unstable: ηh = 3 ≥ 2\(1\+β\) = 2/,
  );
  assert.equal(unitModeCell({ etaH: 1, beta: 0.9 }).unstable, undefined);
  const res = { divergedAtStep: 7, reason: "non-finite-or-bound" };
  assert.equal(
    simulationDiverged(res).diverged,
    "simulation diverged at step 7 (non-finite-or-bound)",
  );
  assert.equal(
    simulationDiverged(res, false).diverged,
    "simulation diverged at step 7",
  );
});
