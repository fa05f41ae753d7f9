import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import { hutchinsonTrace } from "../../src/analysis/hutchinson_trace.ts";
import { assertClose } from "../_util/assert_close.ts";
import { matVec, randomSymmetric } from "./_dense.ts";

Deno.test("hutchinsonTrace() is exact with zero standard error on diagonal matrices", async () => {
  const diag = [0.5, -2, 3, 7, 11];
  const r = await hutchinsonTrace((v) => v.map((x, i) => diag[i]! * x), 5, {
    samples: 8,
    rng: Rng.fromSeed(2n),
  });
  // zᵢ² = 1 for Rademacher probes, so every zᵀDz equals tr D exactly.
  assert.equal(r.estimate, 19.5);
  assert.equal(r.standardError, 0);
  assert.equal(r.operatorApplications, 8);
});

Deno.test("hutchinsonTrace() is within 4σ of the exact trace, σ² = 2(‖A‖_F² − Σ Aᵢᵢ²)/n", async () => {
  const dim = 30;
  const a = randomSymmetric(Rng.fromSeed(3n), dim);
  let trace = 0;
  let fro2 = 0;
  let diag2 = 0;
  for (let i = 0; i < dim; i++) {
    trace += a.data[i * dim + i]!;
    diag2 += a.data[i * dim + i]! ** 2;
  }
  for (const x of a.data) fro2 += x * x;
  const samples = 400;
  const perProbeVar = 2 * (fro2 - diag2);
  const r = await hutchinsonTrace((v) => matVec(a, v), dim, {
    samples,
    rng: Rng.fromSeed(4n),
  });
  const sigma = Math.sqrt(perProbeVar / samples);
  // Monte Carlo: 4σ of the mean of 400 probes.
  assertClose(r.estimate, trace, { rtol: 0, atol: 4 * sigma });
  // The reported standard error estimates σ; its relative spread is ≈ √((κ−1)/(4n)) ≲ 5 % here, allow 20 %.
  assertClose(r.standardError, sigma, { rtol: 0.2 });
});

Deno.test("hutchinsonTrace() uses balanced ±1 probes", async () => {
  const seen: number[] = [];
  await hutchinsonTrace(
    (v) => {
      seen.push(...v);
      return v;
    },
    100,
    { samples: 50, rng: Rng.fromSeed(5n) },
  );
  assert.ok(seen.every((x) => x === 1 || x === -1));
  const plus = seen.filter((x) => x === 1).length;
  // Binomial(5000, ½): 4σ = 4·√1250 ≈ 141.
  assert.ok(Math.abs(plus - 2500) < 141);
});

Deno.test("hutchinsonTrace() throws on bad sample counts and bad operator output", async () => {
  const rng = Rng.fromSeed(1n);
  await assert.rejects(
    () => hutchinsonTrace((v) => v, 3, { samples: 0, rng }),
    RangeError,
  );
  await assert.rejects(
    () => hutchinsonTrace((v) => v.subarray(1), 3, { samples: 2, rng }),
    TypeError,
  );
  await assert.rejects(
    () => hutchinsonTrace((v) => v.map(() => Infinity), 3, { samples: 2, rng }),
    RangeError,
  );
  const one = await hutchinsonTrace((v) => v, 3, { samples: 1, rng });
  assert.equal(one.estimate, 3);
  assert.ok(Number.isNaN(one.standardError));
});
