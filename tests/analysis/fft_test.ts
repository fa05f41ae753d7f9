import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import {
  fft,
  meanFrequency,
  rfft,
  rfftFrequencies,
} from "../../src/analysis/fft.ts";
import { assertAllClose, assertClose } from "../_util/assert_close.ts";

/** Direct O(n²) DFT X_k = Σ_j x_j e^{−2πijk/n}, angles reduced mod n for accuracy. */
function directDft(re: ArrayLike<number>, im: ArrayLike<number>) {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * ((j * k) % n)) / n;
      sr += re[j]! * Math.cos(a) - im[j]! * Math.sin(a);
      si += re[j]! * Math.sin(a) + im[j]! * Math.cos(a);
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
  return { re: outRe, im: outIm };
}

Deno.test("fft() matches a direct DFT for every length 1…40 and for larger powers of two and primes", () => {
  const rng = Rng.fromSeed(31n);
  const lengths = [
    ...Array.from({ length: 40 }, (_, i) => i + 1),
    64,
    97,
    128,
    243,
    256,
    1000,
  ];
  for (const n of lengths) {
    const re = rng.fillNormal(new Float64Array(n));
    const im = rng.fillNormal(new Float64Array(n));
    const got = fft(re, im);
    const ref = directDft(re, im);
    // Both O(ε·log n·‖x‖₁)-accurate; the direct sum's error grows like ε·n·max|x|: atol 1e-12·n.
    const tol = { rtol: 0, atol: 1e-12 * n };
    assertAllClose(got.re, ref.re, tol, `re n=${n}`);
    assertAllClose(got.im, ref.im, tol, `im n=${n}`);
  }
});

Deno.test("fft() satisfies Parseval and rfft() is its first half", () => {
  const rng = Rng.fromSeed(32n);
  for (const n of [7, 16, 100, 513]) {
    const x = rng.fillNormal(new Float64Array(n));
    const { re, im } = fft(x);
    let lhs = 0;
    let rhs = 0;
    for (let i = 0; i < n; i++) {
      lhs += x[i]! ** 2;
      rhs += (re[i]! ** 2 + im[i]! ** 2) / n;
    }
    assertClose(rhs, lhs, { rtol: 1e-13 });
    const half = rfft(x);
    assert.equal(half.re.length, Math.floor(n / 2) + 1);
    assert.deepEqual(half.re, re.slice(0, half.re.length));
    assert.deepEqual(half.im, im.slice(0, half.im.length));
  }
});

Deno.test("rfftFrequencies() follows numpy's k/(n·d) and meanFrequency() matches closed forms and numpy", () => {
  assertAllClose(rfftFrequencies(5, 0.1), [0, 2, 4], { rtol: 1e-15 });
  assertAllClose(rfftFrequencies(6, 1e-4), [0, 1e4 / 6, 2e4 / 6, 3e4 / 6], {
    rtol: 1e-15,
  });
  // Two cosines on bins 3 and 10 with amplitudes 2 and 0.5: |X| = n·A/2 at those bins only.
  const n = 64;
  const x = Array.from(
    { length: n },
    (_, j) =>
      2 * Math.cos((2 * Math.PI * 3 * j) / n) +
      0.5 * Math.cos((2 * Math.PI * 10 * j) / n + 1),
  );
  const f = (k: number) => k / (n * 0.01);
  // Leakage-free bins: other amplitudes are round-off (~1e-14 vs ~64).
  assertClose(meanFrequency(x, 0.01), (2 * f(3) + 0.5 * f(10)) / 2.5, {
    rtol: 1e-12,
  });
  // Reference: numpy 2.4.6, j = arange(N); x = 0.97**j*cos(0.3j) + 0.5 sin(1.1j);
  // np.average(rfftfreq(N, 0.01)[1:], weights=abs(rfft(x))[1:]) for N = 150 and 128.
  const sig = (len: number) =>
    Array.from(
      { length: len },
      (_, j) => 0.97 ** j * Math.cos(0.3 * j) + 0.5 * Math.sin(1.1 * j),
    );
  assertClose(meanFrequency(sig(150), 0.01), 12.075119636683487, {
    rtol: 1e-12,
  });
  assertClose(meanFrequency(sig(128), 0.01), 12.59713071712906, {
    rtol: 1e-12,
  });
});

Deno.test("fft() family rejects empty, mismatched and non-finite input", () => {
  assert.throws(() => fft([]), RangeError);
  assert.throws(() => fft([1, 2], [1]), TypeError);
  assert.throws(() => fft([1, NaN]), RangeError);
  assert.throws(() => rfftFrequencies(0, 1), RangeError);
  assert.throws(() => rfftFrequencies(4, 0), RangeError);
  assert.throws(() => meanFrequency([1], 1), RangeError);
  assert.throws(() => meanFrequency([2, 2, 2, 2], 1), RangeError);
  assert.deepEqual(Array.from(fft([5]).re), [5]);
});
