import assert from "node:assert/strict";
import { oscillationPrediction } from "../../src/analysis/oscillation_prediction.ts";
import {
  meanFrequency,
  rfft,
  rfftFrequencies,
} from "../../src/analysis/fft.ts";
import { assertClose } from "../_util/assert_close.ts";

Deno.test("oscillationPrediction() discrete angle equals the argument of the heavy-ball characteristic root", () => {
  for (const beta of [0.5, 0.9, 0.99]) {
    for (const etaH of [0.01, 0.1, 0.5, 1, 2]) {
      const eta = 0.01;
      const p = oscillationPrediction(etaH / eta, { eta, beta });
      // Roots of z² − (1+β−ηh)z + β: Re = (1+β−ηh)/2, Im = √(4β − (1+β−ηh)²)/2 when the discriminant is negative.
      const b = 1 + beta - etaH;
      const disc = 4 * beta - b * b;
      if (disc > 0) {
        const angle = Math.atan2(Math.sqrt(disc) / 2, b / 2);
        assertClose(p.discreteAngle, angle, { rtol: 1e-12 });
        assertClose(p.discreteRadius, Math.hypot(b / 2, Math.sqrt(disc) / 2), {
          rtol: 1e-14,
        });
        assert.ok(p.oscillatesDiscrete);
      } else {
        assert.ok(Number.isNaN(p.discreteAngle) && !p.oscillatesDiscrete);
      }
    }
  }
});

Deno.test("oscillationPrediction() discrete angle matches the zero-crossing rate of the iterated recursion", () => {
  // x_{k+1} = (1+β−ηh)x_k − βx_{k−1}: x_k ∝ √β^k cos(kφ + c), so sign changes occur at rate φ/π per step.
  const eta = 0.05;
  const beta = 0.999;
  for (const h of [0.5, 2, 10]) {
    const p = oscillationPrediction(h, { eta, beta });
    let prev = 1;
    let cur = 1;
    let crossings = 0;
    const steps = 20000;
    for (let k = 0; k < steps; k++) {
      const next = (1 + beta - eta * h) * cur - beta * prev;
      if (Math.sign(next) !== Math.sign(cur) && next !== 0) crossings++;
      prev = cur;
      cur = next;
    }
    // Counting error ≤ 1 crossing: |φ − π·count/steps| ≤ π/steps.
    assertClose(p.discreteAngle, (Math.PI * crossings) / steps, {
      rtol: 0,
      atol: (1.5 * Math.PI) / steps,
    });
  }
});

Deno.test("oscillationPrediction() continuous angle equals η·Im of the roots of m ẍ + (1−β)ẋ + h x = 0", () => {
  // Modified equation (theory.md §2.1): m = η(1+β)/2; roots r = (−(1−β) ± √((1−β)² − 4mh))/(2m).
  for (
    const [eta, beta, h, wd] of [[1e-4, 0.9, 52.8, 0], [1e-2, 0.5, 20, 0.5], [
      1e-3,
      0.99,
      3,
      1e-4,
    ]] as const
  ) {
    const p = oscillationPrediction(h - wd, { eta, beta, weightDecay: wd });
    const m = (eta * (1 + beta)) / 2;
    const disc = 4 * m * h - (1 - beta) ** 2;
    assertClose(p.h, h, { rtol: 1e-15 });
    assertClose(p.continuousAngle, (eta * Math.sqrt(disc)) / (2 * m), {
      rtol: 1e-12,
    });
    // Amplitude decay per step: η·Re(r) = η(1−β)/(2m) = (1−β)/(1+β).
    assertClose(p.continuousDecayPerStep, (eta * (1 - beta)) / (2 * m), {
      rtol: 1e-14,
    });
    assertClose(
      p.continuousFrequency,
      p.continuousAngle / (2 * Math.PI * eta),
      { rtol: 1e-15 },
    );
  }
});

