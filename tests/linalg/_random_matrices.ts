// Test helpers (not a test file): seeded random matrices for invariant tests.
import { Rng } from "../../src/random/rng.ts";
import { fromData, type Matrix } from "../../src/linalg/matrix.ts";
import { matMul, transpose } from "../../src/linalg/matrix_ops.ts";

/** n × m matrix of independent standard normals. */
export function randomGaussian(rng: Rng, n: number, m = n): Matrix {
  const out = fromData(n, m);
  rng.fillNormal(out.data);
  return out;
}

/** Random symmetric PSD matrix G·Gᵀ of the given rank (default full rank), scaled by `scaleBy`. */
export function randomPsd(rng: Rng, n: number, rank = n, scaleBy = 1): Matrix {
  const g = randomGaussian(rng, n, rank);
  const p = matMul(g, transpose(g));
  for (let i = 0; i < p.data.length; i++) {
    p.data[i]! *= scaleBy / Math.max(rank, 1);
  }
  // exact symmetry
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) p.data[j * n + i] = p.data[i * n + j]!;
  }
  return p;
}

/** Random symmetric matrix (G + Gᵀ)/2. */
export function randomSymmetric(rng: Rng, n: number): Matrix {
  const g = randomGaussian(rng, n, n);
  const out = fromData(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      out.data[i * n + j] = 0.5 * (g.data[i * n + j]! + g.data[j * n + i]!);
    }
  }
  return out;
}
