/**
 * Zero padding of images (e.g. 28×28 MNIST → 32×32).
 *
 * @module
 */

import type { ImageDataset } from "./image_dataset.ts";

/**
 * Pads every image with `padding` zero pixels on each side (before normalisation, as torchvision's
 * `transforms.Pad(padding)` on the raw image), e.g. 28×28 → 32×32 with `padding = 2`.
 *
 * @param ds The dataset.
 * @param padding Pixels added on each of the four sides (non-negative integer).
 * @returns A new dataset with height and width increased by 2·padding.
 * @throws {RangeError} When padding is not a non-negative integer.
 *
 * @example A 1×1 image padded by 1
 * ```ts
 * import assert from "node:assert/strict";
 * import { padImages } from "./pad_images.ts";
 *
 * const ds = { name: "toy", images: new Uint8Array([9]), labels: new Uint8Array([0]), count: 1,
 *   height: 1, width: 1, channels: 1, numClasses: 1 };
 * const p = padImages(ds, 1);
 * assert.equal(p.height, 3);
 * assert.deepEqual(Array.from(p.images), [0, 0, 0, 0, 9, 0, 0, 0, 0]);
 * ```
 */
export function padImages(ds: ImageDataset, padding: number): ImageDataset {
  if (!Number.isSafeInteger(padding) || padding < 0) {
    throw new RangeError(
      `Cannot pad images as padding must be a non-negative integer: padding=${padding}`,
    );
  }
  const { height: h, width: w, channels: c, count } = ds;
  const ph = h + 2 * padding;
  const pw = w + 2 * padding;
  const out = new Uint8Array(count * ph * pw * c);
  const row = w * c;
  for (let i = 0; i < count; i++) {
    for (let y = 0; y < h; y++) {
      const src = (i * h + y) * row;
      const dst = ((i * ph + y + padding) * pw + padding) * c;
      out.set(ds.images.subarray(src, src + row), dst);
    }
  }
  return { ...ds, images: out, height: ph, width: pw };
}
