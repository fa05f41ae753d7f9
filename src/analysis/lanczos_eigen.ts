/**
 * Symmetric Lanczos with full reorthogonalisation for a few extreme eigenpairs of an operator given only
 * through matrix–vector products (e.g. Hessian-vector products through tfjs, which are async).
 *
 * @module
 */

import type { Rng } from "../random/rng.ts";
import { implicitQl } from "./_implicit_ql.ts";
import { checkInteger, dot } from "./_validate.ts";
import { tridiagonalEigen } from "./tridiagonal_eigen.ts";

/**
 * A symmetric linear operator v ↦ A·v on ℝ^dim. It must not modify its argument and must return a fresh or
 * reusable array of length dim (the result is copied immediately); it may be async.
 */
export type LinearOperator = (
  v: Float64Array,
) => Float64Array | Float32Array | Promise<Float64Array | Float32Array>;

/** Options of {@linkcode lanczosEigen}. */
export interface LanczosOptions {
  /** Number of eigenpairs wanted (integer in [1, dim]). */
  readonly k: number;
  /** Source of the random start vector (and of restart vectors after an invariant-subspace breakdown). */
  readonly rng: Rng;
  /**
   * Maximum Krylov dimension = number of Lanczos steps (integer in [k, dim]); default
   * min(dim, max(4k, k + 40)). Memory is maxIter·dim float64 values (no restarts).
   */
  readonly maxIter?: number;
  /**
   * Relative convergence tolerance (≥ 0): stop when every wanted Ritz pair has recurrence residual
   * |β_m s_{m,i}| ≤ tol·max|θ|. Default 1e-8 (use ~1e-4 for float32 tfjs operators; 0 forces maxIter steps).
   */
  readonly tol?: number;
  /**
   * "largest" (default): the k algebraically largest eigenvalues. "both": ⌈k/2⌉ largest and ⌊k/2⌋ smallest
   * (as `scipy.sparse.linalg.eigsh(which="BE")`).
   */
  readonly which?: "largest" | "both";
  /**
   * How the reported residuals ‖A·y − θ·y‖ are computed:
   * - "apply" (default): one extra operator application per returned vector;
   * - "products": from the stored operator outputs A·q_j of the Lanczos steps, A·y = Σ_j s_j·(A·q_j) by
   *   linearity — no extra application, but maxIter·dim more float64 values of memory (for expensive
   *   operators such as Hessian-vector products);
   * - "recurrence": the free estimates |β_m·s_{m,i}| (assume exact orthogonality; hide operator noise).
   */
  readonly residualMethod?: "apply" | "products" | "recurrence";
}

/** Result of {@linkcode lanczosEigen}. */
export interface LanczosResult {
  /** Ritz values θᵢ in descending order ("both": the largest first, the smallest at the end). */
  readonly values: Float64Array;
  /** Unit Ritz vectors yᵢ (length dim), sign fixed so that the entry of largest magnitude is positive. */
  readonly vectors: Float64Array[];
  /**
   * Residual norms ‖A·yᵢ − θᵢ·yᵢ‖, computed as `residualMethod` says (by default with one extra operator
   * application each).
   */
  readonly residuals: Float64Array;
  /** Residual norms from the Lanczos recurrence |β_m·s_{m,i}| (free; exact only in exact arithmetic). */
  readonly ritzEstimates: Float64Array;
  /** Lanczos steps taken (Krylov dimension m). */
  readonly iterations: number;
  /** Total operator applications (m, plus k for residualMethod "apply"). */
  readonly operatorApplications: number;
  /** Whether all wanted pairs met `tol` by the recurrence estimate before maxIter (or m reached dim). */
  readonly converged: boolean;
}

const EPS = Number.EPSILON;

function wantedIndices(m: number, k: number, which: "largest" | "both") {
  // Indices into the ascending Ritz values, in the output order.
  const out: number[] = [];
  if (which === "largest") {
    for (let i = 0; i < k; i++) out.push(m - 1 - i);
  } else {
    const high = Math.ceil(k / 2);
    const low = k - high;
    for (let i = 0; i < high; i++) out.push(m - 1 - i);
    for (let i = low - 1; i >= 0; i--) out.push(i);
  }
  return out;
}

async function apply(
  op: LinearOperator,
  q: Float64Array,
  dim: number,
): Promise<Float64Array> {
  const r = await op(q.slice());
  if (r.length !== dim) {
    throw new TypeError(
      `Cannot run Lanczos as the operator returned the wrong length: expected length ${dim}, got ${r.length}`,
    );
  }
  const w = Float64Array.from(r);
  for (let i = 0; i < dim; i++) {
    if (!Number.isFinite(w[i]!)) {
      throw new RangeError(
        `Cannot run Lanczos as the operator returned a non-finite value: entry ${i} is ${
          w[i]
        }`,
      );
    }
  }
  return w;
}

