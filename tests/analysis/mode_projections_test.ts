import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import {
  isotropyRatio,
  ModeProjections,
  projectOnModes,
  velocityVarianceSlope,
} from "../../src/analysis/mode_projections.ts";
import { assertAllClose, assertClose } from "../_util/assert_close.ts";
import { randomOrthogonal } from "./_dense.ts";

Deno.test("projectOnModes() coefficients reconstruct the vector in an orthonormal basis", () => {
  const rng = Rng.fromSeed(41n);
  const q = randomOrthogonal(rng, 12);
  const x = rng.fillNormal(new Float64Array(12));
  const c = projectOnModes(x, q);
  // x = Σᵢ cᵢ uᵢ for a complete orthonormal basis.
  const back = new Float64Array(12);
  q.forEach((u, i) => u.forEach((e, j) => (back[j] = back[j]! + c[i]! * e)));
  assertAllClose(back, x, { rtol: 0, atol: 1e-14 });
  assert.throws(() => projectOnModes([1, 2], q), TypeError);
  assert.throws(() => projectOnModes([1, 2], []), RangeError);
});

Deno.test("ModeProjections streams the same values as projectOnModes(), also from Float32Array input", () => {
  const rng = Rng.fromSeed(42n);
  const q = randomOrthogonal(rng, 6).slice(0, 3);
  const rec = new ModeProjections(q);
  const xs: Float32Array[] = [];
  const vs: Float32Array[] = [];
  for (let k = 0; k < 10; k++) {
    const x = Float32Array.from(rng.fillNormal(new Float64Array(6)));
    const v = Float32Array.from(rng.fillNormal(new Float64Array(6)));
    xs.push(x);
    vs.push(v);
    rec.add(x, v);
  }
  assert.equal(rec.count, 10);
  assert.equal(rec.modes, 3);
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(
      rec.positions(i),
      Float64Array.from(xs, (x) => projectOnModes(x, q)[i]!),
    );
    assert.deepEqual(
      rec.velocities(i),
      Float64Array.from(vs, (v) => projectOnModes(v, q)[i]!),
    );
  }
  assert.throws(() => rec.add(xs[0]!), TypeError); // velocities given before
  assert.throws(() => rec.add([1, 2], vs[0]!), TypeError);
  assert.throws(() => rec.positions(3), RangeError);
  const noVel = new ModeProjections(q);
  noVel.add(xs[0]!);
  assert.equal(noVel.velocities(0).length, 0);
  assert.throws(() => noVel.add(xs[1]!, vs[1]!), TypeError);
});

Deno.test("isotropyRatio() and velocityVarianceSlope() on exact inputs", () => {
  // Sample variance of (a, −a, a, −a): mean 0, Σ = 4a², /(n−1) = 4a²/3.
  // Burn-in 2 drops the first two samples of each series.
  const r = isotropyRatio([[5, 5, 1, -1, 1, -1], [0, 0, 3, -3, 3, -3], [
    9,
    2,
    2,
    -2,
    2,
    -2,
  ]], 2);
  assertAllClose(r.variances, [4 / 3, 12, 16 / 3], { rtol: 1e-15 });
  assertClose(r.ratio, 9, { rtol: 1e-15 });
  const mean = (4 / 3 + 12 + 16 / 3) / 3;
  assertAllClose(r.relative, [4 / 3 / mean, 12 / mean, 16 / 3 / mean], {
    rtol: 1e-15,
  });
  // Var ∝ λ^p ⇒ slope p; κ = Σλv/Σλ² for p = 1.
  const lambdas = [0.5, 2, 8.7, 52.8];
  const lin = velocityVarianceSlope(lambdas.map((l) => 0.3 * l), lambdas);
  assertClose(lin.slope, 1, { rtol: 1e-14 });
  assertClose(lin.proportionality, 0.3, { rtol: 1e-15 });
  assert.ok(lin.standardError < 1e-14);
  const sq = velocityVarianceSlope(lambdas.map((l) => 2 * l ** 0.5), lambdas);
  assertClose(sq.slope, 0.5, { rtol: 1e-14 });
  assertClose(sq.intercept, Math.log(2), { rtol: 1e-14 });
  assert.throws(() => velocityVarianceSlope([1, 2], [1, 1]), RangeError);
  assert.throws(() => velocityVarianceSlope([1, 0], [1, 2]), RangeError);
  assert.throws(() => velocityVarianceSlope([1], [1, 2]), TypeError);
  assert.throws(() => isotropyRatio([[1, 2]], 1), RangeError);
  assert.throws(() => isotropyRatio([]), RangeError);
});

