/**
 * Pure dataset transforms for image classification: deterministic subsets (first N in file order), zero
 * padding (28×28 → 32×32), normalisation (per-dataset mean/std or [0, 1]), one-hot labels, seeded shuffling
 * and epoch batching into float32 arrays. No file access (see `src/io/datasets.ts`), no tfjs.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { Rng } from "../random/rng.ts";
 * import { epochBatches, gatherBatch, normalizeImages, padImages, takeFirst } from "./mod.ts";
 *
 * const ds = { name: "mnist", images: new Uint8Array(4 * 28 * 28), labels: new Uint8Array([3, 1, 4, 1]),
 *   count: 4, height: 28, width: 28, channels: 1, numClasses: 10 };
 * const sub = padImages(takeFirst(ds, 2), 2);
 * const inputs = normalizeImages(sub, "standard");
 * const [idx] = epochBatches(sub.count, Rng.fromSeed(1n), { batchSize: 2 });
 * const batch = gatherBatch({ inputs, labels: sub.labels, exampleSize: 32 * 32, numClasses: 10 }, idx!);
 * assert.equal(batch.x.length, 2 * 32 * 32);
 * assert.ok(Math.abs(batch.x[0]! - (0 - 0.1307) / 0.3081) < 1e-6);
 * ```
 *
 * @module
 */
export * from "./image_dataset.ts";
export * from "./take_first.ts";
export * from "./pad_images.ts";
export * from "./normalize_images.ts";
export * from "./one_hot.ts";
export * from "./shuffled_indices.ts";
export * from "./batches.ts";
