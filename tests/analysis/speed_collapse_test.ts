import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import {
  speedCollapse,
  type SpeedRun,
} from "../../src/analysis/speed_collapse.ts";
import { assertAllClose, assertClose } from "../_util/assert_close.ts";

const GRID: [number, number, number][] = [
  [1e-4, 0.9, 256],
  [1e-4, 0.99, 256],
  [3e-4, 0.9, 512],
  [1e-3, 0.5, 64],
  [1e-5, 0.999, 1024],
  [2e-4, 0, 32],
];

Deno.test("speedCollapse() recovers the constant from exact speeds η²C/(S(1−β²)) with χ² ≈ 0", () => {
  const C = 6.1e3;
  const runs: SpeedRun[] = GRID.map(([eta, beta, batchSize], i) => {
    const speed = (eta * eta * C) / (batchSize * (1 - beta * beta));
    return { eta, beta, batchSize, speed, stderr: speed * (0.01 + 0.01 * i) };
  });
  const r = speedCollapse(runs);
  // A handful of float64 products: ~1e-15 relative each.
  assertClose(r.constant, C, { rtol: 1e-13 });
  assertAllClose(r.normalised, GRID.map(() => C), { rtol: 1e-13 });
  assertAllClose(r.predictions, runs.map((x) => x.speed), { rtol: 1e-13 });
  assert.ok(r.chi2 < 1e-20);
  assert.equal(r.dof, 5);
});

Deno.test("speedCollapse() weighted mean and χ² match hand formulas for two runs", () => {
  // Normalised 1 ± 0.1 and 2 ± 0.2 (η = 1, β = 0, S = 1): weights 100, 25.
  const r = speedCollapse([
    { eta: 1, beta: 0, batchSize: 1, speed: 1, stderr: 0.1 },
    { eta: 1, beta: 0, batchSize: 1, speed: 2, stderr: 0.2 },
  ]);
  const c = (100 * 1 + 25 * 2) / 125; // 1.2
  assertClose(r.constant, c, { rtol: 1e-15 });
  assertClose(r.constantStderr, 1 / Math.sqrt(125), { rtol: 1e-15 });
  assertClose(r.chi2, ((1 - c) / 0.1) ** 2 + ((2 - c) / 0.2) ** 2, {
    rtol: 1e-14,
  });
  assertClose(r.chi2PerDof, r.chi2, { rtol: 0 });
  assertAllClose(r.pulls, [(1 - c) / 0.1, (2 - c) / 0.2], { rtol: 1e-14 });
  assert.ok(
    Number.isNaN(
      speedCollapse([{ eta: 1, beta: 0, batchSize: 1, speed: 1, stderr: 1 }])
        .chi2PerDof,
    ),
  );
});

Deno.test("speedCollapse() χ²/dof averages 1 when speeds scatter by their stated errors", () => {
  const rng = Rng.fromSeed(23n);
  const C = 2.5;
  const reps = 500;
  let mean = 0;
  for (let k = 0; k < reps; k++) {
    const runs = GRID.map(([eta, beta, batchSize]) => {
      const truth = (eta * eta * C) / (batchSize * (1 - beta * beta));
      const stderr = 0.05 * truth;
      return {
        eta,
        beta,
        batchSize,
        speed: truth + stderr * rng.normal(),
        stderr,
      };
    });
    mean += speedCollapse(runs).chi2PerDof / reps;
  }
  // χ²₅/5 has sd √(2/5); mean of 500: sd 0.028, allow 4σ.
  assertClose(mean, 1, { rtol: 0, atol: 0.113 });
});

Deno.test("speedCollapse() validates its runs", () => {
  const ok = { eta: 1, beta: 0.5, batchSize: 8, speed: 1, stderr: 0.1 };
  assert.throws(() => speedCollapse([]), RangeError);
  assert.throws(() => speedCollapse([{ ...ok, stderr: 0 }]), RangeError);
  assert.throws(() => speedCollapse([{ ...ok, beta: 1 }]), RangeError);
  assert.throws(() => speedCollapse([{ ...ok, eta: -1 }]), RangeError);
  assert.throws(() => speedCollapse([{ ...ok, speed: NaN }]), RangeError);
  assert.throws(
    () => speedCollapse([ok, { ...ok, batchSize: 0 }]),
    (e: unknown) => e instanceof RangeError && /run 1/.test(e.message),
  );
});
