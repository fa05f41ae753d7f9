/**
 * Discrete Fourier transform of any length (iterative radix-2 for powers of two, Bluestein's chirp-z otherwise),
 * the real-input half spectrum, its frequencies, and the amplitude-weighted mean frequency used by the paper's
 * oscillation notebook (theory.md §4.3).
 *
 * @module
 */

import { checkFiniteArray, checkLength, checkPositive } from "./_validate.ts";

/** A complex vector as separate real and imaginary parts. */
export interface ComplexArray {
  /** Real parts. */
  readonly re: Float64Array;
  /** Imaginary parts. */
  readonly im: Float64Array;
}

/** In-place radix-2 transform (n a power of two); sign −1 forward, +1 inverse (unnormalised). */
function radix2(re: Float64Array, im: Float64Array, sign: number): void {
  const n = re.length;
  let j = 0;
  for (let i = 1; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]!;
      re[i] = re[j]!;
      re[j] = t;
      t = im[i]!;
      im[i] = im[j]!;
      im[j] = t;
    }
  }
  // Twiddle table exp(sign·2πi·j/n), j < n/2, each entry computed directly (no recurrence drift).
  const half = n >> 1;
  const cosT = new Float64Array(half);
  const sinT = new Float64Array(half);
  for (let j = 0; j < half; j++) {
    const a = (2 * Math.PI * j) / n;
    cosT[j] = Math.cos(a);
    sinT[j] = sign * Math.sin(a);
  }
  for (let size = 2; size <= n; size <<= 1) {
    const h = size >> 1;
    const stride = n / size;
    for (let start = 0; start < n; start += size) {
      for (let j = 0; j < h; j++) {
        const wr = cosT[j * stride]!;
        const wi = sinT[j * stride]!;
        const p = start + j;
        const q = p + h;
        const xr = re[q]! * wr - im[q]! * wi;
        const xi = re[q]! * wi + im[q]! * wr;
        re[q] = re[p]! - xr;
        im[q] = im[p]! - xi;
        re[p] = re[p]! + xr;
        im[p] = im[p]! + xi;
      }
    }
  }
}

/** Bluestein: DFT of length n as a circular convolution of power-of-two length m ≥ 2n − 1. */
function bluestein(re: Float64Array, im: Float64Array): ComplexArray {
  const n = re.length;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  // Chirp c_k = exp(−iπk²/n); k² mod 2n keeps the angle small and exact.
  const cr = new Float64Array(n);
  const ci = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = (Math.PI * ((k * k) % (2 * n))) / n;
    cr[k] = Math.cos(a);
    ci[k] = -Math.sin(a);
  }
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  const br = new Float64Array(m);
  const bi = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    ar[k] = re[k]! * cr[k]! - im[k]! * ci[k]!;
    ai[k] = re[k]! * ci[k]! + im[k]! * cr[k]!;
    br[k] = cr[k]!;
    bi[k] = -ci[k]!;
    if (k > 0) {
      br[m - k] = cr[k]!;
      bi[m - k] = -ci[k]!;
    }
  }
  radix2(ar, ai, -1);
  radix2(br, bi, -1);
  for (let k = 0; k < m; k++) {
    const r = ar[k]! * br[k]! - ai[k]! * bi[k]!;
    const i = ar[k]! * bi[k]! + ai[k]! * br[k]!;
    ar[k] = r;
    ai[k] = i;
  }
  radix2(ar, ai, 1);
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const r = ar[k]! / m;
    const i = ai[k]! / m;
    outRe[k] = r * cr[k]! - i * ci[k]!;
    outIm[k] = r * ci[k]! + i * cr[k]!;
  }
  return { re: outRe, im: outIm };
}

/**
 * Forward DFT X_k = Σ_{j<n} x_j·exp(−2πi·jk/n) of any length n ≥ 1 (numpy's `fft.fft` convention, no
 * normalisation). O(n log n): radix-2 when n is a power of two, Bluestein's algorithm otherwise.
 *
 * @param re Real parts of x (length n ≥ 1, finite).
 * @param im Imaginary parts of x (same length; default zeros).
 * @returns The transform as real and imaginary parts.
 * @throws {TypeError} If the lengths differ.
 * @throws {RangeError} If n = 0 or an entry is not finite.
 *
 * @example Usage
 * ```ts
 * import { fft } from "./fft.ts";
 * import assert from "node:assert/strict";
 *
 * // DFT of (1, 2, 3): X₀ = 6, X₁ = −1.5 + 0.866i.
 * const { re, im } = fft([1, 2, 3]);
 * assert.ok(Math.abs(re[0]! - 6) < 1e-14 && Math.abs(re[1]! + 1.5) < 1e-14);
 * assert.ok(Math.abs(im[1]! - Math.sqrt(3) / 2) < 1e-14);
 * ```
 */
