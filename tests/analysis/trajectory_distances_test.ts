import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import {
  TrajectoryDistances,
  trajectoryDistances,
} from "../../src/analysis/trajectory_distances.ts";
import { assertAllClose, assertClose } from "../_util/assert_close.ts";

Deno.test("trajectoryDistances() matches explicit difference vectors on a random walk", () => {
  const rng = Rng.fromSeed(51n);
  const d = 20;
  const path: Float64Array[] = [rng.fillNormal(new Float64Array(d))];
  for (let k = 1; k < 30; k++) {
    path.push(path[k - 1]!.map((x) => x + 0.1 * rng.normal()));
  }
  const r = trajectoryDistances(path);
  // Reference: build θ_k − θ₀ and θ_{k+1} − θ_k as arrays, then square-sum with Math.hypot.
  const sq = (v: number[]) => Math.hypot(...v) ** 2;
  const disp = path.map((t) => sq(Array.from(t, (x, i) => x - path[0]![i]!)));
  const step = path.slice(1).map((t, k) =>
    sq(Array.from(t, (x, i) => x - path[k]![i]!))
  );
  const norm = path.map((t) => sq(Array.from(t)));
  const dots = path.map((t) => t.reduce((s, x, i) => s + x * path[0]![i]!, 0));
  // hypot² vs running sum: a few ε relative.
  assertAllClose(r.displacementSq, disp, { rtol: 1e-13 });
  assertAllClose(r.stepSq, step, { rtol: 1e-13 });
  assertAllClose(r.normSq, norm, { rtol: 1e-13 });
  assertAllClose(r.dotStart, dots, { rtol: 1e-12 });
  assert.equal(r.displacementSq[0], 0);
  assert.equal(r.stepSq.length, 29);
});

Deno.test("TrajectoryDistances accumulates Float32Array input in float64", () => {
  // 200 000 entries of fround(1.1): a float64 running sum is within n·ε ≈ 4.4e-11 relative (float32: n·2⁻²⁴ ≈ 1e-2).
  const d = 200_000;
  const a = new Float32Array(d).fill(1.1);
  const b = new Float32Array(d).fill(1.1 + 2 ** -10);
  const t = new TrajectoryDistances();
  const p0 = t.add(a);
  const f = Math.fround(1.1);
  assertClose(p0.normSq, d * f * f, { rtol: 5e-11 });
  const p1 = t.add(b);
  // fround(1.1 + 2⁻¹⁰) − fround(1.1) is exact in float64 after widening.
  const diff = Math.fround(1.1 + 2 ** -10) - f;
  assertClose(p1.displacementSq, d * diff * diff, { rtol: 5e-11 });
  assertClose(p1.stepSq, d * diff * diff, { rtol: 5e-11 });
  assert.ok(Number.isNaN(p0.stepSq));
  assert.equal(p1.index, 1);
  assert.equal(t.count, 2);
});

Deno.test("TrajectoryDistances and trajectoryDistances() validate their input", () => {
  const t = new TrajectoryDistances();
  assert.throws(() => t.add([]), RangeError);
  t.add([1, 2]);
  assert.throws(() => t.add([1, 2, 3]), TypeError);
  assert.throws(() => t.add([1, NaN]), RangeError);
  assert.throws(() => trajectoryDistances([]), RangeError);
  // A generator works (checkpoints read lazily).
  function* gen() {
    yield [0, 0];
    yield [3, 4];
  }
  assert.deepEqual(Array.from(trajectoryDistances(gen()).displacementSq), [
    0,
    25,
  ]);
});
