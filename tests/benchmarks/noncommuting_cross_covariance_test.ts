import assert from "node:assert/strict";
import { noncommutingCrossCovariance } from "../../benchmarks/noncommuting_cross_covariance.ts";
import { Rng } from "../../src/random/rng.ts";
import { assertClose } from "../_util/assert_close.ts";

/**
 * Brute-force stationary covariance of the discrete state (x_1..x_d, b_1..b_d) of heavy-ball SGD with
 * H = diag(h) and noise Σ̃: iterates P ← M P Mᵀ + N from 0 (independent of the theory's Stein solver).
 */
function iteratedCovariance(
  h: readonly number[],
  sigma: readonly (readonly number[])[],
  eta: number,
  beta: number,
  iterations: number,
): number[][] {
  const d = h.length;
  const q = 2 * d;
  const m = Array.from({ length: q }, () => new Array<number>(q).fill(0));
  for (let i = 0; i < d; i++) {
    m[i]![i] = 1 - eta * h[i]!;
    m[i]![d + i] = -eta * beta;
    m[d + i]![i] = h[i]!;
    m[d + i]![d + i] = beta;
  }
  // ξ enters as (−ηξ, ξ): N = [[η²Σ, −ηΣ], [−ηΣ, Σ]] (S = 1).
  const n = Array.from(
    { length: q },
    (_, r) =>
      Array.from({ length: q }, (_, c) => {
        const s = sigma[r % d]![c % d]!;
        const fr = r < d ? -eta : 1;
        const fc = c < d ? -eta : 1;
        return fr * fc * s;
      }),
  );
  let p = Array.from({ length: q }, () => new Array<number>(q).fill(0));
  for (let it = 0; it < iterations; it++) {
    const mp = m.map((row) =>
      Array.from(
        { length: q },
        (_, c) => row.reduce((a, v, k) => a + v * p[k]![c]!, 0),
      )
    );
    p = mp.map((row, r) =>
      Array.from(
        { length: q },
        (_, c) => row.reduce((a, v, k) => a + v * m[c]![k]!, 0) + n[r]![c]!,
      )
    );
  }
  return p;
}

Deno.test("midpoint Cov(x̄_i, v_j) of the discrete law is antisymmetric with a zero diagonal, checkpoint Y is not", () => {
  const h = [0.5, 2, 8];
  const rho = [[1, 0.6, 0.3], [0.6, 1, 0.5], [0.3, 0.5, 1]];
  const sigma = rho.map((r, i) =>
    r.map((v, j) => v * Math.sqrt(h[i]! * h[j]!))
  );
  for (const [eta, beta] of [[0.1, 0], [0.1, 0.9]] as const) {
    // Slowest mode decays by ≤ 0.95 per step (β = 0: 1 − ηh = 0.95; β = 0.9: |z| = √0.9): 3000 steps ⇒ 1e-60.
    const p = iteratedCovariance(h, sigma, eta, beta, 3000);
    const d = h.length;
    // v = −b: Cov(x_i, v_j) = −P[i][d+j], Cov(v_i, v_j) = P[d+i][d+j].
    const mid = (i: number, j: number) =>
      -p[i]![d + j]! - (eta / 2) * p[d + i]![d + j]!;
    const raw = (i: number, j: number) => -p[i]![d + j]!;
    for (let i = 0; i < d; i++) {
      assertClose(mid(i, i), 0, { atol: 1e-13 }, `diagonal ${i}`); // float64 round-off of O(1) sums
      for (let j = i + 1; j < d; j++) {
        assertClose(mid(i, j), -mid(j, i), { rtol: 1e-10 }, `pair ${i}${j}`); // round-off
        assert.ok(
          Math.abs(raw(i, j) + raw(j, i)) > 1e-3,
          `checkpoint Y_${i}${j} is not antisymmetric`,
        );
      }
    }
  }
});

Deno.test("noncommutingCrossCovariance references: exact midpoint from the iterated law, zero for the commuting control", async () => {
  const ctx = { rng: Rng.fromSeed(7n), seed: 7n, quick: true, now: () => 0 };
  const h = [0.5, 2, 8];
  const rho = [[1, 0.6, 0.3], [0.6, 1, 0.5], [0.3, 0.5, 1]];
  const sigma = rho.map((r, i) =>
    r.map((v, j) => v * Math.sqrt(h[i]! * h[j]!))
  );
  const p = iteratedCovariance(h, sigma, 0.1, 0, 3000);
  const out = await noncommutingCrossCovariance.run(
    { noise: "noncommuting", eta: 0.1, beta: 0 },
    ctx,
  );
  assert.equal(out.diverged, undefined);
  const d = 3;
  for (const [i, j] of [[0, 1], [0, 2], [1, 2]]) {
    const m = out.metrics[`midpointCrossCovariance${i}${j}`]!;
    const expected = -p[i!]![d + j!]! - 0.05 * p[d + i!]![d + j!]!;
    assertClose(m.references!.exact!.value, expected, { rtol: 1e-9 }); // Stein solve vs iteration round-off
    const r = out.metrics[`crossCovariance${i}${j}`]!;
    assertClose(r.references!.exact!.value, -p[i!]![d + j!]!, { rtol: 1e-9 }); // idem
    assert.ok(r.references!.continuous!.expectedBreak !== undefined);
  }
  const control = await noncommutingCrossCovariance.run(
    { noise: "commuting", eta: 0.1, beta: 0.9 },
    ctx,
  );
  for (const m of Object.values(control.metrics)) {
    assert.ok(m.references!.exact!.value === 0); // ±0
    assert.ok(m.references!.continuous!.value === 0);
  }
  for (const [i, j] of [[0, 1], [0, 2], [1, 2]]) {
    // No backward-difference artefact off the diagonal when Y = 0 (the midpoint ones keep the ηh break).
    const r = control.metrics[`crossCovariance${i}${j}`]!;
    assert.equal(r.references!.continuous!.expectedBreak, undefined);
  }
  assert.ok(control.notes!.some((n) => n.includes("holds = true")));
});
