import assert from "node:assert/strict";
import {
  momentumBuildUpSteps,
  relaxationSteps,
  slowestRelaxationSteps,
} from "../../src/theory/relaxation_time.ts";
import { discreteOscillation } from "../../src/theory/oscillations.ts";
import { langevinConstants } from "../../src/theory/langevin_constants.ts";
import { assertClose } from "../_util/assert_close.ts";

const GRID: [number, number][] = [];
for (const beta of [0, 0.5, 0.9, 0.99]) {
  for (const etaH of [1e-3, 0.012, 0.3, 1.2, 3]) {
    if (etaH < 2 * (1 + beta)) GRID.push([etaH, beta]);
  }
}

Deno.test("relaxationSteps() is −1/ln of discreteOscillation()'s spectral radius", () => {
  for (const [etaH, beta] of GRID) {
    const hp = { eta: etaH / 2, beta, batchSize: 1 };
    const rho = discreteOscillation(2, hp).modulus;
    // Same root modulus by two implementations: round-off only, amplified by 1/|ln ρ| near ρ = 1.
    assertClose(relaxationSteps(2, hp), -1 / Math.log(rho), { rtol: 1e-9 });
  }
});

Deno.test("relaxationSteps() matches the decay rate of the iterated AR(2) recursion (real dominant root)", () => {
  // Deterministic x_{k+1} = (1+β−ηh)x_k − βx_{k−1}: with a strictly dominant real root ρ, |x_{k+1}/x_k| → ρ.
  const cases = [[0.01, 0.5], [0.3, 0], [0.05, 0.5], [2.2, 0.2]] as const;
  for (const [etaH, beta] of cases) {
    const hp = { eta: etaH, beta, batchSize: 1 };
    const tr = 1 + beta - etaH;
    assert.ok(tr * tr > 4 * beta, "test case must have real roots");
    let prev = 1;
    let x = 1;
    let ratio = 0;
    for (let k = 0; k < 20000; k++) {
      const next = tr * x - beta * prev;
      ratio = Math.abs(next / x);
      // Renormalise to avoid underflow; the ratio is scale-free.
      prev = x / Math.abs(next);
      x = next / Math.abs(next);
    }
    // Asymptotic limit: the subdominant root's share decays like (ρ₂/ρ₁)^k, negligible after 20000 steps here.
    assertClose(relaxationSteps(1, hp), -1 / Math.log(ratio), { rtol: 1e-8 });
  }
});

Deno.test("relaxationSteps() is 0 at ρ = 0 and Infinity for marginal or unstable modes", () => {
  assert.equal(relaxationSteps(1, { eta: 1, beta: 0, batchSize: 1 }), 0);
  assert.equal(
    relaxationSteps(0, { eta: 0.1, beta: 0.5, batchSize: 1 }),
    Infinity,
  );
  assert.equal(
    relaxationSteps(50, { eta: 0.1, beta: 0.9, batchSize: 1 }),
    Infinity,
  );
  assert.throws(
    () => relaxationSteps(-1, { eta: 0.1, beta: 0, batchSize: 1 }),
    RangeError,
  );
  assert.throws(
    () => relaxationSteps(1, { eta: 0.1, beta: 1, batchSize: 1 }),
    RangeError,
  );
});

Deno.test("slowestRelaxationSteps() is the maximum over modes and rejects an empty list", () => {
  const hp = { eta: 0.05, beta: 0.9, batchSize: 8 };
  const h = [0.1, 1, 10, 60];
  assert.equal(
    slowestRelaxationSteps(h, hp),
    Math.max(...h.map((hi) => relaxationSteps(hi, hp))),
  );
  assert.throws(() => slowestRelaxationSteps([], hp), RangeError);
});

Deno.test("momentumBuildUpSteps() is 1/(ηΓ), the continuous velocity relaxation time in steps", () => {
  for (const beta of [0, 0.5, 0.9, 0.99]) {
    const eta = 0.03;
    const { friction } = langevinConstants({ eta, beta, batchSize: 1 });
    // Round-off only.
    assertClose(momentumBuildUpSteps(beta), 1 / (eta * friction), {
      rtol: 1e-13,
    });
  }
  assert.throws(() => momentumBuildUpSteps(1), RangeError);
});
