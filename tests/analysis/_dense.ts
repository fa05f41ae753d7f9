// Test helpers (not a test file): an independent dense route for symmetric eigenproblems (cyclic Jacobi
// rotations), random orthogonal bases and matrices with a prescribed spectrum.
import type { Rng } from "../../src/random/rng.ts";

/** Row-major n×n symmetric matrix. */
export interface Dense {
  readonly n: number;
  readonly data: Float64Array;
}

/**
 * Cyclic Jacobi eigen-solver (Golub & Van Loan §8.5): rotate away every off-diagonal entry until the
 * off-diagonal mass is below 1e-30 of the total. Returns ascending eigenvalues and matching unit eigenvectors.
 */
export function jacobiEigen(
  m: Dense,
): { values: Float64Array; vectors: Float64Array[] } {
  const n = m.n;
  const a = m.data.slice();
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += a[i]! * a[i]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    }
    if (off <= 1e-32 * total) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) /
          (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A ← JᵀAJ with J the rotation in the (p, q) plane.
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) =>
    a[x * n + x]! - a[y * n + y]!
  );
  return {
    values: Float64Array.from(order, (i) => a[i * n + i]!),
    vectors: order.map((j) =>
      Float64Array.from({ length: n }, (_, k) => v[k * n + j]!)
    ),
  };
}

/** n orthonormal vectors from Gram–Schmidt (twice) on Gaussian vectors. */
export function randomOrthogonal(rng: Rng, n: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const x = rng.fillNormal(new Float64Array(n));
    for (let pass = 0; pass < 2; pass++) {
      for (const u of out) {
        let c = 0;
        for (let i = 0; i < n; i++) c += u[i]! * x[i]!;
        for (let i = 0; i < n; i++) x[i] = x[i]! - c * u[i]!;
      }
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i]! * x[i]!;
    const r = Math.sqrt(s);
    out.push(x.map((e) => e / r));
  }
  return out;
}

/** A = Σⱼ values[j]·qⱼqⱼᵀ, exactly symmetrised. */
export function fromSpectrum(
  values: ArrayLike<number>,
  q: readonly Float64Array[],
): Dense {
  const n = q.length;
  const data = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const u = q[j]!;
    const l = values[j]!;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c <= r; c++) {
        data[r * n + c] = data[r * n + c]! + l * u[r]! * u[c]!;
      }
    }
  }
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < r; c++) data[c * n + r] = data[r * n + c]!;
  }
  return { n, data };
}

/** Random symmetric matrix (G + Gᵀ)/2 with standard normal G. */
export function randomSymmetric(rng: Rng, n: number): Dense {
  const g = rng.fillNormal(new Float64Array(n * n));
  const data = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      data[r * n + c] = 0.5 * (g[r * n + c]! + g[c * n + r]!);
    }
  }
  return { n, data };
}

/** y = A·x. */
export function matVec(m: Dense, x: ArrayLike<number>): Float64Array {
  const n = m.n;
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let c = 0; c < n; c++) s += m.data[r * n + c]! * x[c]!;
    y[r] = s;
  }
  return y;
}

/** ‖A‖_F. */
export function frobenius(m: Dense): number {
  let s = 0;
  for (const x of m.data) s += x * x;
  return Math.sqrt(s);
}
