import assert from "node:assert/strict";
import { EigenvalueDecomposition, Matrix as MlMatrix } from "ml-matrix";
import { diag, matrix, zeros } from "../../src/linalg/matrix.ts";
import {
  congruence,
  matMul,
  maxAbs,
  sub,
  transpose,
} from "../../src/linalg/matrix_ops.ts";
import { validateHyperparameters } from "../../src/theory/hyperparameters.ts";
import { langevinConstants } from "../../src/theory/langevin_constants.ts";
import { quadraticModel } from "../../src/theory/quadratic_model.ts";
import {
  continuousAnglePerStep,
  continuousOscillationThreshold,
  discreteOscillation,
} from "../../src/theory/oscillations.ts";
import { dampingRegime } from "../../src/theory/continuous_mode.ts";
import { assertClose } from "../_util/assert_close.ts";

Deno.test("validateHyperparameters() throws RangeError for η ≤ 0, β ∉ [0, 1), S < 1, λ < 0 and non-finite values", () => {
  const ok = { eta: 0.1, beta: 0, batchSize: 1, weightDecay: 0 };
  validateHyperparameters(ok);
  validateHyperparameters({ ...ok, batchSize: 1.5 }); // non-integer S allowed
  for (
    const bad of [
      { eta: 0 },
      { eta: -1 },
      { eta: Infinity },
      { eta: NaN },
      { beta: 1 },
      { beta: -0.1 },
      { beta: NaN },
      { batchSize: 0.5 },
      { batchSize: Infinity },
      { weightDecay: -1e-9 },
      { weightDecay: NaN },
    ]
  ) {
    assert.throws(
      () => validateHyperparameters({ ...ok, ...bad }),
      RangeError,
      JSON.stringify(bad),
    );
  }
  assert.throws(
    () => validateHyperparameters({ ...ok, eta: -0.1 }, "simulate SGD"),
    /^RangeError: Cannot simulate SGD as eta must be a finite number > 0: current value is -0.1$/,
  );
});

Deno.test("langevinConstants() matches theory.md §2 written out for η = 0.02, β = 0.9, S = 8", () => {
  const c = langevinConstants({ eta: 0.02, beta: 0.9, batchSize: 8 });
  assertClose(c.mass, 0.02 * 1.9 / 2);
  assertClose(c.friction, 2 * 0.1 / (0.02 * 1.9));
  assertClose(c.gamma, c.friction / 2);
  assertClose(c.tempTheta, 0.02 / (2 * 8 * 0.1));
  assertClose(c.tempV, 1 / (8 * (1 - 0.81)));
  assertClose(c.velocityDiffusionFactor, 2 / (0.02 * 8 * 1.9 ** 2));
  assertClose(c.tempTheta / c.tempV, c.mass, { rtol: 1e-15, atol: 0 });
  // D_v = η Σ/(2 m² S) (theory.md §2.2): the two expressions agree.
  assertClose(c.velocityDiffusionFactor, 0.02 / (2 * c.mass ** 2 * 8), {
    rtol: 1e-14,
    atol: 0,
  });
});

Deno.test("quadraticModel() precomputes H = U diag(λ) Uᵀ, h = λ + weightDecay, Σ̃ = UᵀΣU", () => {
  const h = matrix([[2, 1, 0], [1, 3, 0.5], [0, 0.5, 1]]);
  const sigma = matrix([[1, 0.2, 0.1], [0.2, 2, 0], [0.1, 0, 0.5]]);
  const m = quadraticModel({
    hessian: h,
    noiseCov: sigma,
    eta: 0.1,
    beta: 0.9,
    batchSize: 4,
    weightDecay: 0.3,
  });
  const recon = congruence(m.eigenvectors, diag(m.eigenvalues));
  assert.ok(maxAbs(sub(recon, h)) < 1e-14); // backward-stable eigensolver, ‖H‖ ≈ 4
  m.curvatures.forEach((c, i) =>
    assertClose(c, m.eigenvalues[i]! + 0.3, { rtol: 1e-15, atol: 0 })
  );
  assert.ok(
    maxAbs(sub(congruence(m.eigenvectors, m.noiseEigen), sigma)) < 1e-14,
  );
  m.noiseDiag.forEach((s, i) => assert.equal(s, m.noiseEigen.data[i * 3 + i]));
  assert.equal(m.weightDecay, 0.3);
  assert.equal(
    quadraticModel({
      hessian: h,
      noiseCov: sigma,
      eta: 0.1,
      beta: 0.9,
      batchSize: 4,
    }).weightDecay,
    0,
  );
});

