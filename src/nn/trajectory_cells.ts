/**
 * Packaging of {@linkcode TrajectoryAnalysis} results as benchmark cells (metrics with references, plots,
 * notes) for `deno task analyze` and the network benchmarks: one metric set per analysis (speed, exponent,
 * Hessian, projections) and one for the cross-run collapse (C15) and exponent trend (C16).
 *
 * @module
 */

import { lossPlateau } from "../analysis/loss_plateau.ts";
import { speedCollapse } from "../analysis/speed_collapse.ts";
import type {
  CellOutput,
  MetricSpec,
  MetricValue,
  Plot,
  PlotLine,
} from "../bench/types.ts";
import type { TrajectoryAnalysis } from "./trajectory_analysis.ts";

/** Did the loss stop falling? Last 10 % of each phase vs the 10 % before (`lossPlateau`). */
export const PLATEAU_METRICS: Readonly<Record<string, MetricSpec>> = {
  pretrainLossEnd: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description:
      "Mean batch loss over the last 10 % of pretraining (null when the fixture records no pretraining losses)",
  },
  pretrainLossChange: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description:
      "Relative change of the mean batch loss between the last two tenths of pretraining (≈ 0 on a plateau)",
  },
  continuationLossChange: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description:
      "Relative change of the mean batch loss between the last two tenths of the continuation (≈ 0 in the limiting regime)",
  },
};

/**
 * Result cell: whether the loss had stopped falling in each phase (last two tenths, {@linkcode lossPlateau}).
 *
 * @param pretrainLoss Pretraining batch losses (null when the run records none).
 * @param continuationLoss Continuation batch losses (the lean column "loss").
 * @returns Metrics of {@linkcode PLATEAU_METRICS} and a note.
 */
export function plateauCell(
  pretrainLoss: ArrayLike<number> | null,
  continuationLoss: ArrayLike<number>,
): CellOutput {
  const pre = pretrainLoss === null ? null : lossPlateau(pretrainLoss);
  const cont = lossPlateau(continuationLoss);
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  return {
    metrics: {
      pretrainLossEnd: { value: pre?.last ?? NaN },
      pretrainLossChange: { value: pre?.relativeChange ?? NaN },
      continuationLossChange: { value: cont.relativeChange },
    },
    notes: [
      (pre === null
        ? "Pretraining losses: not recorded in this fixture. "
        : `Pretraining: mean batch loss ${pre.previous.toPrecision(4)} → ${
          pre.last.toPrecision(4)
        } over the last two tenths (${pre.window} steps each; ${
          pct(pre.relativeChange)
        }). `) +
      `Continuation: ${cont.previous.toPrecision(4)} → ${
        cont.last.toPrecision(4)
      } (${cont.window} steps each; ${pct(cont.relativeChange)}).`,
    ],
  };
}

/** Metrics of {@linkcode speedCell}. */
export const SPEED_METRICS: Readonly<Record<string, MetricSpec>> = {
  speedPlateau: {
    unit: "param²",
    better: "none",
    kind: "accuracy",
    description:
      "Plateau of ‖θ_{k+1} − θ_k‖² (mean of the last half of the run, batch-means stderr) vs η²·trΣ/(S(1−β²)) with trΣ measured at θ₀",
    references: { continuous: { rule: "budget", maxAbsZ: 4 } },
  },
  traceSigma: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description:
      "tr Σ of the per-example loss gradients at θ₀ (BatchNorm eval mode), stderr sd(‖gᵢ‖²)/√N",
  },
  speedRatio: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description: "Measured plateau / predicted speed (informational)",
  },
  driftSpeed: {
    unit: "param²",
    better: "none",
    kind: "accuracy",
    description:
      "η²‖∇L(θ₀) + λθ₀‖²/(1−β)², the speed the mean drift at θ₀ alone would give (informational)",
  },
};

/** Metrics of {@linkcode exponentCell}. */
export const EXPONENT_METRICS: Readonly<Record<string, MetricSpec>> = {
  exponent: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description:
      "Anomalous exponent c of ‖θ_k − θ₀‖² ∝ k^c (OLS on log–log over the stated window), stderr from a moving-block bootstrap",
  },
  exponentCiLow: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description: "Lower end of the 95 % block-bootstrap interval of c",
  },
  exponentCiHigh: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description: "Upper end of the 95 % block-bootstrap interval of c",
  },
};

