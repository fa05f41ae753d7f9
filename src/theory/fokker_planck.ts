/**
 * Fokker–Planck view of the stationary OU law (theory.md §3.4–3.5): modified loss Φ(z) = ½zᵀUz with
 * U = C_ss⁺, the antisymmetric Q = ½(AC − CAᵀ) with A = (D + Q)U, the stationary probability current
 * J(z) = −QUz·p(z), detailed balance, and phase-space angular momentum.
 *
 * **Singular covariances.** When Σ is rank-deficient some phase-space directions never fluctuate and C_ss is
 * singular. U is then the Moore–Penrose pseudo-inverse (eigenvalues of C_ss ≤ rtol·max eig treated as zero):
 * Φ is defined on the range of C_ss only, U is zero on its null space, and A = (D + Q)U holds on the range
 * (the reported residual is measured there, i.e. ‖(A − (D+Q)U)·C‖/‖A·C‖).
 *
 * @module
 */
import { type Matrix, zeros } from "../linalg/matrix.ts";
import {
  add,
  frobeniusNorm,
  matMul,
  matVec,
  scale,
  sub,
  transpose,
} from "../linalg/matrix_ops.ts";
import { solveContinuousLyapunov } from "../linalg/lyapunov.ts";
import { symmetricEigen } from "../linalg/symmetric_eigen.ts";
import { assertPsd, assertSquare } from "../linalg/validate.ts";
import {
  type BasisOptions,
  diffusionMatrix,
  driftMatrix,
  stationaryCovarianceClosedForm,
} from "./continuous_covariance.ts";
import type { QuadraticModel } from "./quadratic_model.ts";
import {
  type Hyperparameters,
  validateHyperparameters,
} from "./hyperparameters.ts";
import { checkS } from "./_mode_kernels.ts";

/** Result of {@linkcode ouDecomposition}. */
export interface OuDecomposition {
  /** Drift A of dz = −Az dt + √(2D) dW. */
  readonly drift: Matrix;
  /** Diffusion D. */
  readonly diffusion: Matrix;
  /** Stationary covariance C (A C + C Aᵀ = 2D). */
  readonly covariance: Matrix;
  /** U = C⁺, the Hessian of the modified loss Φ(z) = ½ zᵀUz (pseudo-inverse on the range of C). */
  readonly potential: Matrix;
  /** Q = ½(A C − C Aᵀ), antisymmetric. */
  readonly rotation: Matrix;
  /** −Q U: the stationary current is J(z) = (−QU z)·p(z). */
  readonly currentMatrix: Matrix;
  /** ‖(A − (D + Q)U)·C‖_F / ‖A·C‖_F (≈ 1e-15 when the decomposition holds; 0 when C = 0). */
  readonly residual: number;
}

/** Options of {@linkcode ouDecomposition}. */
export interface OuDecompositionOptions {
  /** A precomputed stationary covariance (otherwise the dense Lyapunov solve, n ≤ 40). */
  readonly covariance?: Matrix;
  /** Relative eigenvalue cut-off of the pseudo-inverse (default 1e-10). */
  readonly rtol?: number;
}

/**
 * Kwon–Ao–Thouless decomposition of a linear OU process dz = −Az dt + √(2D) dW (theory.md §3.4): C from the
 * Lyapunov equation, U = C⁺, Q = ½(AC − CAᵀ), current matrix −QU.
 *
 * @param a Drift A (n × n, stable).
 * @param d Diffusion D (n × n, symmetric PSD).
 * @param options Optional precomputed covariance and pseudo-inverse tolerance.
 * @returns The {@linkcode OuDecomposition}.
 * @throws {TypeError} If shapes do not agree or D is not symmetric.
 * @throws {RangeError} If D is not PSD, n > 40 without a precomputed covariance, or the Lyapunov equation is singular.
 *
 * @example Usage
 * ```ts
 * import { diag, matrix } from "../linalg/matrix.ts";
 * import { ouDecomposition } from "./fokker_planck.ts";
 * import assert from "node:assert/strict";
 *
 * // The 2-D example of theory.md §3.5: A = V⁻¹ diag(4, 1) V, D = diag(4, 1) ⇒ Q₁₂ = 0.9.
 * const r = ouDecomposition(matrix([[2.5, -1.5], [-1.5, 2.5]]), diag([4, 1]));
 * assert.ok(Math.abs(r.rotation.data[1]! - 0.9) < 1e-14);
 * ```
 */