export function fft(
  re: ArrayLike<number>,
  im?: ArrayLike<number>,
): ComplexArray {
  const action = "compute the FFT";
  const n = re.length;
  if (n === 0) {
    throw new RangeError(`Cannot ${action} as the input is empty: length 0`);
  }
  checkFiniteArray(re, "re", action);
  const xr = Float64Array.from(re);
  const xi = new Float64Array(n);
  if (im !== undefined) {
    checkLength(im, n, "im", action);
    checkFiniteArray(im, "im", action);
    xi.set(Array.from(im));
  }
  if ((n & (n - 1)) === 0) {
    radix2(xr, xi, -1);
    return { re: xr, im: xi };
  }
  return bluestein(xr, xi);
}

/**
 * Half spectrum of a real signal: X_k for k = 0…⌊n/2⌋ (numpy's `fft.rfft`).
 *
 * @param signal Real samples (length n ≥ 1, finite).
 * @returns ⌊n/2⌋ + 1 complex coefficients.
 * @throws {RangeError} If n = 0 or a value is not finite.
 *
 * @example Usage
 * ```ts
 * import { rfft } from "./fft.ts";
 * import assert from "node:assert/strict";
 *
 * const { re, im } = rfft([1, 0, -1, 0]); // cos(πj/2): all weight in bin 1
 * assert.equal(re.length, 3);
 * assert.ok(Math.abs(re[1]! - 2) < 1e-15 && Math.abs(re[0]!) + Math.abs(re[2]!) < 1e-15);
 * assert.ok(im.every((v) => Math.abs(v) < 1e-15));
 * ```
 */
export function rfft(signal: ArrayLike<number>): ComplexArray {
  const full = fft(signal);
  const h = Math.floor(signal.length / 2) + 1;
  return { re: full.re.slice(0, h), im: full.im.slice(0, h) };
}

/**
 * Frequencies of the {@linkcode rfft} bins, k/(n·spacing) for k = 0…⌊n/2⌋ (numpy's `fft.rfftfreq`), in cycles
 * per unit of `spacing`. With spacing η they are cycles per unit of the paper's time t = ηk.
 *
 * @param n Signal length (integer ≥ 1).
 * @param spacing Sample spacing (> 0), e.g. η.
 * @returns ⌊n/2⌋ + 1 frequencies.
 * @throws {RangeError} If n or spacing are out of range.
 *
 * @example Usage
 * ```ts
 * import { rfftFrequencies } from "./fft.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(Array.from(rfftFrequencies(4, 0.5)), [0, 0.5, 1]);
 * ```
 */
export function rfftFrequencies(n: number, spacing: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(
      `Cannot compute rfft frequencies as n must be an integer >= 1: current value is ${n}`,
    );
  }
  checkPositive(spacing, "spacing", "compute rfft frequencies");
  const h = Math.floor(n / 2) + 1;
  const f = new Float64Array(h);
  for (let k = 0; k < h; k++) f[k] = k / (n * spacing);
  return f;
}

/**
 * Amplitude-weighted mean frequency of a real signal, Σ_{k≥1} f_k|X_k| / Σ_{k≥1}|X_k| over the rfft bins
 * excluding DC — the statistic `w_avg_freq` of the paper's "FFT for oscillation rate" notebook
 * (`np.average(rfftfreq(n, lr)[1:], weights=abs(rfft(x))[1:])`). In cycles per unit of `spacing`; to compare
 * with a per-step angle φ use f = φ/(2π·spacing). No window or detrending is applied (as in the notebook).
 * For a single damped oscillation the result lies above the spectral peak: the line's amplitude falls only like
 * 1/|f − f₀|, so the high-frequency tail weighs in; compare like with like (the same statistic of the
 * theoretical mean trajectory, as the notebook does) rather than with the bare predicted frequency.
 *
 * @param signal Real samples, e.g. a projection uᵢᵀθ_k (length n ≥ 2, finite).
 * @param spacing Sample spacing (> 0); the notebook uses η (time t = ηk).
 * @returns The mean frequency.
 * @throws {RangeError} If n < 2, spacing ≤ 0, a value is not finite, or the spectrum beyond DC is zero.
 *
 * @example A pure cosine on a bin
 * ```ts
 * import { meanFrequency } from "./fft.ts";
 * import assert from "node:assert/strict";
 *
 * const x = Array.from({ length: 64 }, (_, j) => Math.cos((2 * Math.PI * 5 * j) / 64));
 * assert.ok(Math.abs(meanFrequency(x, 1) - 5 / 64) < 1e-12);
 * ```
 */
export function meanFrequency(
  signal: ArrayLike<number>,
  spacing: number,
): number {
  const action = "compute the mean frequency";
  const n = signal.length;
  if (n < 2) {
    throw new RangeError(
      `Cannot ${action} as the signal needs at least 2 samples: length ${n}`,
    );
  }
  checkPositive(spacing, "spacing", action);
  const { re, im } = rfft(signal);
  const f = rfftFrequencies(n, spacing);
  let sw = 0;
  let swf = 0;
  for (let k = 1; k < re.length; k++) {
    const a = Math.hypot(re[k]!, im[k]!);
    sw += a;
    swf += a * f[k]!;
  }
  if (!(sw > 0)) {
    throw new RangeError(
      `Cannot ${action} as the spectrum beyond DC is zero: the signal is constant`,
    );
  }
  return swf / sw;
}
