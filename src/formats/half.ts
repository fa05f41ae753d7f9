/**
 * Conversions between 16-bit float formats (IEEE 754 binary16 "F16" and bfloat16 "BF16") and JavaScript
 * numbers. Decoding is exact; encoding rounds to nearest, ties to even, directly from the float64 value (no
 * double rounding through float32).
 *
 * @module
 */

interface HalfFormat {
  /** Mantissa (fraction) bits. */
  readonly mant: number;
  /** Exponent bias; the smallest normal exponent is 1 − bias. */
  readonly bias: number;
  /** All-ones exponent field value. */
  readonly expMax: number;
  /** Canonical quiet NaN pattern without sign. */
  readonly nan: number;
}

const F16: HalfFormat = { mant: 10, bias: 15, expMax: 31, nan: 0x7e00 };
const BF16: HalfFormat = { mant: 7, bias: 127, expMax: 255, nan: 0x7fc0 };

/** Round to nearest integer, ties to even; exact for the non-negative doubles used here. */
function roundHalfEven(q: number): number {
  const f = Math.floor(q);
  const d = q - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function encode(x: number, fmt: HalfFormat): number {
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  if (Number.isNaN(x)) return fmt.nan;
  const a = Math.abs(x);
  const inf = fmt.expMax << fmt.mant;
  if (a === Infinity) return sign | inf;
  const emin = 1 - fmt.bias;
  if (a < 2 ** emin) {
    // Subnormal range: units of 2^(emin − mant); a result of 2^mant is the smallest normal, which the bit
    // pattern encodes naturally.
    return sign | roundHalfEven(a * 2 ** (fmt.mant - emin));
  }
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  let m = roundHalfEven(a * 2 ** (fmt.mant - e)); // in [2^mant, 2^(mant+1)]
  if (m === 2 ** (fmt.mant + 1)) {
    m /= 2;
    e++;
  }
  const field = e + fmt.bias;
  if (field >= fmt.expMax) return sign | inf;
  return sign | (field << fmt.mant) | (m - 2 ** fmt.mant);
}

function decode(bits: number, fmt: HalfFormat): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const field = (bits >> fmt.mant) & fmt.expMax;
  const frac = bits & ((1 << fmt.mant) - 1);
  if (field === fmt.expMax) return frac ? NaN : sign * Infinity;
  if (field === 0) return sign * frac * 2 ** (1 - fmt.bias - fmt.mant);
  return sign * (frac + 2 ** fmt.mant) * 2 ** (field - fmt.bias - fmt.mant);
}

/**
 * Decodes IEEE 754 binary16 bit patterns to float32 values (exact: every binary16 value is a binary32 value).
 * NaN payloads are not preserved.
 *
 * @param bits Raw binary16 patterns, as read from an `F16` tensor.
 * @returns A new `Float32Array` of the same length.
 *
 * @example Usage
 * ```ts
 * import { fromFloat16Bits } from "./half.ts";
 * import assert from "node:assert/strict";
 *
 * // 0x3c00 = 1, 0xc000 = -2, 0x7bff = 65504 (largest finite), 0x0001 = 2^-24 (smallest subnormal)
 * const x = fromFloat16Bits(new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001]));
 * assert.deepEqual(Array.from(x), [1, -2, 65504, 2 ** -24]);
 * ```
 */
export function fromFloat16Bits(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = decode(bits[i]!, F16);
  return out;
}

/**
 * Decodes bfloat16 bit patterns to float32 values (exact: a bfloat16 is the top half of a binary32, and the
 * NaN payload is kept).
 *
 * @param bits Raw bfloat16 patterns, as read from a `BF16` tensor.
 * @returns A new `Float32Array` of the same length.
 *
 * @example Usage
 * ```ts
 * import { fromBfloat16Bits } from "./half.ts";
 * import assert from "node:assert/strict";
 *
 * // 0x3f80 = 1, 0x4049 = 3.140625 (π truncated to 8 significant bits)
 * const x = fromBfloat16Bits(new Uint16Array([0x3f80, 0x4049]));
 * assert.deepEqual(Array.from(x), [1, 3.140625]);
 * ```
 */
export function fromBfloat16Bits(bits: Uint16Array): Float32Array {
  const words = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) words[i] = bits[i]! << 16 >>> 0;
  return new Float32Array(words.buffer);
}

/**
 * Encodes numbers as IEEE 754 binary16 bit patterns, rounding to nearest with ties to even directly from each
 * float64 value. Values of magnitude ≥ 65520 become ±∞; NaN becomes the quiet NaN 0x7e00.
 *
 * @param values Numbers to encode (any finite or non-finite doubles).
 * @returns A new `Uint16Array` of the same length.
 *
 * @example Usage
 * ```ts
 * import { toFloat16Bits } from "./half.ts";
 * import assert from "node:assert/strict";
 *
 * // 1 + 2^-11 lies halfway between 1 (0x3c00, even) and 1 + 2^-10 (0x3c01): ties go to even.
 * const bits = toFloat16Bits([1, 1 + 2 ** -11, 65520, -0]);
 * assert.deepEqual(Array.from(bits), [0x3c00, 0x3c00, 0x7c00, 0x8000]);
 * ```
 */
export function toFloat16Bits(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = encode(values[i]!, F16);
  return out;
}

/**
 * Encodes numbers as bfloat16 bit patterns, rounding to nearest with ties to even directly from each float64
 * value (so 1 + 2^-8 → 1, 1 + 3·2^-8 → 1 + 2^-6). Values at or beyond the halfway point above the largest
 * finite bfloat16 become ±∞; NaN becomes the quiet NaN 0x7fc0.
 *
 * @param values Numbers to encode (any finite or non-finite doubles).
 * @returns A new `Uint16Array` of the same length.
 *
 * @example Usage
 * ```ts
 * import { toBfloat16Bits } from "./half.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(Array.from(toBfloat16Bits([1, 1 + 2 ** -8, 1 + 3 * 2 ** -8])), [0x3f80, 0x3f80, 0x3f82]);
 * ```
 */
export function toBfloat16Bits(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = encode(values[i]!, BF16);
  return out;
}
