import assert from "node:assert/strict";
import { flattenParams } from "../../src/nn/flatten_params.ts";
import { createMlp } from "../../src/nn/models/mlp.ts";
import {
  logSpacedSteps,
  runContinuation,
} from "../../src/nn/run_continuation.ts";
import { analyzeTrajectory } from "../../src/nn/trajectory_analysis.ts";
import {
  exponentCell,
  hessianCell,
  projectionsCell,
  speedCell,
} from "../../src/nn/trajectory_cells.ts";
import { Rng } from "../../src/random/rng.ts";
import { assertClose } from "../_util/assert_close.ts";
import { jacobiEigen } from "../analysis/_dense.ts";
import { useBackend } from "./models/_torch_fixture.ts";

await useBackend("cpu");

const IN = 3;
const K = 3;
const N = 30;

/** Closed-form softmax-regression quantities in float64: per-example gradients and the dense Hessian. */
function logisticReference(
  w: ArrayLike<number>,
  b: ArrayLike<number>,
  x: Float32Array,
  y: Float32Array,
) {
  const d = IN * K + K;
  const grads: Float64Array[] = [];
  const hess = new Float64Array(d * d);
  const idx = (j: number, k: number) => (j < IN ? j * K + k : IN * K + k); // j = IN is the bias "input" 1
  for (let i = 0; i < N; i++) {
    const xi = [...x.subarray(i * IN, i * IN + IN), 1];
    const z = Array.from(
      { length: K },
      (_, k) =>
        b[k]! + [0, 1, 2].reduce((s, j) => s + xi[j]! * w[j * K + k]!, 0),
    );
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const sum = e.reduce((s, v) => s + v, 0);
    const p = e.map((v) => v / sum);
    const g = new Float64Array(d);
    for (let j = 0; j <= IN; j++) {
      for (let k = 0; k < K; k++) {
        g[idx(j, k)] = xi[j]! * (p[k]! - y[i * K + k]!);
      }
    }
    grads.push(g);
    // ∂²ℓ/∂W_jk∂W_lm = x_j x_l (δ_km p_k − p_k p_m), with the bias as input 1.
    for (let j = 0; j <= IN; j++) {
      for (let l = 0; l <= IN; l++) {
        for (let k = 0; k < K; k++) {
          for (let mm = 0; mm < K; mm++) {
            const a = (k === mm ? p[k]! : 0) - p[k]! * p[mm]!;
            hess[idx(j, k) * d + idx(l, mm)] =
              hess[idx(j, k) * d + idx(l, mm)]! + (xi[j]! * xi[l]! * a) / N;
          }
        }
      }
    }
  }
  const mean = new Float64Array(d);
  for (const g of grads) g.forEach((v, j) => (mean[j] = mean[j]! + v / N));
  let traceSigma = 0;
  for (const g of grads) {
    g.forEach((v, j) => (traceSigma += (v - mean[j]!) ** 2 / N));
  }
  return { d, hess, traceSigma };
}

