/**
 * A guard for checkpoint and dataset values: the readers accept NaN and ±∞ (they are valid floats), so callers
 * that need finite numbers check with {@linkcode assertFinite}.
 *
 * @module
 */

/**
 * Throws unless every element is finite (no NaN, no ±∞).
 *
 * @param name Tensor name used in the error message, e.g. `"layer1.0.conv1.weight"`.
 * @param data Elements to check (e.g. a `Float32Array` from {@linkcode tensorToFloat32}).
 * @throws {RangeError} Naming the tensor, the first offending index and its value.
 *
 * @example Usage
 * ```ts
 * import { assertFinite } from "./assert_finite.ts";
 * import assert from "node:assert/strict";
 *
 * assertFinite("fc.bias", new Float32Array([0, 1.5]));
 * assert.throws(() => assertFinite("fc.bias", [0, NaN]), RangeError);
 * ```
 */
export function assertFinite(name: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `Cannot use tensor "${name}" as it contains a non-finite value: element ${i} of ${data.length} is ${v}`,
      );
    }
  }
}
