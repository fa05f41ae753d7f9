/**
 * Small input checks shared by the analysis toolkit (not re-exported). Every message follows
 * "Cannot <action> as <reason>: <state>".
 *
 * @module
 */

/** Throws a RangeError unless `value` is an integer in [min, max]. */
export function checkInteger(
  value: number,
  name: string,
  action: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER
      ? `>= ${min}`
      : `in [${min}, ${max}]`;
    throw new RangeError(
      `Cannot ${action} as ${name} must be an integer ${range}: current value is ${value}`,
    );
  }
}

/** Throws a RangeError unless `value` is finite and > 0. */
export function checkPositive(
  value: number,
  name: string,
  action: string,
): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(
      `Cannot ${action} as ${name} must be finite and > 0: current value is ${value}`,
    );
  }
}

/** Throws a RangeError unless `value` is finite. */
export function checkFiniteNumber(
  value: number,
  name: string,
  action: string,
): void {
  if (!Number.isFinite(value)) {
    throw new RangeError(
      `Cannot ${action} as ${name} must be finite: current value is ${value}`,
    );
  }
}

/** Throws a RangeError unless every entry of `x` is finite (reports the first bad index). */
export function checkFiniteArray(
  x: ArrayLike<number>,
  name: string,
  action: string,
): void {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) {
      throw new RangeError(
        `Cannot ${action} as ${name} must be finite: ${name}[${i}] is ${x[i]}`,
      );
    }
  }
}

/** Throws a TypeError unless `x.length === expected`. */
export function checkLength(
  x: ArrayLike<number>,
  expected: number,
  name: string,
  action: string,
): void {
  if (x.length !== expected) {
    throw new TypeError(
      `Cannot ${action} as ${name} has the wrong length: expected length ${expected}, got ${x.length}`,
    );
  }
}

/** Throws a RangeError unless 0 < level < 1. */
export function checkLevel(level: number, action: string): void {
  if (!(level > 0 && level < 1)) {
    throw new RangeError(
      `Cannot ${action} as level must be in (0, 1): current value is ${level}`,
    );
  }
}

/** Throws a RangeError unless −1 < beta < 1 (momentum β; negative momentum is allowed). */
export function checkMomentum(beta: number, action: string): void {
  if (!(beta > -1 && beta < 1)) {
    throw new RangeError(
      `Cannot ${action} as beta must be in (-1, 1): current value is ${beta}`,
    );
  }
}

/** Float64 dot product of two equal-length arrays (length not checked). */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
