/**
 * The in-memory form of an image classification dataset, as read from IDX files.
 *
 * @module
 */

/**
 * Images and labels as raw bytes. `images` holds `count` images of `height × width × channels` pixels in
 * NHWC order (row-major, channel last), values 0–255; `labels` holds `count` class indices in [0, numClasses).
 */
export interface ImageDataset {
  /** Dataset name, e.g. `"mnist"`, `"fashion-mnist"` (selects normalisation constants). */
  readonly name: string;
  /** Pixels, NHWC, 0–255; length count·height·width·channels. */
  readonly images: Uint8Array;
  /** Class indices; length count. */
  readonly labels: Uint8Array;
  /** Number of examples N. */
  readonly count: number;
  /** Image height in pixels. */
  readonly height: number;
  /** Image width in pixels. */
  readonly width: number;
  /** Channels per pixel (1 for MNIST). */
  readonly channels: number;
  /** Number of classes K. */
  readonly numClasses: number;
}

/**
 * Checks that an {@linkcode ImageDataset}'s arrays match its sizes and that every label is a class index.
 *
 * @param ds The dataset.
 * @throws {TypeError} When an array length does not match the sizes.
 * @throws {RangeError} When a size is not a positive integer (count may be 0) or a label is ≥ numClasses.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateImageDataset } from "./image_dataset.ts";
 *
 * const ds = { name: "toy", images: new Uint8Array(8), labels: new Uint8Array([0, 3]), count: 2,
 *   height: 2, width: 2, channels: 1, numClasses: 2 };
 * assert.throws(() => validateImageDataset(ds), RangeError);
 * ```
 */
export function validateImageDataset(ds: ImageDataset): void {
  for (const k of ["height", "width", "channels", "numClasses"] as const) {
    if (!Number.isSafeInteger(ds[k]) || ds[k] < 1) {
      throw new RangeError(
        `Cannot use dataset "${ds.name}" as ${k} must be a positive integer: ${k}=${
          ds[k]
        }`,
      );
    }
  }
  if (!Number.isSafeInteger(ds.count) || ds.count < 0) {
    throw new RangeError(
      `Cannot use dataset "${ds.name}" as count must be a non-negative integer: count=${ds.count}`,
    );
  }
  const size = ds.count * ds.height * ds.width * ds.channels;
  if (ds.images.length !== size || ds.labels.length !== ds.count) {
    throw new TypeError(
      `Cannot use dataset "${ds.name}" as its arrays do not match its sizes: images ${ds.images.length} (expected ${size}), labels ${ds.labels.length} (expected ${ds.count})`,
    );
  }
  for (let i = 0; i < ds.count; i++) {
    if (ds.labels[i]! >= ds.numClasses) {
      throw new RangeError(
        `Cannot use dataset "${ds.name}" as label ${i} is ${
          ds.labels[i]
        }, not below numClasses=${ds.numClasses}`,
      );
    }
  }
}
