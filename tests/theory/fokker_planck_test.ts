import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import { diag, matrix } from "../../src/linalg/matrix.ts";
import {
  add,
  congruence,
  matMul,
  maxAbs,
  scale,
  sub,
  transpose,
} from "../../src/linalg/matrix_ops.ts";
import { symmetricEigen } from "../../src/linalg/symmetric_eigen.ts";
import { solveLinear } from "../../src/linalg/solve_linear.ts";
import { quadraticModel } from "../../src/theory/quadratic_model.ts";
import {
  currentVelocity,
  detailedBalance,
  fokkerPlanckDecomposition,
  modeAngularMomentum,
  ouDecomposition,
  phaseSpaceAngularMomentum,
} from "../../src/theory/fokker_planck.ts";
import { stationaryCovarianceClosedForm } from "../../src/theory/continuous_covariance.ts";
import { assertAllClose, assertClose } from "../_util/assert_close.ts";
import { randomPsd } from "../linalg/_random_matrices.ts";

const HP = { eta: 0.05, beta: 0.6, batchSize: 3, weightDecay: 0.1 };

Deno.test("ouDecomposition() reproduces the 2-D example of theory.md §3.5 (notebook Figure 3): Q₁₂ = 0.9", () => {
  // Literal from the official notebook: A = V⁻¹ diag(4, 1) V, V = [[-1, 1], [1, 1]], D = diag(4, 1).
  const v = matrix([[-1, 1], [1, 1]]);
  const vInv = solveLinear(v, diag([1, 1]));
  const a = matMul(matMul(vInv, diag([4, 1])), v);
  const d = diag([4, 1]);
  const r = ouDecomposition(a, d);
  // Reference (scipy 1.17.1): python3 -c "import numpy as np, scipy.linalg as sl; V=np.array([[-1.,1],[1,1]]);
  //   A=np.linalg.inv(V)@np.diag([4.,1])@V; C=sl.solve_continuous_lyapunov(A,2*np.diag([4.,1])); print(C, 0.5*(A@C-C@A.T))"
  // → C = [[2.1625, 0.9375], [0.9375, 0.9625]], Q = [[0, 0.9], [-0.9, 0]].
  const tol = { rtol: 0, atol: 1e-14 }; // O(ε·‖A‖‖C‖) round-off of the 4×4 Kronecker solve
  assertAllClose(r.covariance.data, [2.1625, 0.9375, 0.9375, 0.9625], tol);
  assertAllClose(r.rotation.data, [0, 0.9, -0.9, 0], tol);
  assert.ok(r.residual < 1e-15 * 10);
  // The notebook's get_Q in the Hessian eigenbasis: Q̃_ij = D̃_ij (λ_i − λ_j)/(λ_i + λ_j), |Q̃₁₂| = 0.9.
  const { values, vectors } = symmetricEigen(a);
  const dt = congruence(transpose(vectors), d);
  const qt12 = dt.data[1]! * (values[0]! - values[1]!) /
    (values[0]! + values[1]!);
  const qEig = congruence(transpose(vectors), r.rotation);
  assertClose(qEig.data[1]!, qt12, { rtol: 1e-14, atol: 0 });
  assertClose(Math.abs(qt12), 0.9, { rtol: 1e-14, atol: 0 });
  // Current velocity −QUz is tangent to the level sets of Φ = ½zᵀUz: (Uz)·(−QUz) = 0.
  const z = [0.09, 0];
  const w = currentVelocity(r, z);
  const uz = [
    r.potential.data[0]! * z[0]! + r.potential.data[1]! * z[1]!,
    r.potential.data[2]! * z[0]! + r.potential.data[3]! * z[1]!,
  ];
  assertClose(uz[0]! * w[0]! + uz[1]! * w[1]!, 0, { rtol: 0, atol: 1e-15 });
});