Deno.test("oscillationPrediction() reproduces the numbers of theory.md §4.3", () => {
  // ResNet-18, η = 1e-4, β = 0.9: threshold 26.3; λ₁ = 52.8 ⇒ ≈ 0.053 rad/step, period ≈ 120 steps.
  const p = oscillationPrediction(52.8, { eta: 1e-4, beta: 0.9 });
  assertClose(p.continuousThreshold, 26.3, { rtol: 1e-3 }); // the digest rounds to 3 digits
  assertClose(p.continuousAngle, 0.053, { rtol: 0.01 });
  assertClose((2 * Math.PI) / p.discreteAngle, 120, { rtol: 0.02 });
  // "frequencies agree to < 0.1 % at ηh ~ 5e-3".
  assertClose(p.discreteAngle, p.continuousAngle, { rtol: 1e-3 });
  // η = 1e-5: threshold 263; discrete ηh thresholds (1 ∓ √0.9)² ≈ 0.002633 (vs continuous 0.002632) and 3.8974.
  assertClose(
    oscillationPrediction(1, { eta: 1e-5, beta: 0.9 }).continuousThreshold,
    263,
    { rtol: 1e-3 },
  );
  const d = oscillationPrediction(1, { eta: 1, beta: 0.9 }).discreteThresholds;
  assertClose(d[0], 0.002633, { rtol: 1e-3 });
  assertClose(d[1], (1 + Math.sqrt(0.9)) ** 2, { rtol: 1e-15 });
  // Flags switch at the thresholds.
  const eta = 1e-4;
  const c = p.continuousThreshold;
  assert.ok(
    !oscillationPrediction(c * 0.999, { eta, beta: 0.9 }).oscillatesContinuous,
  );
  assert.ok(
    oscillationPrediction(c * 1.001, { eta, beta: 0.9 }).oscillatesContinuous,
  );
  assert.ok(
    Number.isNaN(
      oscillationPrediction(c * 0.999, { eta, beta: 0.9 }).continuousAngle,
    ),
  );
  const [lo, hi] =
    oscillationPrediction(1, { eta, beta: 0.9 }).discreteThresholds;
  assert.ok(
    !oscillationPrediction(lo * 0.999, { eta, beta: 0.9 }).oscillatesDiscrete,
  );
  assert.ok(
    oscillationPrediction(lo * 1.001, { eta, beta: 0.9 }).oscillatesDiscrete,
  );
  assert.ok(
    oscillationPrediction(hi * 0.999, { eta, beta: 0.9 }).oscillatesDiscrete,
  );
  assert.ok(
    !oscillationPrediction(hi * 1.001, { eta, beta: 0.9 }).oscillatesDiscrete,
  );
});

Deno.test("oscillationPrediction() frequency is the rfft peak of the mean trajectory (spacing η)", () => {
  // Noise-free mode from (x₀ = 1, b₀ = 0) with slow decay (β = 0.999): its amplitude spectrum peaks at φ/(2πη).
  const eta = 0.01;
  const beta = 0.999;
  const h = 30;
  const p = oscillationPrediction(h, { eta, beta });
  const n = 4096;
  const x = new Float64Array(n);
  x[0] = 1;
  x[1] = 1 - eta * h; // first step from rest: θ₁ = θ₀ − η h θ₀
  for (let k = 1; k < n - 1; k++) {
    x[k + 1] = (1 + beta - eta * h) * x[k]! - beta * x[k - 1]!;
  }
  const { re, im } = rfft(x);
  const f = rfftFrequencies(n, eta);
  let best = 1;
  for (let k = 1; k < re.length; k++) {
    if (Math.hypot(re[k]!, im[k]!) > Math.hypot(re[best]!, im[best]!)) best = k;
  }
  // The peak bin is within one bin width 1/(nη) of the line.
  assertClose(f[best]!, p.discreteFrequency, { rtol: 0, atol: 1 / (n * eta) });
  // The notebook's amplitude-weighted mean is pulled up by the line's 1/|f − f₀| tails (a property of the
  // statistic, not of the prediction): it is above the peak.
  assert.ok(meanFrequency(x, eta) > p.discreteFrequency);
});

Deno.test("oscillationPrediction() validates its inputs", () => {
  assert.throws(
    () => oscillationPrediction(1, { eta: 0, beta: 0.9 }),
    RangeError,
  );
  assert.throws(
    () => oscillationPrediction(1, { eta: 1, beta: 1 }),
    RangeError,
  );
  assert.throws(
    () => oscillationPrediction(-1, { eta: 1, beta: 0.5 }),
    RangeError,
  );
  assert.throws(
    () => oscillationPrediction(1, { eta: 1, beta: 0.5, weightDecay: -1 }),
    RangeError,
  );
  const p0 = oscillationPrediction(1.5, { eta: 1, beta: 0 });
  assert.ok(
    Number.isNaN(p0.discreteAngle) && Number.isNaN(p0.discreteThresholds[0]),
  );
});
