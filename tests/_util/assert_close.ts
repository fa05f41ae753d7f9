/** Tolerance for {@linkcode assertClose}: passes when |actual − expected| ≤ atol + rtol·|expected|. */
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/** float64 default: a few ulps relative. Every other tolerance must be passed explicitly with a reason. */
const DEFAULT: Tolerance = { rtol: 1e-12, atol: 0 };

function close(a: number, e: number, tol: Tolerance): boolean {
  if (Number.isNaN(a) || Number.isNaN(e)) {
    return Number.isNaN(a) && Number.isNaN(e);
  }
  if (!Number.isFinite(a) || !Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
}

/** Throws unless `actual` is within tolerance of `expected` (NaN matches NaN, ±∞ match themselves). */
export function assertClose(
  actual: number,
  expected: number,
  tol: Partial<Tolerance> = {},
  msg = "",
): void {
  const t = { ...DEFAULT, ...tol };
  if (!close(actual, expected, t)) {
    throw new Error(
      `${
        msg ? msg + ": " : ""
      }values differ: actual=${actual}, expected=${expected}, ` +
        `delta=${Math.abs(actual - expected)}, allowed=${
          t.atol + t.rtol * Math.abs(expected)
        } ` +
        `(rtol=${t.rtol}, atol=${t.atol})`,
    );
  }
}

/** Element-wise {@linkcode assertClose}; reports a length mismatch first, then the first bad index. */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Partial<Tolerance> = {},
  msg = "",
): void {
  if (actual.length !== expected.length) {
    throw new Error(
      `${
        msg ? msg + ": " : ""
      }lengths differ: actual ${actual.length}, expected ${expected.length}`,
    );
  }
  for (let i = 0; i < actual.length; i++) {
    assertClose(
      actual[i]!,
      expected[i]!,
      tol,
      `${msg ? msg + ": " : ""}index ${i}`,
    );
  }
}