Deno.test("analyzeTrajectory() matches closed-form Hessian, tr Σ, projections and an exact power law (softmax regression)", async () => {
  const rng = Rng.fromSeed(21n);
  const net = createMlp({ inputShape: [IN], hidden: [], numClasses: K }, rng);
  const x = Float32Array.from({ length: N * IN }, () => rng.normal());
  const y = new Float32Array(N * K);
  for (let i = 0; i < N; i++) y[i * K + rng.int(K)] = 1;
  const ref = logisticReference(
    net.params.get("fc1.weight")!.dataSync(),
    net.params.get("fc1.bias")!.dataSync(),
    x,
    y,
  );
  const exact = jacobiEigen({ n: ref.d, data: ref.hess });
  let top = 0;
  exact.values.forEach((v, i) => (top = v > exact.values[top]! ? i : top));
  const lambda1 = exact.values[top]!;
  const u1 = exact.vectors[top]!;
  // Sign convention of lanczosEigen: the entry of largest magnitude is positive.
  let big = 0;
  u1.forEach((v, i) => (big = Math.abs(v) > Math.abs(u1[big]!) ? i : big));
  const sign = u1[big]! > 0 ? 1 : -1;

  // Synthetic trajectory: ‖θ_k − θ₀‖² = k^1.5 exactly, constant-plus-pattern speeds, checkpoints moved along u₁.
  const steps = 200;
  const stepCol = Float64Array.from({ length: steps }, (_, k) => k);
  const dispSq = Float64Array.from(stepCol, (k) => k ** 1.5);
  const stepSq = Float64Array.from(
    stepCol,
    (k) => 1e-6 * (1 + 0.1 * Math.sin(k)),
  );
  const lean = new Map([["step", stepCol], ["dispSq", dispSq], [
    "stepSq",
    stepSq,
  ]]);
  const theta0 = flattenParams(net.params);
  const ckSteps = logSpacedSteps(steps);
  const c = (s: number) => 0.5 * Math.sin(0.3 * s);
  const v = (s: number) => 0.2 * Math.cos(0.3 * s);
  const hp = { eta: 0.01, beta: 0.9, batchSize: 5, weightDecay: 1e-3 };
  const a = await analyzeTrajectory({
    name: "synthetic",
    hyperparameters: hp,
    datasetSize: N,
    sampling: "with-replacement",
    lean,
    net,
    data: { x, y, count: N },
    checkpointSteps: ckSteps,
    loadCheckpoint: (s) => ({
      theta: Float32Array.from(theta0, (t, i) => t + c(s) * sign * u1[i]!),
      buffer: Float32Array.from(u1, (u) => v(s) * sign * u),
    }),
  }, {
    hessianK: 2,
    rng: Rng.fromSeed(3n),
    now: () => 0,
    hutchinsonSamples: 0,
  });

  // float32 HVPs (Lanczos) vs the float64 closed form.
  assertClose(a.hessian.values[0]!, lambda1, { rtol: 1e-5 }, "λ₁");
  // float32 per-example gradients through tfjs.
  assertClose(a.speed.traceSigma, ref.traceSigma, { rtol: 1e-5 }, "tr Σ");
  assertClose(
    a.speed.predicted,
    (hp.eta ** 2 * ref.traceSigma) / (hp.batchSize * (1 - hp.beta ** 2)),
    { rtol: 1e-5 },
    "η²trΣ/(S(1−β²)), i.i.d. batches",
  );
  const tail = stepSq.subarray(steps / 2);
  assertClose(
    a.speed.plateau.plateau,
    tail.reduce((s, q) => s + q, 0) / tail.length,
    { rtol: 1e-12 },
    "plateau",
  );
  // Exact power law: the OLS slope is 1.5 to round-off on any window.
  assertClose(a.exponent!.fit.exponent, 1.5, { atol: 1e-10 }, "c");
  assert.ok(
    a.exponent!.bootstrap.ci[0] <= 1.5 + 1e-9 &&
      1.5 - 1e-9 <= a.exponent!.bootstrap.ci[1],
  );
  assert.deepEqual(a.exponent!.window, [67, 199]);
  // Projections on u₁ recover the displacement and buffer coefficients (θ stored in float32).
  const p = a.projections!;
  p.steps.forEach((s, j) => {
    assertClose(p.positions[0]![j]!, c(s), { atol: 1e-6 }, `u₁ᵀ(θ_${s} − θ₀)`);
    assertClose(p.velocities[0]![j]!, v(s), { atol: 1e-6 }, `u₁ᵀb_${s}`);
  });
  net.dispose();
});

Deno.test("runContinuation() lean columns agree with its checkpoints and with η²‖b_{k+1}‖²", () => {
  const rng = Rng.fromSeed(22n);
  const net = createMlp({ inputShape: [IN], hidden: [4], numClasses: K }, rng);
  const x = Float32Array.from({ length: N * IN }, () => rng.normal());
  const y = new Float32Array(N * K);
  for (let i = 0; i < N; i++) y[i * K + rng.int(K)] = 1;
  const hp = { eta: 0.05, beta: 0.8, batchSize: 6, weightDecay: 1e-3 };
  const run = runContinuation(net, { x, y, count: N }, {
    pretrain: { ...hp, steps: 20 },
    hyperparameters: hp,
    steps: 40,
    rng,
  });
  const theta0 = run.checkpoints.get(0)!.theta;
  assert.deepEqual(
    Array.from(flattenParams(net.params)),
    Array.from(theta0),
    "net holds θ₀ again",
  );
  const lean = (c: string) => run.lean.get(c)!;
  for (const s of run.checkpointSteps.filter((s) => s < 40)) {
    const { theta, buffer } = run.checkpoints.get(s)!;
    let disp = 0;
    let b2 = 0;
    theta.forEach((t, i) => (disp += (t - theta0[i]!) ** 2));
    buffer.forEach((q) => (b2 += q * q));
    assertClose(
      lean("dispSq")[s]!,
      disp,
      { rtol: 1e-12, atol: 1e-300 },
      `dispSq[${s}]`,
    );
    assertClose(
      lean("bufferNormSq")[s]!,
      b2,
      { rtol: 1e-12, atol: 1e-300 },
      `bufferNormSq[${s}]`,
    );
  }
  for (let k = 0; k + 1 < 40; k++) {
    // θ_{k+1} − θ_k = −η·b_{k+1} in float32 arithmetic: equal to ~1e-6 relative.
    assertClose(
      lean("stepSq")[k]!,
      hp.eta ** 2 * lean("bufferNormSq")[k + 1]!,
      { rtol: 1e-4 },
      `stepSq[${k}]`,
    );
  }
  net.dispose();
});