export function ouDecomposition(
  a: Matrix,
  d: Matrix,
  options: OuDecompositionOptions = {},
): OuDecomposition {
  const action = "decompose OU process";
  assertSquare(a, { name: "A", action });
  assertPsd(d, { name: "D", action });
  if (a.rows !== d.rows) {
    throw new TypeError(
      `Cannot ${action} as A and D differ in size: ${a.rows} and ${d.rows}`,
    );
  }
  const c = options.covariance ?? solveContinuousLyapunov(a, scale(d, 2));
  if (c.rows !== a.rows || c.cols !== a.cols) {
    throw new TypeError(
      `Cannot ${action} as the covariance has the wrong shape: expected ${a.rows}×${a.rows}, got ${c.rows}×${c.cols}`,
    );
  }
  const u = pseudoInverse(c, options.rtol ?? 1e-10);
  const ac = matMul(a, c);
  const q = scale(sub(ac, transpose(ac)), 0.5); // C symmetric ⇒ C Aᵀ = (A C)ᵀ
  const current = scale(matMul(q, u), -1);
  const recon = matMul(add(d, q), u);
  const den = frobeniusNorm(ac);
  const residual = den === 0
    ? 0
    : frobeniusNorm(matMul(sub(a, recon), c)) / den;
  return {
    drift: a,
    diffusion: d,
    covariance: c,
    potential: u,
    rotation: q,
    currentMatrix: current,
    residual,
  };
}

/** Moore–Penrose pseudo-inverse of a symmetric PSD matrix (eigenvalues ≤ rtol·max set to zero). */
function pseudoInverse(c: Matrix, rtol: number): Matrix {
  const n = c.rows;
  const { values, vectors } = symmetricEigen(c);
  let mx = 0;
  for (const v of values) mx = Math.max(mx, Math.abs(v));
  const out = zeros(n);
  for (let k = 0; k < n; k++) {
    const lam = values[k]!;
    if (!(lam > rtol * mx)) continue;
    for (let i = 0; i < n; i++) {
      const vik = vectors.data[i * n + k]! / lam;
      if (vik === 0) continue;
      for (let j = 0; j < n; j++) {
        out.data[i * n + j]! += vik * vectors.data[j * n + k]!;
      }
    }
  }
  return out;
}

/**
 * Modified loss, rotation and current of the momentum-SGD phase-space OU process for a quadratic model
 * (theory.md §3.4), using the closed-form stationary covariance (so any d the eigendecomposition handles).
 * In the commuting case Q = [[0, −Z], [Z, 0]] and the current is the Hamiltonian flow (v, −H_λθ/m).
 *
 * @param model The quadratic model (no zero-curvature mode may receive noise).
 * @param options Basis of all matrices (default "original"; "eigen" = (Uᵀθ, Uᵀv)).
 * @returns The {@linkcode OuDecomposition} with drift A, diffusion D, C_ss, U, Q, −QU.
 * @throws {RangeError} If a zero-curvature mode receives noise.
 *
 * @example Usage
 * ```ts
 * import { diag } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import { fokkerPlanckDecomposition } from "./fokker_planck.ts";
 * import assert from "node:assert/strict";
 *
 * const m = quadraticModel({ hessian: diag([1, 2]), noiseCov: diag([1, 2]), eta: 0.1, beta: 0.9, batchSize: 1 });
 * const fp = fokkerPlanckDecomposition(m);
 * assert.ok(fp.residual < 1e-12);
 * ```
 */
export function fokkerPlanckDecomposition(
  model: QuadraticModel,
  options: BasisOptions = {},
): OuDecomposition {
  return ouDecomposition(
    driftMatrix(model, options),
    diffusionMatrix(model, options),
    {
      covariance: stationaryCovarianceClosedForm(model, options).full,
    },
  );
}

/**
 * The stationary probability-current velocity field J(z)/p(z) = −Q U z at a phase-space point z.
 *
 * @param decomposition From {@linkcode ouDecomposition} or {@linkcode fokkerPlanckDecomposition}.
 * @param z Phase-space point (length n; for the SGD model z = (θ − μ, v) in the decomposition's basis).
 * @returns −QUz (length n).
 * @throws {TypeError} If z has the wrong length.
 *
 * @example Usage
 * ```ts
 * import { diag, matrix } from "../linalg/matrix.ts";
 * import { currentVelocity, ouDecomposition } from "./fokker_planck.ts";
 * import assert from "node:assert/strict";
 *
 * const r = ouDecomposition(matrix([[2.5, -1.5], [-1.5, 2.5]]), diag([4, 1]));
 * assert.equal(currentVelocity(r, [0, 0]).every((v) => v === 0), true);
 * ```
 */
export function currentVelocity(
  decomposition: OuDecomposition,
  z: ArrayLike<number>,
): Float64Array {
  return matVec(decomposition.currentMatrix, z);
}

/** Result of {@linkcode detailedBalance}. */
export interface DetailedBalance {
  /** True iff ‖Y‖_F ≤ rtol·‖C_ss‖_F, i.e. no stationary θ–v cross-covariance (⇔ [Σ, H] = 0). */
  readonly holds: boolean;
  /** ‖Y‖_F, Frobenius norm of the stationary Cov(θ, v) (basis independent). */
  readonly normY: number;
  /** ‖Y‖_F / ‖C_ss‖_F (0 when C_ss = 0). */
  readonly relativeY: number;
}

