/**
 * One-hot encoding of class labels.
 *
 * @module
 */

/**
 * Encodes labels as one-hot rows y ∈ {0, 1}^K (row-major `[labels.length, numClasses]`).
 *
 * @param labels Class indices in [0, numClasses).
 * @param numClasses K (positive integer).
 * @returns The one-hot matrix.
 * @throws {RangeError} When K is not a positive integer or a label is not an integer in [0, K).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { oneHot } from "./one_hot.ts";
 *
 * assert.deepEqual(Array.from(oneHot([2, 0], 3)), [0, 0, 1, 1, 0, 0]);
 * ```
 */
export function oneHot(
  labels: ArrayLike<number>,
  numClasses: number,
): Float32Array {
  if (!Number.isSafeInteger(numClasses) || numClasses < 1) {
    throw new RangeError(
      `Cannot one-hot encode as numClasses must be a positive integer: numClasses=${numClasses}`,
    );
  }
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= numClasses) {
      throw new RangeError(
        `Cannot one-hot encode as label ${i} is ${k}, not an integer in [0, ${numClasses})`,
      );
    }
    out[i * numClasses + k] = 1;
  }
  return out;
}