/** Metrics of {@linkcode hessianCell}. */
export const HESSIAN_METRICS: Readonly<Record<string, MetricSpec>> = {
  lambdaMax: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description:
      "Largest Hessian eigenvalue λ₁ by Lanczos (subset, eval-mode BatchNorm)",
  },
  lambdaK: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description: "k-th largest Hessian eigenvalue λ_k",
  },
  maxRelResidual: {
    unit: "1",
    better: "lower",
    kind: "accuracy",
    description:
      "max over the k pairs of ‖H·u − λu‖/|λ₁| (H·u from the stored Lanczos HVPs, not the recurrence estimate)",
  },
  hessianTrace: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description:
      "Hutchinson estimate of tr H (Rademacher probes), stderr over probes",
  },
  secondsPerHvp: {
    unit: "s",
    better: "lower",
    kind: "cost",
    description:
      "Wall time of one Hessian-vector product over the whole subset (Lanczos phase)",
  },
  lanczosSeconds: {
    unit: "s",
    better: "lower",
    kind: "cost",
    description: "Wall time of the Lanczos top-k run including residual HVPs",
  },
};

/** Metrics of {@linkcode projectionsCell}. */
export const PROJECTION_METRICS: Readonly<Record<string, MetricSpec>> = {
  isotropyRatio: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description:
      "max/min over modes of Var(uᵢᵀθ) in the tail (C4: ≈1 when λᵢ ≫ λ; informational)",
  },
  velocityVarianceSlope: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description:
      "Slope of ln Var(uᵢᵀb) on ln λᵢ over the modes (prediction 1 when Σ ∝ H; informational), OLS stderr",
  },
  oscillatingModes: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description:
      "Number of the k modes with complex discrete roots, (1−√β)² < η(λᵢ+λ) < (1+√β)² (prediction)",
  },
  topModeFrequency: {
    unit: "1/time",
    better: "none",
    kind: "accuracy",
    description:
      "Mean FFT frequency of the top direction's projection (per-step projections if stored, else a uniformly spaced checkpoint run; cycles per unit t = ηk; informational)",
  },
};

/** Metrics of {@linkcode collapseCell}. */
export const COLLAPSE_METRICS: Readonly<Record<string, MetricSpec>> = {
  collapseConstant: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description:
      "Inverse-variance mean of ‖δ‖²·S(1−β²)/η² over the runs (the calibrated σ²·tr H, C15)",
  },
  collapseChi2PerDof: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description:
      "χ²/dof of the constant fit (≈1 when the η²/(S(1−β²)) scaling holds within the errors)",
  },
  exponentSpread: {
    unit: "1",
    better: "none",
    kind: "accuracy",
    description:
      "max − min of the fitted exponents c across the runs (C16, qualitative)",
  },
};

function downsample(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  max = 500,
  log = false,
): { x: number[]; y: number[] } {
  const n = Math.min(x.length, y.length);
  if (n <= max) {
    return { x: Array.from(x).slice(0, n), y: Array.from(y).slice(0, n) };
  }
  const idx = new Set<number>();
  for (let q = 0; q < max; q++) {
    idx.add(
      log
        ? Math.min(
          n - 1,
          Math.round(Math.exp((Math.log(n) * q) / (max - 1))) - 1,
        )
        : Math.round(((n - 1) * q) / (max - 1)),
    );
  }
  const sorted = [...idx].sort((a, b) => a - b);
  return { x: sorted.map((i) => x[i]!), y: sorted.map((i) => y[i]!) };
}

