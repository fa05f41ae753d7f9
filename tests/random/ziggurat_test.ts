import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import { Ziggurat, ZIGGURAT_TABLES } from "../../src/random/ziggurat.ts";

/** Standard normal CDF from the Maclaurin series of erf (independent of the sampler; |error| < 1e-8 on |x| ≤ 6). */
function phi(x: number): number {
  if (x > 6) return 1;
  if (x < -6) return 0;
  const z = x / Math.SQRT2;
  let term = z;
  let sum = z;
  for (let n = 1; n < 200; n++) {
    term *= (-z * z) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-18) break;
  }
  return 0.5 * (1 + (2 / Math.sqrt(Math.PI)) * sum);
}

/** Upper tail P(Z > a) by composite Simpson integration of the density on [a, a + 12] (independent route). */
function upperTail(a: number): number {
  const m = 20000;
  const hstep = 12 / m;
  let s = 0;
  for (let i = 0; i <= m; i++) {
    const x = a + i * hstep;
    const w = i === 0 || i === m ? 1 : i % 2 === 1 ? 4 : 2;
    s += w * Math.exp(-0.5 * x * x);
  }
  return (s * hstep) / 3 / Math.sqrt(2 * Math.PI);
}

const N = 4_000_000;
const draws = Ziggurat.fromRng(Rng.fromSeed(20260101n)).fill(
  new Float64Array(N),
);

Deno.test("Ziggurat.fill() is deterministic for a fixed seed and differs across seeds", () => {
  const a = Ziggurat.fromRng(Rng.fromSeed(9n)).fill(new Float64Array(5000));
  const b = Ziggurat.fromRng(Rng.fromSeed(9n)).fill(new Float64Array(5000));
  const c = Ziggurat.fromRng(Rng.fromSeed(10n)).fill(new Float64Array(5000));
  assert.deepEqual(new Uint8Array(a.buffer), new Uint8Array(b.buffer));
  assert.notDeepEqual(a, c);
});

Deno.test("Ziggurat.fill() in pieces equals one fill of the whole array", () => {
  const whole = Ziggurat.fromRng(Rng.fromSeed(4n)).fill(new Float64Array(3000));
  const g = Ziggurat.fromRng(Rng.fromSeed(4n));
  const parts = new Float64Array(3000);
  // Block boundaries inside fill are at multiples of 1024 from `start`; pieces of 1024 reproduce them.
  g.fill(parts, 0, 1024);
  g.fill(parts, 1024, 2048);
  g.fill(parts, 2048, 3000);
  assert.deepEqual(parts, whole);
});

Deno.test("Ziggurat tables: layers have equal area v and x_1 = r", () => {
  const { kn, wn, fn } = ZIGGURAT_TABLES;
  const r = 3.442619855899;
  const v = 9.91256303526217e-3;
  // x_i = wn[i]·2^24; layer i (1..127) is the rectangle [0, x_i] × [f(x_i), f(x_{i−1})] with area v.
  const x = Array.from(wn, (w) => w * 2 ** 24);
  assert.ok(Math.abs(x[127]! - r) < 1e-12);
  for (let i = 2; i < 128; i++) {
    const area = x[i]! * (fn[i - 1]! - fn[i]!);
    // float64 recursion over 126 layers: a few hundred ulps of v.
    assert.ok(Math.abs(area - v) < 1e-13, `layer ${i}: area ${area}`);
  }
  // Base strip: rectangle r·f(r) plus the tail beyond r (by Simpson) has area v.
  const base = r * Math.exp(-0.5 * r * r) +
    upperTail(r) * Math.sqrt(2 * Math.PI);
  assert.ok(Math.abs(base - v) < 1e-9);
  assert.equal(kn[1], 0);
});

Deno.test("Ziggurat normals have mean 0, variance 1, skewness 0, kurtosis 3 (4σ, n = 4e6)", () => {
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let i = 0; i < N; i++) {
    const x = draws[i]!;
    const x2 = x * x;
    s1 += x;
    s2 += x2;
    s3 += x2 * x;
    s4 += x2 * x2;
  }
  // Standard errors of the raw moments of N(0,1): √(Var Z^p / n) with Var Z = 1, Var Z² = 2, Var Z³ = 15, Var Z⁴ = 96.
  assert.ok(Math.abs(s1 / N) < 4 * Math.sqrt(1 / N), `mean ${s1 / N}`);
  assert.ok(Math.abs(s2 / N - 1) < 4 * Math.sqrt(2 / N), `E z² ${s2 / N}`);
  assert.ok(Math.abs(s3 / N) < 4 * Math.sqrt(15 / N), `E z³ ${s3 / N}`);
  assert.ok(Math.abs(s4 / N - 3) < 4 * Math.sqrt(96 / N), `E z⁴ ${s4 / N}`);
});

