/**
 * Epoch-wise mini-batches (sampling without replacement, reshuffled every epoch) gathered into float32
 * arrays ready for `tf.tensor`.
 *
 * @module
 */

import type { Rng } from "../random/rng.ts";
import { shuffledIndices } from "./shuffled_indices.ts";

/** Options of {@linkcode epochBatches}. */
export interface EpochBatchesOptions {
  /** Batch size S (positive integer). */
  readonly batchSize: number;
  /**
   * Drop the last, smaller batch (PyTorch `DataLoader(drop_last=True)`); otherwise it is kept.
   *
   * @default {true}
   */
  readonly dropLast?: boolean;
  /**
   * Shuffle with the `rng`; `false` keeps file order (then `rng` is not used).
   *
   * @default {true}
   */
  readonly shuffle?: boolean;
}

/**
 * Splits one epoch of n examples into batches of `batchSize` indices, in a fresh seeded permutation (as
 * `DataLoader(shuffle=True)`).
 *
 * @param n Number of examples N (non-negative integer).
 * @param rng Random source for the permutation.
 * @param options Batch size S, drop-last and shuffle; see {@linkcode EpochBatchesOptions}.
 * @returns ⌊N/S⌋ (or ⌈N/S⌉ without drop-last) index arrays.
 * @throws {RangeError} When batchSize is not a positive integer or n is invalid.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { Rng } from "../random/rng.ts";
 * import { epochBatches } from "./batches.ts";
 *
 * const batches = epochBatches(10, Rng.fromSeed(1n), { batchSize: 4 });
 * assert.equal(batches.length, 2);
 * assert.deepEqual(
 *   epochBatches(5, Rng.fromSeed(1n), { batchSize: 2, shuffle: false, dropLast: false })
 *     .map((b) => Array.from(b)),
 *   [[0, 1], [2, 3], [4]],
 * );
 * ```
 */
export function epochBatches(
  n: number,
  rng: Rng,
  options: EpochBatchesOptions,
): Uint32Array[] {
  const batchSize = options.batchSize;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `Cannot make batches as batchSize must be a positive integer: batchSize=${batchSize}`,
    );
  }
  const order = (options.shuffle ?? true) ? shuffledIndices(n, rng) : (() => {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(
        `Cannot make batches as n must be a non-negative integer: n=${n}`,
      );
    }
    return Uint32Array.from({ length: n }, (_, i) => i);
  })();
  const out: Uint32Array[] = [];
  const dropLast = options.dropLast ?? true;
  for (let s = 0; s < n; s += batchSize) {
    if (s + batchSize > n && dropLast) break;
    out.push(order.slice(s, Math.min(n, s + batchSize)));
  }
  return out;
}

/** A gathered batch: inputs `x` `[B, ...example shape]` and one-hot labels `y` `[B, K]`. */
export interface Batch {
  /** Inputs, row-major `[B, exampleSize]`. */
  readonly x: Float32Array;
  /** One-hot labels, row-major `[B, numClasses]`. */
  readonly y: Float32Array;
  /** B. */
  readonly size: number;
}

/** The arrays {@linkcode gatherBatch} reads from. */
export interface BatchSource {
  /** All inputs (e.g. from `normalizeImages`), row-major `[N, exampleSize]`. */
  readonly inputs: Float32Array;
  /** Class indices, length N. */
  readonly labels: ArrayLike<number>;
  /** Floats per example (H·W·C). */
  readonly exampleSize: number;
  /** K. */
  readonly numClasses: number;
}

/**
 * Copies the examples at `indices` into one batch with one-hot labels.
 *
 * @param source Inputs, labels and sizes; see {@linkcode BatchSource}.
 * @param indices Example indices (each in [0, N)).
 * @returns The batch.
 * @throws {RangeError} When an index or label is out of range.
 * @throws {TypeError} When `inputs` does not hold N·exampleSize floats.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { gatherBatch } from "./batches.ts";
 *
 * const source = { inputs: new Float32Array([1, 2, 3, 4]), labels: [1, 0], exampleSize: 2, numClasses: 2 };
 * const b = gatherBatch(source, [1]);
 * assert.deepEqual(Array.from(b.x), [3, 4]);
 * assert.deepEqual(Array.from(b.y), [1, 0]);
 * ```
 */
export function gatherBatch(
  source: BatchSource,
  indices: ArrayLike<number>,
): Batch {
  const { inputs, labels, exampleSize: d, numClasses: k } = source;
  const n = labels.length;
  if (inputs.length !== n * d) {
    throw new TypeError(
      `Cannot gather a batch as inputs has ${inputs.length} floats, expected ${n}·${d}`,
    );
  }
  const b = indices.length;
  const x = new Float32Array(b * d);
  const y = new Float32Array(b * k);
  for (let i = 0; i < b; i++) {
    const j = indices[i]!;
    if (!Number.isInteger(j) || j < 0 || j >= n) {
      throw new RangeError(
        `Cannot gather a batch as index ${i} is ${j}, not in [0, ${n})`,
      );
    }
    const label = labels[j]!;
    if (!Number.isInteger(label) || label < 0 || label >= k) {
      throw new RangeError(
        `Cannot gather a batch as example ${j} has label ${label}, not in [0, ${k})`,
      );
    }
    x.set(inputs.subarray(j * d, (j + 1) * d), i * d);
    y[i * k + label] = 1;
  }
  return { x, y, size: b };
}