/**
 * The speed cell: plateau vs the prediction (a `continuous` reference with its a-priori budget), tr Σ, ratio
 * and drift speed; a plot of the speed per step with the moving average and the predicted level.
 *
 * @param a The analysis.
 * @returns The cell.
 * @example speedCell() of a small run
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { oneHot } from "../data/one_hot.ts";
 * import { Rng } from "../random/rng.ts";
 * import { registerRepairedKernels } from "./kernels/mod.ts";
 * import { createMlp } from "./models/mlp.ts";
 * import { runContinuation } from "./run_continuation.ts";
 * import { analyzeTrajectory } from "./trajectory_analysis.ts";
 * import { speedCell } from "./trajectory_cells.ts";
 *
 * registerRepairedKernels();
 * await tf.setBackend("cpu");
 * const rng = Rng.fromSeed(1n);
 * const n = 40;
 * const x = Float32Array.from({ length: 3 * n }, () => rng.normal());
 * const y = oneHot(Array.from({ length: n }, (_, i) => (x[3 * i]! > 0 ? 1 : 0)), 2);
 * const net = createMlp({ inputShape: [3], hidden: [], numClasses: 2 }, rng);
 * const hp = { eta: 0.05, beta: 0.9, batchSize: 8, weightDecay: 0 };
 * const run = runContinuation(net, { x, y, count: n }, { pretrain: { ...hp, steps: 50 }, hyperparameters: hp, steps: 40, rng });
 * const a = await analyzeTrajectory({
 *   name: "demo", hyperparameters: hp, datasetSize: n, sampling: "without-replacement", lean: run.lean, net,
 *   data: { x, y, count: n }, checkpointSteps: run.checkpointSteps, loadCheckpoint: (s) => run.checkpoints.get(s)!,
 * }, { hessianK: 2, rng, now: () => 0, hutchinsonSamples: 0 });
 * const cell = speedCell(a);
 * assert.ok(cell.metrics.speedPlateau!.references!.continuous!.value > 0);
 * net.dispose();
 * ```
 */
export function speedCell(a: TrajectoryAnalysis): CellOutput {
  const s = a.speed;
  const p = s.plateau;
  const ref = {
    value: s.predicted,
    budget: s.budget,
    ...(s.expectedBreak !== null ? { expectedBreak: s.expectedBreak } : {}),
  };
  const metrics: Record<string, MetricValue> = {
    speedPlateau: {
      value: p.plateau,
      stderr: p.standardError,
      n: p.batches,
      stderrMethod: `batch means (${p.batches} batches)`,
      references: { continuous: ref },
    },
    traceSigma: {
      value: s.traceSigma,
      stderr: s.traceSigmaStderr,
      n: s.sigmaExamples,
      stderrMethod: "independent examples (sd of ‖gᵢ‖²/√N)",
    },
    speedRatio: { value: p.plateau / s.predicted },
    driftSpeed: { value: s.driftSpeed },
  };
  const raw = downsample(
    Array.from(s.steps, (k) => k + 1),
    s.speeds,
    500,
    true,
  );
  const ma = downsample(
    Array.from(
      p.movingAverage,
      (_, j) => s.steps[j + p.movingAverageOffset]! + 1,
    ),
    p.movingAverage,
    500,
    true,
  );
  const first = s.steps[0]! + 1;
  const last = s.steps[s.steps.length - 1]! + 1;
  const plots: Plot[] = [{
    id: "speed",
    title: `Speed per step, ${a.name}`,
    xLabel: "step k + 1",
    yLabel: "‖θ_{k+1} − θ_k‖²",
    xLog: true,
    yLog: true,
    lines: [
      { label: "measured", role: "measured", ...raw },
      { label: "moving average (15)", role: "other", ...ma },
      {
        label: "η²·trΣ/(S(1−β²))",
        role: "continuous",
        x: [first, last],
        y: [s.predicted, s.predicted],
      },
      {
        label: "plateau",
        role: "fit",
        x: [s.steps[p.tailStart]! + 1, last],
        y: [p.plateau, p.plateau],
      },
    ],
  }];
  return { metrics, plots, notes: a.notes };
}

