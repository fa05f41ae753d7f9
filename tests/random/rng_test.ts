import assert from "node:assert/strict";
import { deriveSeed } from "../../src/random/derive_seed.ts";
import { Rng } from "../../src/random/rng.ts";

Deno.test("Rng.fromSeed(1n) matches the reference C xoshiro128** seeded by splitmix64", () => {
  // Expected values printed by the reference implementations (xoshiro128** 1.1 and splitmix64, public domain C
  // by Blackman & Vigna), compiled with gcc: s[0..1] = low/high words of splitmix64 output 1, s[2..3] of output 2.
  const rng = Rng.fromSeed(1n);
  assert.deepEqual(
    [rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32()],
    [1695105466, 1423115009, 634581793, 1068227753, 716759206],
  );
});

Deno.test("Rng rejects an all-zero state", () => {
  assert.throws(() => new Rng([0, 0, 0, 0]), RangeError);
});

Deno.test("Rng.float() is uniform on [0, 1)", async (t) => {
  const rng = Rng.fromSeed(7n);
  const n = 100_000;
  const xs = Array.from({ length: n }, () => rng.float());
  await t.step("all results are in [0, 1)", () => {
    assert.ok(xs.every((x) => x >= 0 && x < 1));
  });
  await t.step("mean is 1/2 within 4 standard errors", () => {
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    // Var U(0,1) = 1/12.
    assert.ok(Math.abs(mean - 0.5) < 4 * Math.sqrt(1 / 12 / n), `mean ${mean}`);
  });
  await t.step("deciles pass a chi-squared test", () => {
    const counts = new Array(10).fill(0);
    for (const x of xs) counts[Math.floor(x * 10)]++;
    const e = n / 10;
    const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    // 9 degrees of freedom: P(chi2 > 27.88) = 0.001.
    assert.ok(chi2 < 27.88, `chi2 ${chi2}`);
  });
});

Deno.test("Rng.normal() has mean 0, variance 1 and normal tails", () => {
  const rng = Rng.fromSeed(11n);
  const n = 200_000;
  let s = 0;
  let s2 = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) {
    const x = rng.normal();
    s += x;
    s2 += x * x;
    if (Math.abs(x) > 1.959963984540054) tail++;
  }
  const mean = s / n;
  const variance = s2 / n - mean * mean;
  assert.ok(Math.abs(mean) < 4 / Math.sqrt(n), `mean ${mean}`); // sd of the mean = 1/√n
  assert.ok(
    Math.abs(variance - 1) < 4 * Math.sqrt(2 / n),
    `variance ${variance}`,
  ); // sd of s² ≈ √(2/n)
  const p = tail / n; // P(|Z| > 1.96) = 0.05
  assert.ok(Math.abs(p - 0.05) < 4 * Math.sqrt(0.05 * 0.95 / n), `tail ${p}`);
});

Deno.test("Rng.int() is unbiased and validates n", () => {
  const rng = Rng.fromSeed(3n);
  const n = 60_000;
  const counts = new Array(6).fill(0);
  for (let i = 0; i < n; i++) counts[rng.int(6)]++;
  const e = n / 6;
  const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
  assert.ok(chi2 < 20.52, `chi2 ${chi2}`); // 5 dof, P(chi2 > 20.52) = 0.001
  assert.throws(() => rng.int(0), RangeError);
  assert.throws(() => rng.int(1.5), RangeError);
});

Deno.test("Rng streams are reproducible and seed-sensitive", () => {
  const a = Rng.fromSeed(123n).fillNormal(new Float64Array(100));
  const b = Rng.fromSeed(123n).fillNormal(new Float64Array(100));
  const c = Rng.fromSeed(124n).fillNormal(new Float64Array(100));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

Deno.test("deriveSeed() depends on every label and their boundaries", () => {
  const base = deriveSeed(1n, ["bench", "eta=0.1"]);
  assert.equal(base, deriveSeed(1n, ["bench", "eta=0.1"]));
  assert.notEqual(base, deriveSeed(2n, ["bench", "eta=0.1"]));
  assert.notEqual(base, deriveSeed(1n, ["bench", "eta=0.2"]));
  assert.notEqual(base, deriveSeed(1n, ["bencheta=0.1"]));
  assert.ok(base >= 0n && base < 1n << 64n);
});
