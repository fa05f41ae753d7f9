/**
 * Deterministic subsets: the first N examples in file order.
 *
 * @module
 */

import type { ImageDataset } from "./image_dataset.ts";

/**
 * The first `n` examples of a dataset, in file order (a view: the arrays share memory with `ds`).
 *
 * @param ds The dataset.
 * @param n Number of examples (0 ≤ n ≤ ds.count).
 * @returns A dataset with `count = n`.
 * @throws {RangeError} When n is not an integer in [0, ds.count].
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { takeFirst } from "./take_first.ts";
 *
 * const ds = { name: "toy", images: new Uint8Array([1, 2, 3]), labels: new Uint8Array([0, 1, 0]),
 *   count: 3, height: 1, width: 1, channels: 1, numClasses: 2 };
 * const sub = takeFirst(ds, 2);
 * assert.deepEqual(Array.from(sub.images), [1, 2]);
 * assert.deepEqual(Array.from(sub.labels), [0, 1]);
 * ```
 */
export function takeFirst(ds: ImageDataset, n: number): ImageDataset {
  if (!Number.isSafeInteger(n) || n < 0 || n > ds.count) {
    throw new RangeError(
      `Cannot take a subset of "${ds.name}" as n must be an integer in [0, ${ds.count}]: n=${n}`,
    );
  }
  const per = ds.height * ds.width * ds.channels;
  return {
    ...ds,
    images: ds.images.subarray(0, n * per),
    labels: ds.labels.subarray(0, n),
    count: n,
  };
}
