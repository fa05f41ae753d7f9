import assert from "node:assert/strict";
import {
  columnMeanStderr,
  meanStderr,
} from "../../src/stats/group_statistics.ts";
import { mean, standardError } from "../../src/stats/summary.ts";
import { Rng } from "../../src/random/rng.ts";
import { assertClose } from "../_util/assert_close.ts";

function sample(n: number, seed: bigint): number[] {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: n }, () => 3 + 2 * rng.normal());
}

Deno.test("meanStderr() matches the compensated mean() and standardError() of summary.ts", () => {
  for (const n of [2, 7, 64, 1000]) {
    const x = sample(n, BigInt(n));
    const e = meanStderr(x);
    // Plain vs compensated summation of n terms: round-off ≤ n·eps relative.
    assertClose(e.value, mean(x), { rtol: 1e-12 });
    assertClose(e.stderr, standardError(x), { rtol: 1e-12 });
  }
});

Deno.test("meanStderr() matches hand computation and rejects fewer than 2 values", () => {
  const e = meanStderr([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(e.value, 5);
  assertClose(e.stderr, Math.sqrt(32 / 7 / 8));
  assert.throws(() => meanStderr([1]), RangeError);
});

Deno.test("columnMeanStderr() gives summary.ts mean and standardError per column", () => {
  const rows = Array.from(
    { length: 16 },
    (_, g) => Float64Array.from(sample(5, 100n + BigInt(g))),
  );
  const { value, stderr } = columnMeanStderr(rows);
  assert.equal(value.length, 5);
  for (let j = 0; j < 5; j++) {
    const col = rows.map((r) => r[j]!);
    // Plain vs compensated summation of 16 terms: round-off only.
    assertClose(value[j]!, mean(col), { rtol: 1e-13 });
    assertClose(stderr[j]!, standardError(col), { rtol: 1e-13 });
  }
});

Deno.test("columnMeanStderr() rejects ragged rows and a single row", () => {
  assert.throws(() => columnMeanStderr([[1, 2], [3]]), TypeError);
  assert.throws(() => columnMeanStderr([[1, 2]]), RangeError);
});
