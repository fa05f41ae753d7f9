/**
 * Conversion of 0–255 pixels to float32 network inputs.
 *
 * @module
 */

import type { ImageDataset } from "./image_dataset.ts";

/** Pixel mean and standard deviation on the [0, 1] scale. */
export interface PixelStats {
  /** Mean over all training pixels, in [0, 1]. */
  readonly mean: number;
  /** Standard deviation over all training pixels (> 0). */
  readonly std: number;
}

/**
 * The usual normalisation constants (mean and population std of all training-set pixels on the [0, 1] scale,
 * 60 000 images each; checked against the data in the tests): MNIST 0.1307 / 0.3081 (the PyTorch examples'
 * constants), Fashion-MNIST 0.2860 / 0.3530.
 */
export const PIXEL_STATS: Readonly<Record<string, PixelStats>> = Object.freeze(
  {
    "mnist": Object.freeze({ mean: 0.1307, std: 0.3081 }),
    "fashion-mnist": Object.freeze({ mean: 0.2860, std: 0.3530 }),
  },
);

/**
 * How to map a pixel p ∈ {0…255}: `"unit"` gives p/255 ∈ [0, 1]; `"standard"` gives (p/255 − mean)/std with
 * the dataset's {@linkcode PIXEL_STATS}; explicit stats give (p/255 − mean)/std.
 */
export type Normalization = "unit" | "standard" | PixelStats;

/**
 * Converts a dataset's pixels to float32 inputs, NHWC, with the chosen normalisation.
 *
 * @param ds The dataset.
 * @param normalization See {@linkcode Normalization}.
 * @returns count·height·width·channels floats.
 * @throws {RangeError} For `"standard"` on a dataset without known stats, or std ≤ 0 / non-finite stats.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalizeImages } from "./normalize_images.ts";
 *
 * const ds = { name: "toy", images: new Uint8Array([0, 255]), labels: new Uint8Array([0, 0]), count: 2,
 *   height: 1, width: 1, channels: 1, numClasses: 1 };
 * assert.deepEqual(Array.from(normalizeImages(ds, "unit")), [0, 1]);
 * assert.deepEqual(Array.from(normalizeImages(ds, { mean: 0.5, std: 0.5 })), [-1, 1]);
 * ```
 */
export function normalizeImages(
  ds: ImageDataset,
  normalization: Normalization,
): Float32Array {
  let mean = 0;
  let std = 1;
  if (normalization === "standard") {
    const s = PIXEL_STATS[ds.name];
    if (s === undefined) {
      throw new RangeError(
        `Cannot standardise "${ds.name}" as no pixel statistics are known for it: known ${
          Object.keys(PIXEL_STATS).join(", ")
        }`,
      );
    }
    ({ mean, std } = s);
  } else if (normalization !== "unit") {
    ({ mean, std } = normalization);
  }
  if (!Number.isFinite(mean) || !Number.isFinite(std) || std <= 0) {
    throw new RangeError(
      `Cannot normalise images as mean must be finite and std > 0: mean=${mean}, std=${std}`,
    );
  }
  // One table of 256 values, so every pixel maps exactly as (p/255 − mean)/std rounded once to float32.
  const table = new Float32Array(256);
  for (let p = 0; p < 256; p++) table[p] = (p / 255 - mean) / std;
  const out = new Float32Array(ds.images.length);
  for (let i = 0; i < out.length; i++) out[i] = table[ds.images[i]!]!;
  return out;
}

/**
 * Mean and population standard deviation of all pixels on the [0, 1] scale (float64 accumulation).
 *
 * @param ds The dataset (count ≥ 1).
 * @returns The stats.
 * @throws {RangeError} When the dataset is empty.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { pixelStats } from "./normalize_images.ts";
 *
 * const ds = { name: "toy", images: new Uint8Array([0, 255]), labels: new Uint8Array([0, 0]), count: 2,
 *   height: 1, width: 1, channels: 1, numClasses: 1 };
 * assert.deepEqual(pixelStats(ds), { mean: 0.5, std: 0.5 });
 * ```
 */
export function pixelStats(ds: ImageDataset): PixelStats {
  if (ds.images.length === 0) {
    throw new RangeError(
      `Cannot compute pixel statistics of "${ds.name}" as it is empty`,
    );
  }
  const hist = new Float64Array(256);
  for (let i = 0; i < ds.images.length; i++) hist[ds.images[i]!]!++;
  const n = ds.images.length;
  let mean = 0;
  for (let p = 0; p < 256; p++) mean += hist[p]! * (p / 255);
  mean /= n;
  let v = 0;
  for (let p = 0; p < 256; p++) v += hist[p]! * (p / 255 - mean) ** 2;
  return { mean, std: Math.sqrt(v / n) };
}