/**
 * The exponent cell: c with its bootstrap interval, a log–log plot of ‖θ_k − θ₀‖² with the fit line.
 *
 * @param a The analysis.
 * @returns The cell (`diverged` when no exponent could be fitted).
 * @example exponentCell() of a small run
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { oneHot } from "../data/one_hot.ts";
 * import { Rng } from "../random/rng.ts";
 * import { registerRepairedKernels } from "./kernels/mod.ts";
 * import { createMlp } from "./models/mlp.ts";
 * import { runContinuation } from "./run_continuation.ts";
 * import { analyzeTrajectory } from "./trajectory_analysis.ts";
 * import { exponentCell } from "./trajectory_cells.ts";
 *
 * registerRepairedKernels();
 * await tf.setBackend("cpu");
 * const rng = Rng.fromSeed(1n);
 * const n = 40;
 * const x = Float32Array.from({ length: 3 * n }, () => rng.normal());
 * const y = oneHot(Array.from({ length: n }, (_, i) => (x[3 * i]! > 0 ? 1 : 0)), 2);
 * const net = createMlp({ inputShape: [3], hidden: [], numClasses: 2 }, rng);
 * const hp = { eta: 0.05, beta: 0.9, batchSize: 8, weightDecay: 0 };
 * const run = runContinuation(net, { x, y, count: n }, { pretrain: { ...hp, steps: 50 }, hyperparameters: hp, steps: 40, rng });
 * const a = await analyzeTrajectory({
 *   name: "demo", hyperparameters: hp, datasetSize: n, sampling: "without-replacement", lean: run.lean, net,
 *   data: { x, y, count: n }, checkpointSteps: run.checkpointSteps, loadCheckpoint: (s) => run.checkpoints.get(s)!,
 * }, { hessianK: 2, rng, now: () => 0, hutchinsonSamples: 0 });
 * const cell = exponentCell(a);
 * assert.ok("exponent" in cell.metrics || cell.diverged !== undefined);
 * net.dispose();
 * ```
 */
export function exponentCell(a: TrajectoryAnalysis): CellOutput {
  const e = a.exponent;
  if (e === null) {
    return {
      metrics: {},
      diverged: "no exponent: too few positive ‖θ_k − θ₀‖² in the window",
      notes: a.notes,
    };
  }
  const b = e.bootstrap;
  const metrics: Record<string, MetricValue> = {
    exponent: {
      value: e.fit.exponent,
      stderr: b.standardError,
      n: b.points,
      stderrMethod:
        `moving-block residual bootstrap (block ${b.blockLength}, ${b.resamples} resamples)`,
    },
    exponentCiLow: { value: b.ci[0] },
    exponentCiHigh: { value: b.ci[1] },
  };
  const d = downsample(e.steps, e.msd, 500, true);
  const lines: PlotLine[] = [
    { label: "‖θ_k − θ₀‖²", role: "measured", ...d },
    {
      label: `fit c = ${e.fit.exponent.toFixed(3)} on [${e.window[0]}, ${
        e.window[1]
      }]`,
      role: "fit",
      x: [e.fit.window[0], e.fit.window[1]],
      y: [
        e.fit.prefactor * e.fit.window[0] ** e.fit.exponent,
        e.fit.prefactor * e.fit.window[1] ** e.fit.exponent,
      ],
    },
  ];
  return {
    metrics,
    plots: [{
      id: "msd",
      title: `Distance from the start, ${a.name}`,
      xLabel: "step k",
      yLabel: "‖θ_k − θ₀‖²",
      xLog: true,
      yLog: true,
      lines,
    }],
    notes: a.notes,
  };
}