Deno.test("C4 on simulated momentum SGD with Σ = σ²H: isotropic positions, velocity variance ∝ λ", () => {
  // PyTorch-form heavy ball on L = ½θᵀHθ, H = Q diag(λ) Qᵀ, gradient noise N(0, σ²H/S):
  // b ← βb + Hθ + ξ, θ ← θ − ηb. Exact discrete stationary moments (theory.md §7.1), with c_h = (1 − ηλ/(2(1+β)))⁻¹:
  // Var(uᵢᵀθ) = ησ²/(2S(1−β))·c_h, Var(uᵢᵀb) = σ²λᵢ/(S(1−β²))·c_h.
  const rng = Rng.fromSeed(43n);
  const d = 4;
  const lambda = [0.5, 1, 2, 4];
  const eta = 0.01;
  const beta = 0.9;
  const sigma = 1;
  const q = randomOrthogonal(rng, d);
  const rec = new ModeProjections(q);
  const theta = new Float64Array(d);
  const buf = new Float64Array(d);
  const grad = new Float64Array(d);
  const steps = 200_000;
  const burnIn = 2_000;
  for (let k = 0; k < steps + burnIn; k++) {
    // In the eigenbasis: g = Q(λ∘(Qᵀθ) + σ√λ∘z).
    grad.fill(0);
    for (let i = 0; i < d; i++) {
      const u = q[i]!;
      let c = 0;
      for (let j = 0; j < d; j++) c += u[j]! * theta[j]!;
      const gi = lambda[i]! * c + sigma * Math.sqrt(lambda[i]!) * rng.normal();
      for (let j = 0; j < d; j++) grad[j] = grad[j]! + gi * u[j]!;
    }
    for (let j = 0; j < d; j++) {
      buf[j] = beta * buf[j]! + grad[j]!;
      theta[j] = theta[j]! - eta * buf[j]!;
    }
    if (k >= burnIn) rec.add(theta, buf);
  }
  const ch = lambda.map((l) => 1 / (1 - (eta * l) / (2 * (1 + beta))));
  const pos = isotropyRatio(lambda.map((_, i) => rec.positions(i)));
  const vel = isotropyRatio(lambda.map((_, i) => rec.velocities(i)));
  // Monte Carlo: the slowest mode relaxes in (1−β)/(ηλ) = 20 steps, so n_eff ≳ 200k/40 and each variance has
  // relative sd ≲ √(2/5000) = 2 %; 4σ = 8 %.
  lambda.forEach((_, i) => {
    assertClose(
      pos.variances[i]!,
      (eta * sigma ** 2 / (2 * (1 - beta))) * ch[i]!,
      { rtol: 0.08 },
    );
    assertClose(
      vel.variances[i]!,
      (sigma ** 2 * lambda[i]! / (1 - beta ** 2)) * ch[i]!,
      { rtol: 0.08 },
    );
  });
  assert.ok(pos.ratio < 1.15, `position variance ratio ${pos.ratio}`);
  const slope = velocityVarianceSlope(vel.variances, lambda);
  // Predicted slope of ln(λ c_h) on ln λ is ≈ 1.005; noise on 4 points over a factor 8 in λ: ±0.04.
  assertClose(slope.slope, 1, { rtol: 0, atol: 0.05 });
  assertClose(slope.proportionality, sigma ** 2 / (1 - beta ** 2), {
    rtol: 0.08,
  });
});