Deno.test("quadraticModel() rejects non-symmetric (TypeError), indefinite (RangeError), non-square or mismatched (TypeError) inputs", () => {
  const hp = { eta: 0.1, beta: 0.9, batchSize: 4 };
  const good = diag([1, 2]);
  assert.throws(
    () =>
      quadraticModel({
        hessian: matrix([[1, 1], [0, 1]]),
        noiseCov: good,
        ...hp,
      }),
    TypeError,
  );
  assert.throws(
    () =>
      quadraticModel({
        hessian: good,
        noiseCov: matrix([[1, 1], [0, 1]]),
        ...hp,
      }),
    TypeError,
  );
  assert.throws(
    () => quadraticModel({ hessian: diag([1, -1]), noiseCov: good, ...hp }),
    RangeError,
  );
  assert.throws(
    () =>
      quadraticModel({
        hessian: good,
        noiseCov: matrix([[1, 2], [2, 1]]),
        ...hp,
      }),
    RangeError,
  );
  assert.throws(
    () => quadraticModel({ hessian: matrix([[1, 2]]), noiseCov: good, ...hp }),
    TypeError,
  );
  assert.throws(
    () => quadraticModel({ hessian: diag([1, 2, 3]), noiseCov: good, ...hp }),
    TypeError,
  );
  assert.throws(
    () => quadraticModel({ hessian: good, noiseCov: good, ...hp, beta: 1 }),
    RangeError,
  );
  const nan = zeros(2);
  nan.data[0] = NaN;
  assert.throws(
    () => quadraticModel({ hessian: nan, noiseCov: good, ...hp }),
    RangeError,
  );
  // Round-off-level negative eigenvalues of a singular PSD H are clamped to exactly 0.
  const v = matrix([[1, 2, 3]]);
  const rank1 = matMul(transpose(v), v);
  const m = quadraticModel({ hessian: rank1, noiseCov: rank1, ...hp });
  assert.equal(m.eigenvalues[0], 0);
  assert.equal(m.eigenvalues[1], 0);
});

/** Eigenvalues of a real 2×2 matrix by ml-matrix's general (non-symmetric) solver — an independent route. */
function eig2(a: number[]): { re: number[]; im: number[] } {
  const e = new EigenvalueDecomposition(
    new MlMatrix([[a[0]!, a[1]!], [a[2]!, a[3]!]]),
  );
  return { re: e.realEigenvalues, im: e.imaginaryEigenvalues };
}

Deno.test("continuousAnglePerStep() = η·|Im λ(A_i)| and the threshold separates the damping regimes", () => {
  const hp = { eta: 0.01, beta: 0.9, batchSize: 1 };
  const thr = continuousOscillationThreshold(hp);
  assertClose(thr, 0.01 / (2 * 0.01 * 1.9));
  assert.equal(dampingRegime(thr * 1.001, hp), "underdamped");
  assert.equal(dampingRegime(thr * 0.999, hp), "overdamped");
  const m = hp.eta * (1 + hp.beta) / 2;
  const fr = (1 - hp.beta) / m;
  for (const h of [thr * 0.5, thr * 1.5, 3, 50]) {
    const { im } = eig2([0, -1, h / m, fr]);
    const expected = hp.eta * Math.abs(im[0]!);
    assertClose(continuousAnglePerStep(h, hp), expected, {
      rtol: 1e-12,
      atol: 1e-15,
    }); // EVD round-off
  }
});

Deno.test("discreteOscillation() matches the eigenvalues of the companion matrix [[1+β−ηh, −β], [1, 0]]", () => {
  const hp = { eta: 0.1, beta: 0.64, batchSize: 1 };
  // Complex window (1−√β)² = 0.04 < ηh < (1+√β)² = 3.24.
  for (const h of [0.1, 0.39, 0.41, 5, 20, 32, 32.5, 40]) {
    const { re, im } = eig2([1 + hp.beta - hp.eta * h, -hp.beta, 1, 0]);
    const mods = re.map((r, i) => Math.hypot(r, im[i]!));
    const k = mods[0]! >= mods[1]! ? 0 : 1;
    const got = discreteOscillation(h, hp);
    assert.equal(got.complex, Math.abs(im[0]!) > 0, `h=${h}`);
    assertClose(
      got.modulus,
      mods[k]!,
      { rtol: 1e-12, atol: 0 },
      `modulus h=${h}`,
    );
    assertClose(got.anglePerStep, Math.abs(Math.atan2(im[k]!, re[k]!)), {
      rtol: 1e-10,
      atol: 1e-12,
    }, `angle h=${h}`);
    const window = hp.eta * h > (1 - 0.8) ** 2 && hp.eta * h < (1 + 0.8) ** 2;
    assert.equal(got.complex, window);
  }
  // β → 1: discrete and continuous thresholds agree (theory.md §4.3: 0.002633 vs 0.002632 at β = 0.9, η = 1).
  const b = { eta: 1, beta: 0.9, batchSize: 1 };
  const discThr = (1 - Math.sqrt(0.9)) ** 2;
  assert.ok(Math.abs(continuousOscillationThreshold(b) / discThr - 1) < 1e-3);
  // Frequencies agree to < 0.1 % at ηh ~ 5e-3 (β = 0.9).
  const f1 = discreteOscillation(5e-3, b).anglePerStep;
  const f2 = continuousAnglePerStep(5e-3, b);
  assert.ok(Math.abs(f1 / f2 - 1) < 1e-3, `${f1} vs ${f2}`);
});
