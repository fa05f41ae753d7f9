/**
 * Private helpers shared by the repaired convolution and pooling kernels: spatial pad-or-crop, zero
 * insertion ("dilation" of a feature map by a stride) and input checks. Everything here is built from
 * stock tfjs ops, so it runs on whichever backend is active.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/** Amounts to add (> 0) or remove (< 0) on each spatial side of an NHWC tensor. */
export interface SpatialPads {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/**
 * Pads (positive amounts) or crops (negative amounts) the two spatial axes of an NHWC tensor.
 *
 * @param x Tensor of shape [N, H, W, C].
 * @param pads Rows/columns to add (> 0) or remove (< 0) on each side.
 * @param value Fill value for added elements (0 or −∞).
 * @returns The padded/cropped tensor (a new tensor, or `x` itself when all amounts are 0).
 */
export function padOrCrop4d(
  x: tf.Tensor4D,
  pads: SpatialPads,
  value = 0,
): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const cropTop = Math.max(0, -pads.top);
  const cropBottom = Math.max(0, -pads.bottom);
  const cropLeft = Math.max(0, -pads.left);
  const cropRight = Math.max(0, -pads.right);
  let y = x;
  if (cropTop + cropBottom + cropLeft + cropRight > 0) {
    y = tf.slice(y, [0, cropTop, cropLeft, 0], [
      n,
      h - cropTop - cropBottom,
      w - cropLeft - cropRight,
      c,
    ]);
  }
  const padTop = Math.max(0, pads.top);
  const padBottom = Math.max(0, pads.bottom);
  const padLeft = Math.max(0, pads.left);
  const padRight = Math.max(0, pads.right);
  if (padTop + padBottom + padLeft + padRight > 0) {
    y = tf.pad(
      y,
      [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]],
      value,
    );
  }
  return y;
}

/**
 * Inserts `strideH − 1` zero rows between rows and `strideW − 1` zero columns between columns:
 * [N, H, W, C] → [N, (H−1)·strideH + 1, (W−1)·strideW + 1, C]. This is the input of a stride-1
 * convolution that equals the transpose of a strided one.
 *
 * @param x Tensor of shape [N, H, W, C].
 * @param strideH Vertical stride (integer ≥ 1).
 * @param strideW Horizontal stride (integer ≥ 1).
 * @returns The dilated tensor (`x` itself when both strides are 1).
 */
export function insertZeros4d(
  x: tf.Tensor4D,
  strideH: number,
  strideW: number,
): tf.Tensor4D {
  if (strideH === 1 && strideW === 1) return x;
  const [n, h, w, c] = x.shape;
  const six = tf.reshape(x, [n, h, 1, w, 1, c]);
  const padded = tf.pad(six, [
    [0, 0],
    [0, 0],
    [0, strideH - 1],
    [0, 0],
    [0, strideW - 1],
    [0, 0],
  ]);
  const flat = tf.reshape(padded, [n, h * strideH, w * strideW, c]);
  return tf.slice(flat, [0, 0, 0, 0], [
    n,
    (h - 1) * strideH + 1,
    (w - 1) * strideW + 1,
    c,
  ]) as tf.Tensor4D;
}

/**
 * Returns `info` as a tfjs Tensor, as registered kernels receive the op's input tensors.
 *
 * @param info A kernel input.
 * @param kernel Kernel name, for the error message.
 * @returns The same object, typed as a 4-D tensor.
 * @throws {TypeError} When the input is not a rank-4 `tf.Tensor`.
 */
export function asTensor4d(info: tf.TensorInfo, kernel: string): tf.Tensor4D {
  if (!(info instanceof tf.Tensor) || info.rank !== 4) {
    throw new TypeError(
      `Cannot run ${kernel} as an input is not a rank-4 tf.Tensor: shape [${info.shape}]`,
    );
  }
  return info as tf.Tensor4D;
}

/**
 * Throws unless the data format is channels-last.
 *
 * @param dataFormat The `dataFormat` attribute ("NHWC" or "NCHW").
 * @param kernel Kernel name, for the error message.
 * @throws {TypeError} For "NCHW".
 */
export function assertNhwc(dataFormat: unknown, kernel: string): void {
  if (dataFormat !== undefined && dataFormat !== "NHWC") {
    throw new TypeError(
      `Cannot run ${kernel} as only NHWC is supported: dataFormat is ${
        String(dataFormat)
      }`,
    );
  }
}
