import assert from "node:assert/strict";
import { sampleStationaryStart } from "../../src/sim/stationary_start.ts";
import { Rng } from "../../src/random/rng.ts";
import { assertClose } from "../_util/assert_close.ts";

Deno.test("sampleStationaryStart() draws (x, b) with the requested per-mode covariance", () => {
  const moments = { varX: [2, 0.5], covXB: [-0.6, 0.3], varB: [1, 0.4] };
  const chains = 40000;
  const { x, b } = sampleStationaryStart(moments, chains, Rng.fromSeed(9n));
  for (let i = 0; i < 2; i++) {
    let sxx = 0;
    let sxb = 0;
    let sbb = 0;
    for (let c = 0; c < chains; c++) {
      const xi = x[c * 2 + i]!;
      const bi = b[c * 2 + i]!;
      sxx += xi * xi;
      sxb += xi * bi;
      sbb += bi * bi;
    }
    const vx = moments.varX[i]!;
    const vb = moments.varB[i]!;
    const c = moments.covXB[i]!;
    // Monte Carlo, 4σ: Var(x²) = 2σ_x⁴, Var(xb) = σ_x²σ_b² + c² for zero-mean Gaussians.
    assertClose(sxx / chains, vx, { atol: 4 * vx * Math.sqrt(2 / chains) });
    assertClose(sbb / chains, vb, { atol: 4 * vb * Math.sqrt(2 / chains) });
    assertClose(sxb / chains, c, {
      atol: 4 * Math.sqrt((vx * vb + c * c) / chains),
    });
  }
});

Deno.test("sampleStationaryStart() uses two normals per (chain, mode), z₁ then z₂, chain by chain", () => {
  const moments = { varX: [4, 1], covXB: [1, 0], varB: [2, 9] };
  const { x, b } = sampleStationaryStart(moments, 2, Rng.fromSeed(4n));
  const rng = Rng.fromSeed(4n);
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < 2; i++) {
      const z1 = rng.normal();
      const z2 = rng.normal();
      const sx = Math.sqrt(moments.varX[i]!);
      const l21 = moments.covXB[i]! / sx;
      const l22 = Math.sqrt(moments.varB[i]! - l21 * l21);
      assert.equal(x[c * 2 + i], sx * z1);
      assertClose(b[c * 2 + i]!, l21 * z1 + l22 * z2, {
        rtol: 1e-15,
        atol: 1e-15,
      });
    }
  }
});

Deno.test("sampleStationaryStart() rejects mismatched moment arrays and a bad chain count", () => {
  const rng = Rng.fromSeed(1n);
  assert.throws(
    () =>
      sampleStationaryStart({ varX: [1], covXB: [0, 0], varB: [1] }, 2, rng),
    TypeError,
  );
  assert.throws(
    () => sampleStationaryStart({ varX: [1], covXB: [0], varB: [1] }, 0, rng),
    RangeError,
  );
});
