/**
 * Internal kernels shared by the per-mode theory files (not re-exported): rates, argument checks, the 2×2
 * continuous propagator and the transient covariance.
 *
 * @module
 */
import type { Hyperparameters } from "./hyperparameters.ts";

/** A 2×2 matrix [[a11, a12], [a21, a22]] as a 4-tuple, row-major. */
export type Mat2 = [number, number, number, number];

/** Position/velocity moments of one mode. */
export interface ModeMoments {
  /** Var x (position along the eigenvector, x = u_iᵀ(θ − μ)). */
  readonly varX: number;
  /** Cov(x, v) with v = u_iᵀ θ̇. */
  readonly covXV: number;
  /** Var v. */
  readonly varV: number;
}

export interface ModeRates {
  gamma: number;
  omega2: number;
  q: number;
}

export function rates(h: number, hp: Hyperparameters): ModeRates {
  const { eta, beta, batchSize } = hp;
  return {
    gamma: (1 - beta) / (eta * (1 + beta)),
    omega2: 2 * h / (eta * (1 + beta)),
    q: 4 / (eta * batchSize * (1 + beta) ** 2),
  };
}

export function checkH(h: number, action: string): void {
  if (typeof h !== "number" || !Number.isFinite(h) || !(h >= 0)) {
    throw new RangeError(
      `Cannot ${action} as the curvature h must be a finite number >= 0: current value is ${h}`,
    );
  }
}

export function checkS(s: number, action: string): void {
  if (typeof s !== "number" || !Number.isFinite(s) || !(s >= 0)) {
    throw new RangeError(
      `Cannot ${action} as the noise variance s must be a finite number >= 0: current value is ${s}`,
    );
  }
}

export function checkT(t: number, action: string): void {
  if (typeof t !== "number" || !Number.isFinite(t) || !(t >= 0)) {
    throw new RangeError(
      `Cannot ${action} as the time t must be a finite number >= 0: current value is ${t}`,
    );
  }
}

function sinhc(x: number): number {
  return Math.abs(x) < 1e-4 ? 1 + x * x / 6 : Math.sinh(x) / x;
}

/** e^{−A t} for A = [[0, −1], [ω², 2γ]] (unchecked inputs). */
export function propagator(t: number, gamma: number, omega2: number): Mat2 {
  const kappa = gamma * gamma - omega2;
  if (kappa < 0) {
    const om = Math.sqrt(-kappa);
    const e = Math.exp(-gamma * t);
    const x = om * t;
    const ef = e * (x === 0 ? t : Math.sin(x) / om);
    const eg = e * Math.cos(x);
    return [eg + gamma * ef, ef, -omega2 * ef, eg - gamma * ef];
  }
  const om = Math.sqrt(kappa);
  if (om * t <= 1) {
    const e = Math.exp(-gamma * t);
    const ef = e * t * sinhc(om * t);
    const eg = e * Math.cosh(om * t);
    return [eg + gamma * ef, ef, -omega2 * ef, eg - gamma * ef];
  }
  // Overdamped, Ωt > 1: slow rate a = γ − Ω = ω²/(γ + Ω), fast rate b = γ + Ω.
  const b = gamma + om;
  const a = omega2 / b;
  const ea = Math.exp(-a * t);
  const eb = Math.exp(-b * t);
  const w = 1 / (b - a);
  const e12 = (ea - eb) * w;
  return [(b * ea - a * eb) * w, e12, -omega2 * e12, (b * eb - a * ea) * w];
}

/** Transient covariance from a deterministic start for noise intensity q (unchecked). */
export function transientCovariance(
  t: number,
  gamma: number,
  omega2: number,
  q: number,
): ModeMoments {
  const kappa = gamma * gamma - omega2;
  const e = propagator(t, gamma, omega2);
  const covXV = 0.5 * q * e[1] * e[1]; // d/dt Var x = 2 Cov(x, v) and Cov = q ∫ e12 ė12 = q e12²/2
  if (kappa > 0.25 * gamma * gamma) {
    // Strongly overdamped (Ω > γ/2, includes h = 0): integrate e12(u) = (e^{−au} − e^{−bu})/(b − a) exactly;
    // no term is large, so there is no cancellation even for h → 0.
    const om = Math.sqrt(kappa);
    const b = gamma + om;
    const a = omega2 / b;
    const phi = (c: number) =>
      c * t < 1e-8 ? t * (1 - c * t / 2) : -Math.expm1(-c * t) / c;
    const p2a = phi(2 * a);
    const pab = phi(a + b);
    const p2b = phi(2 * b);
    const w = 1 / ((b - a) * (b - a));
    return {
      varX: Math.max(0, q * (p2a - 2 * pab + p2b) * w),
      covXV,
      varV: Math.max(0, q * (a * a * p2a - 2 * a * b * pab + b * b * p2b) * w),
    };
  }
  // C(t) = C_ss − E C_ss Eᵀ with C_ss = diag(X, Z), Z = q/(4γ), X = Z/ω² (ω² ≥ 3γ²/4 > 0 here).
  const z = q / (4 * gamma);
  const x = z / omega2;
  return {
    varX: Math.max(0, x - (e[0] * e[0] * x + e[1] * e[1] * z)),
    covXV,
    varV: Math.max(0, z - (e[2] * e[2] * x + e[3] * e[3] * z)),
  };
}

export function checkArrays(
  h: ArrayLike<number>,
  s: ArrayLike<number>,
  action: string,
): void {
  if (h.length !== s.length) {
    throw new TypeError(
      `Cannot ${action} as h and s differ in length: ${h.length} and ${s.length}`,
    );
  }
  for (let i = 0; i < h.length; i++) {
    checkH(h[i]!, action);
    checkS(s[i]!, action);
  }
}