/** Orthogonalise w against all basis vectors, twice (classical Gram–Schmidt, "twice is enough"). */
function reorthogonalise(w: Float64Array, basis: Float64Array[]): void {
  for (let pass = 0; pass < 2; pass++) {
    for (const v of basis) {
      const c = dot(v, w);
      for (let i = 0; i < w.length; i++) w[i] = w[i]! - c * v[i]!;
    }
  }
}

function norm(v: Float64Array): number {
  return Math.sqrt(dot(v, v));
}

/**
 * Top-k eigenpairs of a symmetric operator by the Lanczos method with full reorthogonalisation (every new
 * vector is orthogonalised twice against the whole basis, so no ghost eigenvalues appear) and no restarts.
 * Ritz values come from the m×m tridiagonal matrix T_m by implicit QL ({@linkcode tridiagonalEigen}).
 *
 * Convergence is checked after every step from the recurrence residuals |β_m·s_{m,i}| (bottom components of
 * T_m's eigenvectors, O(m²) each). The reported `residuals` are, by default, explicit: ‖A·y − θ·y‖ evaluated
 * with one extra operator application per returned vector, which also catches a noisy (e.g. float32) operator;
 * `residualMethod: "products"` evaluates the same A·y from the stored A·q_j instead (no extra application).
 *
 * Limitations: a single-vector Krylov space sees one vector per eigenspace, so copies of an exactly repeated
 * eigenvalue are found only after an invariant-subspace breakdown (then a random restart vector orthogonal to
 * the basis is used), i.e. when maxIter exceeds the number of distinct eigenvalues; pass `tol: 0` to force all
 * maxIter steps. Tight clusters need tol below the cluster width. Memory is maxIter·dim float64 values.
 *
 * @param op Symmetric operator v ↦ A·v (sync or async); e.g. a Hessian-vector product H·v.
 * @param dim Dimension d of the space (integer ≥ 1).
 * @param options k, rng, maxIter, tol, which, residualMethod (see {@linkcode LanczosOptions}).
 * @returns Ritz values (descending), unit Ritz vectors, residual norms and operator counts.
 * @throws {RangeError} If k, dim, maxIter or tol are out of range, or the operator returns a non-finite value.
 * @throws {TypeError} If the operator returns an array of the wrong length.
 *
 * @example Top eigenpair of a diagonal matrix
 * ```ts
 * import { lanczosEigen } from "./lanczos_eigen.ts";
 * import { Rng } from "../random/rng.ts";
 * import assert from "node:assert/strict";
 *
 * const diag = [1, 5, 3, 2];
 * const op = (v: Float64Array) => v.map((x, i) => diag[i]! * x);
 * const r = await lanczosEigen(op, 4, { k: 2, rng: Rng.fromSeed(1n) });
 * assert.ok(Math.abs(r.values[0]! - 5) < 1e-12 && Math.abs(r.values[1]! - 3) < 1e-12);
 * assert.ok(Math.abs(r.vectors[0]![1]! - 1) < 1e-12); // e₂, sign fixed positive
 * assert.ok(r.residuals[0]! < 1e-10);
 * ```
 */
