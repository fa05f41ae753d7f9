import assert from "node:assert/strict";
import { studentTCdf, studentTQuantile } from "../../src/stats/student_t.ts";
import { assertClose } from "../_util/assert_close.ts";

Deno.test("studentTQuantile() matches the closed forms for ν = 1, 2, 4", () => {
  for (const p of [0.001, 0.025, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975, 0.9995]) {
    // ν = 1 (Cauchy): t = tan(π(p − ½)).
    assertClose(studentTQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)), {
      rtol: 1e-12,
      atol: 1e-15,
    });
    // ν = 2: t = (2p − 1)/√(2p(1 − p)).
    assertClose(
      studentTQuantile(p, 2),
      (2 * p - 1) / Math.sqrt(2 * p * (1 - p)),
      { rtol: 1e-12, atol: 1e-15 },
    );
    // ν = 4: α = 4p(1−p), q = cos(⅓·arccos(√α))/√α, t = sign(p − ½)·2√(q − 1).
    const a = 4 * p * (1 - p);
    const q = Math.cos(Math.acos(Math.sqrt(a)) / 3) / Math.sqrt(a);
    assertClose(
      studentTQuantile(p, 4),
      Math.sign(p - 0.5) * 2 * Math.sqrt(q - 1),
      // The closed form itself loses ~1e-10 near p = ½ (q − 1 cancels); elsewhere both are ~1e-14.
      { rtol: 1e-9, atol: 1e-12 },
    );
  }
});

Deno.test("studentTQuantile() matches scipy.stats.t.ppf", () => {
  // python3 -c "from scipy.stats import t; print(repr(float(t.ppf(p, dof))))" with scipy 1.17.1.
  const table: [number, number, number][] = [
    [0.975, 3, 3.1824463052837078],
    [0.975, 5, 2.5705818356363146],
    [0.975, 10, 2.228138851986274],
    [0.975, 30, 2.0422724563012378],
    [0.995, 4, 4.604094871349992],
    [0.6, 7, 0.2631668613520229],
    [0.975, 0.5, 164.55767348048818],
    [0.975, 2.5, 3.5746548420036817],
    [0.999, 3, 10.214531852407383],
    [0.9, 100, 1.290074761346516],
    [0.95, 12, 1.782287555649319],
    [0.99, 20, 2.527977002741573],
    [0.75, 1.5, 0.8725946625415716],
  ];
  for (const [p, dof, t] of table) {
    // Both are iterative solvers on float64 CDFs: agreement to ~1e-14 relative; the brief asks for 1e-4.
    assertClose(
      studentTQuantile(p, dof),
      t,
      { rtol: 1e-12 },
      `p=${p} ν=${dof}`,
    );
    assertClose(studentTQuantile(1 - p, dof), -t, { rtol: 1e-10 });
  }
  // Large ν tends to the normal quantile z_0.975 = 1.959963984540054 (scipy.stats.norm.ppf); t − z ≈ z(1+z²)/(4ν).
  const z = 1.959963984540054;
  assertClose(studentTQuantile(0.975, 1e6), 1.959966356814107, { rtol: 1e-9 });
  assertClose(studentTQuantile(0.975, 1e8), z, { rtol: 1e-7 });
});

Deno.test("studentTCdf() upper tail inverts studentTQuantile() and studentTQuantile() rejects bad input", () => {
  for (const dof of [1, 3, 17.5]) {
    for (const p of [0.6, 0.9, 0.99]) {
      // Upper tail P(T > t) = F(−t), evaluated without the cancellation of 1 − F(t).
      assertClose(studentTCdf(-studentTQuantile(p, dof), dof), 1 - p, {
        rtol: 1e-12,
      });
    }
  }
  assert.equal(studentTQuantile(0.5, 3), 0);
  assert.throws(() => studentTQuantile(0, 3), RangeError);
  assert.throws(() => studentTQuantile(1, 3), RangeError);
  assert.throws(() => studentTQuantile(0.9, 0), RangeError);
  assert.throws(() => studentTQuantile(0.9, NaN), RangeError);
});
