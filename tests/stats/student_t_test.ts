import assert from "node:assert/strict";
import { studentTCdf, studentTQuantile } from "../../src/stats/student_t.ts";
import { assertClose } from "../_util/assert_close.ts";

Deno.test("studentTCdf() matches the closed forms for ν = 1 and ν = 2", () => {
  for (const t of [-5, -1, -0.3, 0, 0.3, 1, 2.5, 30]) {
    // ν = 1 (Cauchy): F = ½ + atan(t)/π. ν = 2: F = ½ + t/(2√(2 + t²)).
    // Continued-fraction incomplete beta: ~1e-14 absolute.
    assertClose(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, {
      atol: 1e-13,
    });
    assertClose(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), {
      atol: 1e-13,
    });
  }
});

Deno.test("studentTCdf() for ν = 3 matches its closed form", () => {
  // ν = 3: F = ½ + [t/(√3(1 + t²/3)) + atan(t/√3)]/π.
  for (const t of [-3, -0.5, 0.7, 4]) {
    const u = t / Math.sqrt(3);
    assertClose(
      studentTCdf(t, 3),
      0.5 + (u / (1 + u * u) + Math.atan(u)) / Math.PI,
      {
        atol: 1e-13,
      },
    );
  }
});

Deno.test("studentTQuantile() inverts the closed forms and matches table values", () => {
  for (const p of [0.6, 0.9, 0.975, 0.995]) {
    // Bisection to 1e-13 relative on top of a ~1e-14 CDF.
    assertClose(studentTQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)), {
      rtol: 1e-9,
    });
    assertClose(
      studentTQuantile(p, 2),
      (2 * p - 1) / Math.sqrt(2 * p * (1 - p)),
      {
        rtol: 1e-9,
      },
    );
    assertClose(
      studentTQuantile(1 - p, 2),
      -(2 * p - 1) / Math.sqrt(2 * p * (1 - p)),
      {
        rtol: 1e-9,
      },
    );
  }
  // Printed tables (e.g. Abramowitz & Stegun 26.10): t_{0.975}(10) = 2.228138852, t_{0.995}(30) = 2.749995652.
  assertClose(studentTQuantile(0.975, 10), 2.228138852, { rtol: 1e-9 });
  assertClose(studentTQuantile(0.995, 30), 2.749995652, { rtol: 1e-9 });
  // ν → ∞: the normal quantile z_{0.975} = 1.959963984540054; at ν = 1e8 the difference is O(1/ν).
  assertClose(studentTQuantile(0.975, 1e8), 1.959963984540054, { rtol: 1e-7 });
  assert.equal(studentTQuantile(0.5, 5), 0);
});

Deno.test("Student t functions throw RangeError for bad dof or p", () => {
  assert.throws(() => studentTCdf(1, 0), RangeError);
  assert.throws(() => studentTQuantile(0, 3), RangeError);
  assert.throws(() => studentTQuantile(1, 3), RangeError);
});