/**
 * The Hessian cell: λ₁, λ_k, the largest relative residual, the Hutchinson trace and the costs; a plot of the
 * spectrum with residuals.
 *
 * @param a The analysis.
 * @returns The cell.
 * @example hessianCell() of a small run
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { oneHot } from "../data/one_hot.ts";
 * import { Rng } from "../random/rng.ts";
 * import { registerRepairedKernels } from "./kernels/mod.ts";
 * import { createMlp } from "./models/mlp.ts";
 * import { runContinuation } from "./run_continuation.ts";
 * import { analyzeTrajectory } from "./trajectory_analysis.ts";
 * import { hessianCell } from "./trajectory_cells.ts";
 *
 * registerRepairedKernels();
 * await tf.setBackend("cpu");
 * const rng = Rng.fromSeed(1n);
 * const n = 40;
 * const x = Float32Array.from({ length: 3 * n }, () => rng.normal());
 * const y = oneHot(Array.from({ length: n }, (_, i) => (x[3 * i]! > 0 ? 1 : 0)), 2);
 * const net = createMlp({ inputShape: [3], hidden: [], numClasses: 2 }, rng);
 * const hp = { eta: 0.05, beta: 0.9, batchSize: 8, weightDecay: 0 };
 * const run = runContinuation(net, { x, y, count: n }, { pretrain: { ...hp, steps: 50 }, hyperparameters: hp, steps: 40, rng });
 * const a = await analyzeTrajectory({
 *   name: "demo", hyperparameters: hp, datasetSize: n, sampling: "without-replacement", lean: run.lean, net,
 *   data: { x, y, count: n }, checkpointSteps: run.checkpointSteps, loadCheckpoint: (s) => run.checkpoints.get(s)!,
 * }, { hessianK: 2, rng, now: () => 0, hutchinsonSamples: 0 });
 * const cell = hessianCell(a);
 * assert.ok(cell.metrics.lambdaMax!.value >= cell.metrics.lambdaK!.value);
 * net.dispose();
 * ```
 */
export function hessianCell(a: TrajectoryAnalysis): CellOutput {
  const h = a.hessian;
  const k = h.values.length;
  const scale = Math.abs(h.values[0]!);
  let maxRes = 0;
  for (const r of h.residuals) maxRes = Math.max(maxRes, r / scale);
  const metrics: Record<string, MetricValue> = {
    lambdaMax: { value: h.values[0]! },
    lambdaK: { value: h.values[k - 1]! },
    maxRelResidual: { value: maxRes },
    secondsPerHvp: { value: h.lanczosMs / 1000 / h.lanczosHvps },
    lanczosSeconds: { value: h.lanczosMs / 1000 },
  };
  metrics.hessianTrace = h.trace === null ? { value: NaN } : {
    value: h.trace.estimate,
    stderr: h.trace.standardError,
    n: h.trace.values.length,
    stderrMethod: "independent probes",
  };
  const idx = Array.from({ length: k }, (_, i) => i + 1);
  return {
    metrics,
    plots: [{
      id: "spectrum",
      title: `Top-${k} Hessian eigenvalues, ${a.name}`,
      xLabel: "index i",
      yLabel: "λᵢ and ‖H·uᵢ − λᵢuᵢ‖",
      yLog: true,
      lines: [
        {
          label: "λᵢ (|λ| if negative)",
          role: "measured",
          x: idx,
          y: Array.from(h.values, Math.abs),
        },
        {
          label: "residual ‖H·u − λu‖",
          role: "other",
          x: idx,
          y: Array.from(h.residuals),
        },
      ],
    }],
    notes: [
      ...a.notes,
      `Eigenvalues: ${
        Array.from(h.values, (v) => v.toPrecision(5)).join(", ")
      }; residuals: ${
        Array.from(h.residuals, (v) => v.toExponential(2)).join(", ")
      }; ${h.lanczosHvps} HVPs${
        h.converged ? "" : " (tolerance not met at maxIter)"
      } (wall time: the lanczosSeconds cost metric; notes stay clock-free so the cell digest is reproducible)`,
    ],
  };
}

