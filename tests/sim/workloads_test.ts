import assert from "node:assert/strict";
import {
  runQuadraticWorkload,
  runRegressionWorkload,
} from "../../src/sim/workloads.ts";

function fakeClock() {
  let calls = 0;
  return { now: () => 10 * ++calls, calls: () => calls };
}

Deno.test("runQuadraticWorkload() counts mode-updates and reads the clock twice (fast and peer)", () => {
  for (const variant of ["fast", "peer"] as const) {
    const clock = fakeClock();
    const r = runQuadraticWorkload(3, clock.now, {
      variant,
      modes: 20,
      chains: 5,
    });
    assert.equal(r.updates, 3 * 20 * 5);
    assert.equal(r.elapsedMs, 10);
    assert.equal(clock.calls(), 2);
  }
});

Deno.test("runRegressionWorkload() counts chain-steps and reads the clock twice", () => {
  const clock = fakeClock();
  const r = runRegressionWorkload(4, clock.now, {
    dim: 8,
    samples: 128,
    batchSize: 8,
    chains: 3,
    dtype: "float32",
  });
  assert.equal(r.updates, 12);
  assert.equal(r.elapsedMs, 10);
  assert.equal(clock.calls(), 2);
});
