/**
 * Student-t distribution functions used for OLS confidence intervals (not re-exported; src/stats has its own
 * public version — the lead may dedupe). Route: regularised incomplete beta by Lentz's continued fraction,
 * log-gamma by the Lanczos (g = 7, n = 9) series, quantile by safeguarded Newton on the upper tail.
 *
 * @module
 */

const LANCZOS = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (relative accuracy ≈ 1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) -
      logGamma(1 - x);
  }
  const z = x - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t +
    Math.log(s);
}

const TINY = 1e-300;

/** Continued fraction for I_x(a, b) (valid for x < (a+1)/(a+b+2)); `xc` = 1 − x. */
function betaContinuedFraction(
  x: number,
  a: number,
  b: number,
): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/**
 * Regularised incomplete beta I_x(a, b) with the complement xc = 1 − x passed separately (so that x close to 1
 * loses no digits).
 */
export function incompleteBeta(
  x: number,
  a: number,
  b: number,
  xc = 1 - x,
): number {
  if (x <= 0) return 0;
  if (xc <= 0) return 1;
  const lnPrefactor = logGamma(a + b) - logGamma(a) - logGamma(b) +
    a * Math.log(x) + b * Math.log(xc);
  const prefactor = Math.exp(lnPrefactor);
  if (x < (a + 1) / (a + b + 2)) {
    return (prefactor * betaContinuedFraction(x, a, b)) / a;
  }
  return 1 - (prefactor * betaContinuedFraction(xc, b, a)) / b;
}

/** Upper tail P(T > t) for t ≥ 0 and ν > 0 degrees of freedom. */
export function studentTUpperTail(t: number, dof: number): number {
  const t2 = t * t;
  const denom = dof + t2;
  return 0.5 * incompleteBeta(dof / denom, dof / 2, 0.5, t2 / denom);
}

/** Density of the Student-t distribution with ν degrees of freedom. */
export function studentTDensity(t: number, dof: number): number {
  return Math.exp(
    logGamma((dof + 1) / 2) - logGamma(dof / 2) -
      0.5 * Math.log(dof * Math.PI) -
      ((dof + 1) / 2) * Math.log1p((t * t) / dof),
  );
}

/**
 * Quantile (inverse CDF) of the Student-t distribution: the t with P(T ≤ t) = p.
 *
 * @param p Probability in (0, 1).
 * @param dof Degrees of freedom ν (> 0, need not be an integer).
 * @returns The quantile t_p(ν).
 * @throws {RangeError} If p ∉ (0, 1) or ν ≤ 0.
 */
export function studentTQuantile(p: number, dof: number): number {
  if (!(p > 0 && p < 1)) {
    throw new RangeError(
      `Cannot compute a Student-t quantile as p must be in (0, 1): current value is ${p}`,
    );
  }
  if (!(dof > 0) || Number.isNaN(dof)) {
    throw new RangeError(
      `Cannot compute a Student-t quantile as dof must be > 0: current value is ${dof}`,
    );
  }
  if (p === 0.5) return 0;
  const q = p < 0.5 ? p : 1 - p; // upper-tail probability to match
  let lo = 0;
  let hi = 1;
  while (studentTUpperTail(hi, dof) > q && hi < 1e300) hi *= 2;
  // Start from the middle of the bracket; Newton then converges quadratically.
  let t = hi / 2;
  for (let iter = 0; iter < 500; iter++) {
    const f = studentTUpperTail(t, dof) - q; // decreasing in t
    if (f > 0) lo = t;
    else hi = t;
    let next = t + f / studentTDensity(t, dof);
    if (!(next > lo && next < hi)) {
      next = lo > 0 && hi / lo > 4 ? Math.sqrt(lo * hi) : 0.5 * (lo + hi);
    }
    if (Math.abs(next - t) <= 1e-15 * t) {
      t = next;
      break;
    }
    t = next;
  }
  return p < 0.5 ? -t : t;
}
