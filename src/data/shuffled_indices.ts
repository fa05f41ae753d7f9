/**
 * Seeded permutations for epoch-wise shuffling.
 *
 * @module
 */

import type { Rng } from "../random/rng.ts";

/**
 * A uniformly random permutation of 0 … n−1 (Fisher–Yates, drawing j = rng.int(i + 1) for i = n−1 … 1), so
 * the same seed gives the same order on every machine.
 *
 * @param n Length (non-negative integer, ≤ 2^32).
 * @param rng The random source.
 * @returns The permutation.
 * @throws {RangeError} When n is not a non-negative integer ≤ 2^32.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { Rng } from "../random/rng.ts";
 * import { shuffledIndices } from "./shuffled_indices.ts";
 *
 * const p = shuffledIndices(5, Rng.fromSeed(1n));
 * assert.deepEqual(Array.from(p).sort(), [0, 1, 2, 3, 4]);
 * assert.deepEqual(p, shuffledIndices(5, Rng.fromSeed(1n)));
 * ```
 */
export function shuffledIndices(n: number, rng: Rng): Uint32Array {
  if (!Number.isSafeInteger(n) || n < 0 || n > 4294967296) {
    throw new RangeError(
      `Cannot shuffle as n must be an integer in [0, 2^32]: n=${n}`,
    );
  }
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}