Deno.test("fokkerPlanckDecomposition(): Q antisymmetric, U = C⁻¹, A = (D + Q)U for random non-commuting models (d = 1..5)", () => {
  const rng = Rng.fromSeed(41n);
  for (let d = 1; d <= 5; d++) {
    const model = quadraticModel({
      hessian: randomPsd(rng, d, d, 4),
      noiseCov: randomPsd(rng, d, d, 2),
      ...HP,
    });
    const fp = fokkerPlanckDecomposition(model);
    const q = fp.rotation;
    assert.ok(maxAbs(add(q, transpose(q))) <= 1e-14 * maxAbs(q) + 1e-300);
    const n = 2 * d;
    const ucI = matMul(fp.potential, fp.covariance);
    // U·C = I up to κ(C)·ε; C here has κ ≲ 1e4.
    assertAllClose(ucI.data, diag(new Array(n).fill(1)).data, {
      rtol: 0,
      atol: 1e-10,
    });
    const recon = matMul(add(fp.diffusion, q), fp.potential);
    assert.ok(maxAbs(sub(recon, fp.drift)) <= 1e-10 * maxAbs(fp.drift));
    assert.ok(fp.residual < 1e-12);
    // Angular momentum per eigen-plane = −2 Z_ii = −2 s_i/(S(1−β²)) (derivation in fokker_planck.ts JSDoc).
    const l = phaseSpaceAngularMomentum(model);
    const expected = model.noiseDiag.map((s) =>
      -2 * s / (HP.batchSize * (1 - HP.beta ** 2))
    );
    assertAllClose(l, expected, { rtol: 1e-10, atol: 0 });
    assertAllClose(modeAngularMomentum(model.noiseDiag, HP), expected, {
      rtol: 1e-15,
      atol: 0,
    });
  }
});

Deno.test("fokkerPlanckDecomposition() commuting case: Q = [[0, −Z], [Z, 0]] and the current is the Hamiltonian flow (v, −H_λθ/m)", () => {
  const h = diag([0.5, 2, 7]);
  const sigma = diag([1, 3, 2]);
  const model = quadraticModel({ hessian: h, noiseCov: sigma, ...HP });
  const fp = fokkerPlanckDecomposition(model);
  const c = stationaryCovarianceClosedForm(model);
  const n = 6;
  for (let i = 0; i < 3; i++) {
    assertClose(
      fp.rotation.data[i * n + 3 + i]!,
      -c.velocity.data[i * 3 + i]!,
      { rtol: 1e-13, atol: 0 },
    );
    assertClose(
      fp.rotation.data[(3 + i) * n + i]!,
      c.velocity.data[i * 3 + i]!,
      { rtol: 1e-13, atol: 0 },
    );
  }
  const m = HP.eta * (1 + HP.beta) / 2;
  const z = [0.3, -0.2, 0.1, 1, 2, -1];
  const w = currentVelocity(fp, z);
  const hl = [0.5 + 0.1, 2 + 0.1, 7 + 0.1];
  const expected = [z[3]!, z[4]!, z[5]!, ...hl.map((hi, i) => -hi * z[i]! / m)];
  assertAllClose(w, expected, { rtol: 1e-12, atol: 1e-14 });
  assert.equal(detailedBalance(model).holds, true);
});

Deno.test("detailedBalance() holds iff [Σ, H] = 0 (Y = 0); weight decay never matters", () => {
  const rng = Rng.fromSeed(42n);
  const h = randomPsd(rng, 4, 4, 2);
  const commuting = add(scale(matMul(h, h), 0.3), scale(h, 2));
  for (const wd of [0, 0.5]) {
    const hp = { ...HP, weightDecay: wd };
    const good = detailedBalance(
      quadraticModel({ hessian: h, noiseCov: commuting, ...hp }),
    );
    assert.equal(good.holds, true);
    assert.ok(good.relativeY < 1e-12);
    const bad = detailedBalance(
      quadraticModel({ hessian: h, noiseCov: randomPsd(rng, 4), ...hp }),
    );
    assert.equal(bad.holds, false);
    assert.ok(bad.normY > 0);
  }
});

Deno.test("ouDecomposition() uses the pseudo-inverse on a singular covariance (rank-deficient Σ)", () => {
  const model = quadraticModel({
    hessian: diag([1, 2]),
    noiseCov: diag([1, 0]),
    ...HP,
  });
  const fp = fokkerPlanckDecomposition(model);
  // Mode 2 (θ₂, v₂) never fluctuates: its rows of U are zero, and A = (D + Q)U holds on the range of C.
  for (const idx of [1, 3]) {
    for (let j = 0; j < 4; j++) assert.equal(fp.potential.data[idx * 4 + j], 0);
  }
  assert.ok(fp.residual < 1e-12);
  assert.throws(() => ouDecomposition(diag([1, 1]), diag([1, -1])), RangeError);
  assert.throws(
    () => ouDecomposition(diag([1, 1]), diag([1, 1, 1])),
    TypeError,
  );
});