Deno.test("analyzeTrajectory() takes projections from the generator's per-step series: b_k from the SGD update, tail variances, slope", async () => {
  const rng = Rng.fromSeed(5n);
  const net = createMlp({ inputShape: [IN], hidden: [], numClasses: K }, rng);
  const x = Float32Array.from({ length: N * IN }, () => rng.normal());
  const y = new Float32Array(N * K);
  for (let i = 0; i < N; i++) y[i * K + rng.int(K)] = 1;
  const steps = 200;
  const eta = 0.01;
  const stepCol = Float64Array.from({ length: steps }, (_, k) => k);
  const lean = new Map([
    ["step", stepCol],
    ["dispSq", Float64Array.from(stepCol, (k) => k + 1)],
    ["stepSq", Float64Array.from(stepCol, () => 1e-6)],
  ]);
  // Two directions with known buffers b_k (b_0 = 0 after the reset) and positions from θ_k = θ_{k−1} − ηb_k.
  const amp = [2, 0.5];
  const buffers = amp.map((a, i) =>
    Float64Array.from(
      stepCol,
      (k) => (k === 0 ? 0 : a * Math.cos((0.2 + 0.1 * i) * k)),
    )
  );
  const series = buffers.map((b) => {
    const p = new Float64Array(steps);
    for (let k = 1; k < steps; k++) p[k] = p[k - 1]! - eta * b[k]!;
    return p;
  });
  const a = await analyzeTrajectory({
    name: "per-step",
    hyperparameters: { eta, beta: 0.9, batchSize: 5, weightDecay: 1e-3 },
    datasetSize: N,
    sampling: "with-replacement",
    lean,
    net,
    data: { x, y, count: N },
    checkpointSteps: [0],
    loadCheckpoint: () => {
      throw new Error("per-step projections need no checkpoint");
    },
    stepProjections: { eigenvalues: [3, 1], series },
  }, {
    hessianK: 1,
    rng: Rng.fromSeed(3n),
    now: () => 0,
    hutchinsonSamples: 0,
  });
  const p = a.projections!;
  assert.equal(p.source, "steps");
  assert.deepEqual(p.eigenvalues, [3, 1]);
  assert.equal(p.steps.length, steps);
  for (let i = 0; i < 2; i++) {
    for (let k = 0; k < steps; k++) {
      assertClose(
        p.velocities[i]![k]!,
        buffers[i]![k]!,
        { atol: 1e-9 },
        `b_${k}`,
      );
      assert.equal(p.positions[i]![k], series[i]![k]);
    }
  }
  // Independent route: tail k ≥ (K−1)/2, variances by plain sums (the normalisation cancels in the ratios).
  const tailVar = (v: Float64Array) => {
    const t = v.subarray(100);
    const m = t.reduce((s, q) => s + q, 0) / t.length;
    return t.reduce((s, q) => s + (q - m) ** 2, 0);
  };
  const pv = series.map(tailVar);
  const bv = buffers.map(tailVar);
  assertClose(
    p.isotropyRatio!,
    Math.max(...pv) / Math.min(...pv),
    { rtol: 1e-9 },
    "isotropy",
  );
  assertClose(
    p.velocitySlope!.slope,
    Math.log(bv[0]! / bv[1]!) / Math.log(3),
    { rtol: 1e-9 },
    "slope",
  );
  net.dispose();
});

Deno.test("the analysis cells' accuracy outputs and notes do not depend on the clock (reproducible digests)", async () => {
  const run = async (now: () => number) => {
    const rng = Rng.fromSeed(8n);
    const net = createMlp({ inputShape: [IN], hidden: [], numClasses: K }, rng);
    const x = Float32Array.from({ length: N * IN }, () => rng.normal());
    const y = new Float32Array(N * K);
    for (let i = 0; i < N; i++) y[i * K + rng.int(K)] = 1;
    const hp = { eta: 0.05, beta: 0.9, batchSize: 8, weightDecay: 0 };
    const c = runContinuation(net, { x, y, count: N }, {
      pretrain: { ...hp, steps: 20 },
      hyperparameters: hp,
      steps: 40,
      rng,
    });
    const a = await analyzeTrajectory({
      name: "clock",
      hyperparameters: hp,
      datasetSize: N,
      sampling: "without-replacement",
      lean: c.lean,
      net,
      data: { x, y, count: N },
      checkpointSteps: c.checkpointSteps,
      loadCheckpoint: (s) => c.checkpoints.get(s)!,
    }, { hessianK: 2, rng: Rng.fromSeed(9n), now, hutchinsonSamples: 2 });
    net.dispose();
    return [speedCell(a), exponentCell(a), hessianCell(a), projectionsCell(a)]
      .map((cell) => ({
        notes: cell.notes,
        plots: cell.plots,
        accuracy: Object.fromEntries(
          Object.entries(cell.metrics).filter(([name]) =>
            !["lanczosSeconds", "secondsPerHvp"].includes(name)
          ),
        ),
      }));
  };
  let t = 0;
  assert.deepEqual(await run(() => (t += 1234.5)), await run(() => 0));
});
