import assert from "node:assert/strict";
import { lossPlateau } from "../../src/analysis/loss_plateau.ts";

Deno.test("lossPlateau() averages the last two windows (exact on piecewise-constant losses)", () => {
  // 25 losses, fraction 0.2: windows of 5 — steps 15–19 (mean 3) and 20–24 (mean 3): no change.
  const flat = Array.from({ length: 25 }, (_, k) => (k < 15 ? 7 : 3));
  assert.deepEqual(lossPlateau(flat, 0.2), {
    window: 5,
    last: 3,
    previous: 3,
    relativeChange: 0,
  });
  // A falling tail: windows 1.5 and 2 (mean of 1, 2 and of 2, 2).
  const r = lossPlateau([9, 9, 2, 2, 1, 2], 0.34);
  assert.deepEqual([r.window, r.last, r.previous], [2, 1.5, 2]);
  assert.equal(r.relativeChange, -0.25);
  // The window never drops below one sample.
  assert.equal(lossPlateau([4, 2], 0.1).relativeChange, -0.5);
});

Deno.test("lossPlateau() rejects too few, non-finite losses and bad fractions", () => {
  assert.throws(() => lossPlateau([1]), RangeError);
  assert.throws(() => lossPlateau([1, NaN, 2]), RangeError);
  assert.throws(() => lossPlateau([1, 2, 3], 0), RangeError);
  assert.throws(() => lossPlateau([1, 2, 3], 0.6), RangeError);
});
