/**
 * Internal 2×2 kernels for the exact discrete-time recursion of one mode (or one pair of modes) of momentum
 * SGD in the state (x, b) = (u_iᵀ(θ − μ), u_iᵀb) (not re-exported).
 *
 * @module
 */
import type { Mat2 } from "./_mode_kernels.ts";

/** M_i = [[1 − ηh, −ηβ], [h, β]]: (x, b)_{k+1} = M_i (x, b)_k + (−η, 1)ξ_k. */
export function transition(h: number, eta: number, beta: number): Mat2 {
  return [1 - eta * h, -eta * beta, h, beta];
}

/** Noise covariance per unit Σ̃_ij: (1/S)[[η², −η], [−η, 1]]. */
export function unitNoise(eta: number, batchSize: number): Mat2 {
  return [
    eta * eta / batchSize,
    -eta / batchSize,
    -eta / batchSize,
    1 / batchSize,
  ];
}

/** 2×2 product A·B. */
export function mul2(a: Mat2, b: Mat2): Mat2 {
  return [
    a[0] * b[0] + a[1] * b[2],
    a[0] * b[1] + a[1] * b[3],
    a[2] * b[0] + a[3] * b[2],
    a[2] * b[1] + a[3] * b[3],
  ];
}

/** A·B·Cᵀ. */
export function conj2(a: Mat2, b: Mat2, c: Mat2): Mat2 {
  const ab = mul2(a, b);
  return [
    ab[0] * c[0] + ab[1] * c[1],
    ab[0] * c[2] + ab[1] * c[3],
    ab[2] * c[0] + ab[3] * c[1],
    ab[2] * c[2] + ab[3] * c[3],
  ];
}

/** A + B. */
export function add2(a: Mat2, b: Mat2): Mat2 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]];
}

/** M^k by binary exponentiation (k ≥ 0 integer). */
export function pow2(m: Mat2, k: number): Mat2 {
  let result: Mat2 = [1, 0, 0, 1];
  let base = m;
  let e = k;
  while (e > 0) {
    if (e % 2 === 1) result = mul2(result, base);
    e = Math.floor(e / 2);
    if (e > 0) base = mul2(base, base);
  }
  return result;
}

/**
 * Pair accumulation after k steps: returns [M_i^k, M_j^k, S_k] with S_k = Σ_{l<k} M_i^l N M_j^lᵀ
 * (the covariance block (i, j) accumulated from a deterministic start), in O(log k) 2×2 operations.
 */
export function accumulate(
  k: number,
  mi: Mat2,
  mj: Mat2,
  n: Mat2,
): [Mat2, Mat2, Mat2] {
  let pi: Mat2 = [1, 0, 0, 1];
  let pj: Mat2 = [1, 0, 0, 1];
  let s: Mat2 = [0, 0, 0, 0];
  if (k === 0) return [pi, pj, s];
  const bits = k.toString(2);
  for (const bit of bits) {
    // double: S_{2r} = S_r + M_i^r S_r M_j^rᵀ
    s = add2(s, conj2(pi, s, pj));
    pi = mul2(pi, pi);
    pj = mul2(pj, pj);
    if (bit === "1") {
      // step: S_{r+1} = N + M_i S_r M_jᵀ
      s = add2(n, conj2(mi, s, mj));
      pi = mul2(mi, pi);
      pj = mul2(mj, pj);
    }
  }
  return [pi, pj, s];
}

/** Checks k is a non-negative safe integer. */
export function checkSteps(k: number, action: string): void {
  if (!Number.isSafeInteger(k) || k < 0) {
    throw new RangeError(
      `Cannot ${action} as the step count k must be a non-negative integer: current value is ${k}`,
    );
  }
}