/**
 * The projection cell: isotropy ratio, velocity-variance slope, oscillating-mode count and the top mode's
 * FFT frequency; plots: phase portraits (position vs velocity of u₁ and u_k), the position and velocity
 * planes (u₁, u_k), velocity variance vs λᵢ, and measured vs predicted frequencies.
 *
 * @param a The analysis.
 * @returns The cell (`diverged` when there are no projections).
 * @example projectionsCell() of a small run
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { oneHot } from "../data/one_hot.ts";
 * import { Rng } from "../random/rng.ts";
 * import { registerRepairedKernels } from "./kernels/mod.ts";
 * import { createMlp } from "./models/mlp.ts";
 * import { runContinuation } from "./run_continuation.ts";
 * import { analyzeTrajectory } from "./trajectory_analysis.ts";
 * import { projectionsCell } from "./trajectory_cells.ts";
 *
 * registerRepairedKernels();
 * await tf.setBackend("cpu");
 * const rng = Rng.fromSeed(1n);
 * const n = 40;
 * const x = Float32Array.from({ length: 3 * n }, () => rng.normal());
 * const y = oneHot(Array.from({ length: n }, (_, i) => (x[3 * i]! > 0 ? 1 : 0)), 2);
 * const net = createMlp({ inputShape: [3], hidden: [], numClasses: 2 }, rng);
 * const hp = { eta: 0.05, beta: 0.9, batchSize: 8, weightDecay: 0 };
 * const run = runContinuation(net, { x, y, count: n }, { pretrain: { ...hp, steps: 50 }, hyperparameters: hp, steps: 40, rng });
 * const a = await analyzeTrajectory({
 *   name: "demo", hyperparameters: hp, datasetSize: n, sampling: "without-replacement", lean: run.lean, net,
 *   data: { x, y, count: n }, checkpointSteps: run.checkpointSteps, loadCheckpoint: (s) => run.checkpoints.get(s)!,
 * }, { hessianK: 2, rng, now: () => 0, hutchinsonSamples: 0 });
 * const cell = projectionsCell(a);
 * assert.ok(cell.plots!.some((p) => p.type === "scatter"));
 * net.dispose();
 * ```
 */