/**
 * Generalised detailed balance (time reversal with v → −v) of the stationary phase-space law:
 * holds ⇔ Y = Cov(θ, v) = 0 ⇔ [Σ, H] = 0 (theory.md §3.5).
 *
 * @param model The quadratic model.
 * @param rtol Relative tolerance on ‖Y‖_F/‖C_ss‖_F (default 1e-10).
 * @returns `{ holds, normY, relativeY }`.
 * @throws {RangeError} If a zero-curvature mode receives noise.
 *
 * @example Usage
 * ```ts
 * import { diag, matrix } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import { detailedBalance } from "./fokker_planck.ts";
 * import assert from "node:assert/strict";
 *
 * const hp = { eta: 0.1, beta: 0.9, batchSize: 1 };
 * assert.equal(detailedBalance(quadraticModel({ hessian: diag([1, 2]), noiseCov: diag([2, 1]), ...hp })).holds, true);
 * assert.equal(detailedBalance(quadraticModel({ hessian: diag([1, 2]), noiseCov: matrix([[1, 0.5], [0.5, 1]]), ...hp })).holds, false);
 * ```
 */
export function detailedBalance(
  model: QuadraticModel,
  rtol = 1e-10,
): DetailedBalance {
  const c = stationaryCovarianceClosedForm(model, { basis: "eigen" });
  const normY = frobeniusNorm(c.cross);
  const normC = frobeniusNorm(c.full);
  const relativeY = normC === 0 ? 0 : normY / normC;
  return { holds: relativeY <= rtol, normY, relativeY };
}

/**
 * Stationary phase-space angular momentum per Hessian eigen-plane (x_i, v_i), per unit time:
 * L_i = E[x_i v̇_i − v_i ẋ_i] = 2 Q̃_{x_i v_i} computed from the current (theory.md §3.4, C10). Equals
 * −(ω_i²X_ii + Z_ii) = −2Z_ii = −2s_i/(S(1−β²)) for any Σ (negative = clockwise with x right, v = Δθ/η up;
 * the sign flips if the PyTorch buffer b = −v is plotted). Per step multiply by η. Note: the exact discrete
 * per-step value is (1+β)/2 times this (see `discreteModeAngularMomentum`), a single-step effect that does not
 * vanish as η → 0 unless β → 1.
 *
 * @param model The quadratic model.
 * @returns L_i per mode, in the order of `model.curvatures`.
 * @throws {RangeError} If a zero-curvature mode receives noise.
 *
 * @example Usage
 * ```ts
 * import { diag } from "../linalg/matrix.ts";
 * import { quadraticModel } from "./quadratic_model.ts";
 * import { phaseSpaceAngularMomentum } from "./fokker_planck.ts";
 * import assert from "node:assert/strict";
 *
 * const m = quadraticModel({ hessian: diag([1]), noiseCov: diag([3]), eta: 0.1, beta: 0.5, batchSize: 2 });
 * assert.ok(Math.abs(phaseSpaceAngularMomentum(m)[0]! + 4) < 1e-12); // −2·3/(2·0.75)
 * ```
 */
export function phaseSpaceAngularMomentum(model: QuadraticModel): Float64Array {
  const fp = fokkerPlanckDecomposition(model, { basis: "eigen" });
  const d = model.dim;
  const n = 2 * d;
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) out[i] = 2 * fp.rotation.data[i * n + d + i]!;
  return out;
}

/**
 * Per-mode stationary angular momentum of the continuous model from the mode noise alone,
 * L_i = −2Z_i = −2s_i/(S(1−β²)) per unit time (C10; array form for large diagonal problems).
 *
 * @param s Mode noise variances s_i = u_iᵀΣu_i (≥ 0).
 * @param hp Hyperparameters (eta η > 0, beta β ∈ [0, 1), batchSize S ≥ 1).
 * @returns L_i per mode.
 * @throws {RangeError} If an argument is out of range.
 *
 * @example Usage
 * ```ts
 * import { modeAngularMomentum } from "./fokker_planck.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(modeAngularMomentum([3], { eta: 0.1, beta: 0.5, batchSize: 2 })[0], -4);
 * ```
 */
export function modeAngularMomentum(
  s: ArrayLike<number>,
  hp: Hyperparameters,
): Float64Array {
  const action = "compute angular momentum";
  validateHyperparameters(hp, action);
  const { beta, batchSize } = hp;
  const out = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) {
    checkS(s[i]!, action);
    out[i] = -2 * s[i]! / (batchSize * (1 - beta * beta));
  }
  return out;
}