export async function lanczosEigen(
  op: LinearOperator,
  dim: number,
  options: LanczosOptions,
): Promise<LanczosResult> {
  const action = "run Lanczos";
  checkInteger(dim, "dim", action, 1);
  const { k, rng } = options;
  checkInteger(k, "k", action, 1, dim);
  const maxIter = options.maxIter ?? Math.min(dim, Math.max(4 * k, k + 40));
  checkInteger(maxIter, "maxIter", action, k, dim);
  const tol = options.tol ?? 1e-8;
  if (!(tol >= 0) || !Number.isFinite(tol)) {
    throw new RangeError(
      `Cannot ${action} as tol must be finite and >= 0: current value is ${tol}`,
    );
  }
  const which = options.which ?? "largest";
  if (which !== "largest" && which !== "both") {
    throw new RangeError(
      `Cannot ${action} as which must be "largest" or "both": current value is ${which}`,
    );
  }
  const residualMethod = options.residualMethod ?? "apply";
  if (!["apply", "products", "recurrence"].includes(residualMethod)) {
    throw new RangeError(
      `Cannot ${action} as residualMethod must be "apply", "products" or "recurrence": current value is ${residualMethod}`,
    );
  }
  const products: Float64Array[] = []; // A·q_j, kept for residualMethod "products"

  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = []; // beta[j] couples j and j+1
  let q = rng.fillNormal(new Float64Array(dim));
  const q0 = norm(q);
  q = q.map((x) => x / q0);
  let applications = 0;
  let scale = 0; // running estimate of ‖A‖ (max |α|, |β|)
  let lastBeta = 0;
  let converged = false;
  while (basis.length < maxIter) {
    basis.push(q);
    const w = await apply(op, q, dim);
    applications++;
    if (residualMethod === "products") products.push(w.slice());
    const a = dot(w, q);
    alpha.push(a);
    reorthogonalise(w, basis);
    const b = norm(w);
    const m = basis.length;
    scale = Math.max(scale, Math.abs(a), b);
    lastBeta = b;
    const breakdown = b <= 8 * Math.sqrt(dim) * EPS * scale;
    if (!breakdown && m >= k) {
      // Convergence check: eigenvalues of T_m and bottom components of its eigenvectors.
      const d = Float64Array.from(alpha);
      const e = new Float64Array(m);
      for (let i = 0; i < m - 1; i++) e[i] = beta[i]!;
      const z = new Float64Array(m);
      z[m - 1] = 1;
      implicitQl(d, e, z, 1);
      const order = Array.from({ length: m }, (_, i) => i).sort((x, y) =>
        d[x]! - d[y]!
      );
      let thetaMax = 0;
      for (let i = 0; i < m; i++) {
        thetaMax = Math.max(thetaMax, Math.abs(d[i]!));
      }
      converged = wantedIndices(m, k, which).every((idx) =>
        Math.abs(b * z[order[idx]!]!) <= tol * thetaMax
      );
      if (converged) break;
    }
    if (m === dim || m === maxIter) break;
    if (breakdown) {
      // Invariant subspace found: continue with a random vector orthogonal to the basis.
      const r = rng.fillNormal(new Float64Array(dim));
      const r0 = norm(r);
      reorthogonalise(r, basis);
      const rn = norm(r);
      if (rn <= 1e-8 * r0) break; // the basis already spans ℝ^dim numerically
      q = r.map((x) => x / rn);
      beta.push(0);
      lastBeta = 0;
    } else {
      q = w.map((x) => x / b);
      beta.push(b);
    }
  }
  const m = basis.length;
  if (m === dim) converged = true;
  if (m < k) {
    // Not reachable in exact arithmetic (a restart only fails once the basis spans ℝ^dim, and k ≤ dim).
    throw new RangeError(
      `Cannot run Lanczos as the Krylov space stopped growing before k vectors: ${m} < ${k}`,
    );
  }

  const t = tridiagonalEigen(alpha, beta.slice(0, m - 1));
  const idx = wantedIndices(m, k, which);
  const values = new Float64Array(k);
  const vectors: Float64Array[] = [];
  const fromProducts: Float64Array[] = []; // A·y_r by linearity
  const ritzEstimates = new Float64Array(k);
  for (let r = 0; r < k; r++) {
    const j = idx[r]!;
    values[r] = t.values[j]!;
    const s = t.vectors[j]!;
    ritzEstimates[r] = m === dim ? 0 : Math.abs(lastBeta * s[m - 1]!);
    const y = new Float64Array(dim);
    for (let i = 0; i < m; i++) {
      const c = s[i]!;
      const v = basis[i]!;
      for (let p = 0; p < dim; p++) y[p] = y[p]! + c * v[p]!;
    }
    const yn = norm(y);
    let big = 0;
    for (let p = 0; p < dim; p++) {
      if (Math.abs(y[p]!) > Math.abs(big)) big = y[p]!;
    }
    const f = (big < 0 ? -1 : 1) / yn;
    for (let p = 0; p < dim; p++) y[p] = y[p]! * f;
    vectors.push(y);
    if (residualMethod === "products") {
      const ay = new Float64Array(dim);
      for (let i = 0; i < m; i++) {
        const c = s[i]! * f;
        const w = products[i]!;
        for (let p = 0; p < dim; p++) ay[p] = ay[p]! + c * w[p]!;
      }
      fromProducts.push(ay);
    }
  }
  let residuals = ritzEstimates;
  if (residualMethod !== "recurrence") {
    residuals = new Float64Array(k);
    for (let r = 0; r < k; r++) {
      const y = vectors[r]!;
      let ay = fromProducts[r];
      if (ay === undefined) {
        ay = await apply(op, y, dim);
        applications++;
      }
      let s = 0;
      for (let p = 0; p < dim; p++) {
        const diff = ay[p]! - values[r]! * y[p]!;
        s += diff * diff;
      }
      residuals[r] = Math.sqrt(s);
    }
  }
  return {
    values,
    vectors,
    residuals,
    ritzEstimates,
    iterations: m,
    operatorApplications: applications,
    converged,
  };
}