export function projectionsCell(a: TrajectoryAnalysis): CellOutput {
  const p = a.projections;
  if (p === null) {
    return {
      metrics: {},
      diverged: "no projections: fewer than 2 checkpoints",
      notes: a.notes,
    };
  }
  const k = p.positions.length;
  const metrics: Record<string, MetricValue> = {
    oscillatingModes: {
      value:
        p.oscillation.filter((o) => o.prediction?.oscillatesDiscrete === true)
          .length,
    },
  };
  // Unavailable values are NaN (stored as null): too few tail checkpoints or no uniform run for the FFT.
  metrics.isotropyRatio = { value: p.isotropyRatio ?? NaN };
  metrics.velocityVarianceSlope = p.velocitySlope === null ? { value: NaN } : {
    value: p.velocitySlope.slope,
    ...(Number.isFinite(p.velocitySlope.standardError)
      ? {
        stderr: p.velocitySlope.standardError,
        n: k,
        stderrMethod: "OLS over modes",
      }
      : {}),
  };
  metrics.topModeFrequency = {
    value: (p.stepOscillation ?? p.oscillation)[0]?.measuredFrequency ?? NaN,
  };
  const last = k - 1;
  const plots: Plot[] = [
    {
      id: "phase_u1",
      title: `Phase portrait along u₁ (λ₁ = ${
        p.eigenvalues[0]!.toPrecision(4)
      }), ${a.name}`,
      xLabel: "u₁ᵀ(θ_k − θ₀)",
      yLabel: "u₁ᵀb_k",
      type: "scatter",
      lines: [{
        label: p.source === "steps" ? "steps" : "checkpoints",
        role: "measured",
        x: Array.from(p.positions[0]!),
        y: Array.from(p.velocities[0]!),
      }],
    },
    {
      id: "phase_uk",
      title: `Phase portrait along u_${k} (λ = ${
        p.eigenvalues[last]!.toPrecision(4)
      }), ${a.name}`,
      xLabel: `u_${k}ᵀ(θ_k − θ₀)`,
      yLabel: `u_${k}ᵀb_k`,
      type: "scatter",
      lines: [{
        label: p.source === "steps" ? "steps" : "checkpoints",
        role: "measured",
        x: Array.from(p.positions[last]!),
        y: Array.from(p.velocities[last]!),
      }],
    },
    {
      id: "positions_plane",
      title: `Positions in the (u₁, u_${k}) plane, ${a.name}`,
      xLabel: "u₁ᵀ(θ_k − θ₀)",
      yLabel: `u_${k}ᵀ(θ_k − θ₀)`,
      type: "scatter",
      lines: [{
        label: p.source === "steps" ? "steps" : "checkpoints",
        role: "measured",
        x: Array.from(p.positions[0]!),
        y: Array.from(p.positions[last]!),
      }],
    },
    {
      id: "velocities_plane",
      title: `Velocities in the (u₁, u_${k}) plane, ${a.name}`,
      xLabel: "u₁ᵀb_k",
      yLabel: `u_${k}ᵀb_k`,
      type: "scatter",
      lines: [{
        label: p.source === "steps" ? "steps" : "checkpoints",
        role: "measured",
        x: Array.from(p.velocities[0]!),
        y: Array.from(p.velocities[last]!),
      }],
    },
  ];
  if (p.velocityVariances !== null) {
    const xs: number[] = [];
    const ys: number[] = [];
    const pv: number[] = [];
    p.eigenvalues.forEach((l, i) => {
      if (l > 0 && p.velocityVariances![i]! > 0) {
        xs.push(l);
        ys.push(p.velocityVariances![i]!);
        pv.push(p.positionVariances![i]!);
      }
    });
    if (xs.length > 0) {
      plots.push({
        id: "variance_vs_lambda",
        title: `Tail variances vs λᵢ, ${a.name}`,
        xLabel: "λᵢ",
        yLabel: "variance",
        xLog: true,
        yLog: true,
        type: "scatter",
        lines: [
          { label: "Var(uᵢᵀb)", role: "measured", x: xs, y: ys },
          { label: "Var(uᵢᵀθ)", role: "measured", x: xs, y: pv },
        ],
      });
    }
  }
  const fx: number[] = [];
  const fm: number[] = [];
  const fp: number[] = [];
  const osc = p.stepOscillation ??
    p.oscillation.map((o, i) => ({ ...o, eigenvalue: p.eigenvalues[i]! }));
  for (const o of osc) {
    if (o.measuredFrequency !== null) {
      fx.push(o.eigenvalue);
      fm.push(o.measuredFrequency);
      fp.push(
        o.prediction && Number.isFinite(o.prediction.discreteFrequency)
          ? o.prediction.discreteFrequency
          : 0,
      );
    }
  }
  if (fx.length > 0) {
    plots.push({
      id: "frequency_vs_lambda",
      title: `Oscillation frequency vs λᵢ, ${a.name}`,
      xLabel: "λᵢ",
      yLabel: "cycles per unit time (t = ηk)",
      type: "scatter",
      lines: [
        {
          label: "measured (FFT mean frequency)",
          role: "measured",
          x: fx,
          y: fm,
        },
        {
          label: "exact discrete φᵢ/(2πη) (0 = overdamped)",
          role: "exact",
          x: fx,
          y: fp,
        },
      ],
    });
  }
  const t = p.oscillation[0]?.prediction;
  return {
    metrics,
    plots,
    notes: [
      ...a.notes,
      t
        ? `Oscillation thresholds (discrete): (1−√β)²/η − λ = ${
          (t.discreteThresholds[0] - a.hyperparameters.weightDecay).toPrecision(
            4,
          )
        } < λᵢ; continuous: (1−β)²/(2η(1+β)) − λ = ${
          (t.continuousThreshold - a.hyperparameters.weightDecay).toPrecision(4)
        }`
        : "No positive eigenvalue: no oscillation prediction",
    ],
  };
}