Deno.test("Ziggurat tail frequencies beyond r, 4 and 5 match the normal tail (4σ Poisson)", () => {
  for (const a of [3.442619855899, 4, 5]) {
    let count = 0;
    for (let i = 0; i < N; i++) if (Math.abs(draws[i]!) > a) count++;
    const expected = 2 * N * upperTail(a);
    // Binomial count ≈ Poisson: sd √expected; +1 guards the tiny-count case.
    assert.ok(
      Math.abs(count - expected) < 4 * Math.sqrt(expected) + 1,
      `|z| > ${a}: ${count} vs ${expected}`,
    );
  }
});

Deno.test("Ziggurat normals pass Kolmogorov–Smirnov against Φ (n = 2e5, 0.1 % level)", () => {
  const n = 200_000;
  const s = draws.slice(0, n).sort();
  let dmax = 0;
  for (let i = 0; i < n; i++) {
    const f = phi(s[i]!);
    dmax = Math.max(dmax, f - i / n, (i + 1) / n - f);
  }
  // Asymptotic KS critical value at α = 0.001 is 1.949/√n.
  assert.ok(dmax < 1.949 / Math.sqrt(n), `D = ${dmax}`);
});

Deno.test("Ziggurat normals pass a χ² test on 42 bins (n = 4e6, 0.1 % level)", () => {
  const edges = [-Infinity];
  for (let i = 0; i <= 40; i++) edges.push(-4 + 0.2 * i);
  edges.push(Infinity);
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  for (let i = 0; i < N; i++) {
    const x = draws[i]!;
    const k = x < -4 ? 0 : x >= 4 ? bins - 1 : 1 + Math.floor((x + 4) / 0.2);
    counts[Math.min(k, bins - 2 + (x >= 4 ? 1 : 0))]!++;
  }
  let chi2 = 0;
  for (let k = 0; k < bins; k++) {
    const p = phi(edges[k + 1]!) - phi(edges[k]!);
    const e = N * p;
    chi2 += (counts[k]! - e) ** 2 / e;
  }
  // Wilson–Hilferty 0.999 quantile of χ²(41): 41·(1 − 2/369 + 3.0902·√(2/369))³ ≈ 74.7.
  const dof = bins - 1;
  const crit = dof *
    (1 - 2 / (9 * dof) + 3.0902 * Math.sqrt(2 / (9 * dof))) ** 3;
  assert.ok(chi2 < crit, `χ² = ${chi2} (critical ${crit})`);
});

Deno.test("Ziggurat.normal() one at a time also has mean 0 and variance 1 (4σ, n = 4e5)", () => {
  const g = Ziggurat.fromRng(Rng.fromSeed(77n));
  const n = 400_000;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = g.normal();
    s1 += x;
    s2 += x * x;
  }
  assert.ok(Math.abs(s1 / n) < 4 * Math.sqrt(1 / n));
  assert.ok(Math.abs(s2 / n - 1) < 4 * Math.sqrt(2 / n));
});

Deno.test("Ziggurat.float() lies in (0, 1) with mean ½", () => {
  const g = Ziggurat.fromRng(Rng.fromSeed(78n));
  const n = 100_000;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const u = g.float();
    assert.ok(u > 0 && u < 1);
    s += u;
  }
  // Var U = 1/12.
  assert.ok(Math.abs(s / n - 0.5) < 4 * Math.sqrt(1 / 12 / n));
});

Deno.test("new Ziggurat() throws RangeError for an all-zero state", () => {
  assert.throws(() => new Ziggurat([0, 0, 0, 0]), RangeError);
});

Deno.test("Ziggurat does not change the Rng stream beyond the four seed draws", () => {
  const a = Rng.fromSeed(5n);
  Ziggurat.fromRng(a);
  const b = Rng.fromSeed(5n);
  for (let i = 0; i < 4; i++) b.uint32();
  assert.equal(a.uint32(), b.uint32());
});