/**
 * The cross-run cell (several trajectories): speed collapse ‖δ‖²·S(1−β²)/η² (C15) and the fitted exponents
 * per run (C16, qualitative).
 *
 * @param runs The analyses (≥ 2).
 * @returns The cell.
 * @throws {RangeError} With fewer than 2 runs.
 * @example collapseCell() of a small run
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { oneHot } from "../data/one_hot.ts";
 * import { Rng } from "../random/rng.ts";
 * import { registerRepairedKernels } from "./kernels/mod.ts";
 * import { createMlp } from "./models/mlp.ts";
 * import { runContinuation } from "./run_continuation.ts";
 * import { analyzeTrajectory } from "./trajectory_analysis.ts";
 * import { collapseCell } from "./trajectory_cells.ts";
 *
 * registerRepairedKernels();
 * await tf.setBackend("cpu");
 * const rng = Rng.fromSeed(1n);
 * const n = 40;
 * const x = Float32Array.from({ length: 3 * n }, () => rng.normal());
 * const y = oneHot(Array.from({ length: n }, (_, i) => (x[3 * i]! > 0 ? 1 : 0)), 2);
 * const net = createMlp({ inputShape: [3], hidden: [], numClasses: 2 }, rng);
 * const hp = { eta: 0.05, beta: 0.9, batchSize: 8, weightDecay: 0 };
 * const run = runContinuation(net, { x, y, count: n }, { pretrain: { ...hp, steps: 50 }, hyperparameters: hp, steps: 40, rng });
 * const a = await analyzeTrajectory({
 *   name: "demo", hyperparameters: hp, datasetSize: n, sampling: "without-replacement", lean: run.lean, net,
 *   data: { x, y, count: n }, checkpointSteps: run.checkpointSteps, loadCheckpoint: (s) => run.checkpoints.get(s)!,
 * }, { hessianK: 2, rng, now: () => 0, hutchinsonSamples: 0 });
 * const cell = collapseCell([a, a]); // the same run twice collapses exactly
 * assert.ok(Math.abs(cell.metrics.collapseChi2PerDof!.value) < 1e-12);
 * net.dispose();
 * ```
 */
export function collapseCell(runs: readonly TrajectoryAnalysis[]): CellOutput {
  if (runs.length < 2) {
    throw new RangeError(
      `Cannot build the collapse cell as it needs at least 2 runs: ${runs.length}`,
    );
  }
  const c = speedCollapse(runs.map((r) => ({
    eta: r.hyperparameters.eta,
    beta: r.hyperparameters.beta,
    batchSize: r.hyperparameters.batchSize,
    speed: r.speed.plateau.plateau,
    stderr: r.speed.plateau.standardError,
  })));
  const exps = runs.map((r) => r.exponent?.fit.exponent ?? NaN);
  const finite = exps.filter(Number.isFinite);
  const idx = runs.map((_, i) => i + 1);
  const metrics: Record<string, MetricValue> = {
    collapseConstant: {
      value: c.constant,
      stderr: c.constantStderr,
      n: runs.length,
      stderrMethod: "inverse-variance weighting of per-run batch-means errors",
    },
    collapseChi2PerDof: { value: c.chi2PerDof },
  };
  metrics.exponentSpread = {
    value: finite.length > 0 ? Math.max(...finite) - Math.min(...finite) : NaN,
  };
  return {
    metrics,
    plots: [
      {
        id: "collapse",
        title: "Normalised speed ‖δ‖²·S(1−β²)/η² per run (C15)",
        xLabel: "run",
        yLabel: "‖δ‖²·S(1−β²)/η²",
        type: "scatter",
        lines: [
          {
            label: "measured",
            role: "measured",
            x: idx,
            y: Array.from(c.normalised),
            stderr: Array.from(c.normalisedStderr),
          },
          {
            label: "from tr Σ at θ₀ (per run)",
            role: "continuous",
            x: idx,
            y: runs.map((r) => r.speed.traceSigma * r.speed.samplingFactor),
          },
          {
            label: "fitted constant",
            role: "fit",
            x: [1, runs.length],
            y: [c.constant, c.constant],
          },
        ],
      },
      {
        id: "exponents",
        title: "Fitted exponent c per run (C16)",
        xLabel: "run",
        yLabel: "c",
        type: "scatter",
        lines: [{
          label: "c (±bootstrap stderr)",
          role: "measured",
          x: idx.filter((_, i) => Number.isFinite(exps[i]!)),
          y: finite,
          stderr: runs.filter((_, i) => Number.isFinite(exps[i]!)).map((r) =>
            r.exponent!.bootstrap.standardError
          ),
        }],
      },
    ],
    notes: runs.map((r, i) => {
      const h = r.hyperparameters;
      return `run ${
        i + 1
      } = ${r.name}: η=${h.eta}, β=${h.beta}, S=${h.batchSize}, λ=${h.weightDecay}; ` +
        `plateau ${r.speed.plateau.plateau.toPrecision(4)}, c = ${
          r.exponent ? r.exponent.fit.exponent.toFixed(3) : "n/a"
        }`;
    }),
  };
}
