import { defineBenchmark } from "../src/bench/types.ts";
import type { MetricValue, PlotLine } from "../src/bench/types.ts";
import { logSpacedSteps } from "../src/sim/log_spaced_steps.ts";
import { simulateQuadraticSgd } from "../src/sim/simulate_quadratic_sgd.ts";
import { columnMeanStderr } from "../src/stats/group_statistics.ts";
import { groupJackknife } from "../src/stats/jackknife.ts";
import { logLogWindowFit } from "../src/stats/log_log_window_fit.ts";
import {
  continuousMsdFromOffset,
  discreteMsdFromOffset,
} from "../src/theory/msd.ts";
import { continuousErrorBudget } from "../src/theory/error_budget.ts";
import { momentumBuildUpSteps } from "../src/theory/relaxation_time.ts";
import { EXACT_AND_CONTINUOUS, simulationDiverged } from "./_shared.ts";

const FIXED_K = [1, 10, 100, 1000] as const;

/**
 * C13 — mean squared displacement E‖θ_k − θ₀‖² of heavy-ball SGD started at an offset a from the minimum with
 * zero momentum buffer, on a diagonal quadratic with Σ = σ²H, against the exact discrete recursion
 * (discreteMsdFromOffset) and the continuous OU prediction Σ_i[a_i²(1−ρ_i)² + Var x_i(t)] (theory.md §4.4, C13):
 * values at fixed k (k = 1 inside the momentum build-up, where the continuous model breaks, theory.md §7.2) and
 * the local exponent in a window after the build-up where the ballistic relaxation of the offsets makes the
 * motion superdiffusive (exponent > 1).
 */
export const msdFromOffset = defineBenchmark({
  id: "msd_from_offset",
  version: 1,
  title:
    "MSD from an offset start: exact discrete vs continuous, build-up and superdiffusive window (C13)",
  paperRef:
    "Kunin et al. 2024, anomalous diffusion ‖Δ_k‖² ∝ k^c (theory.md §4.4, §7.2, C13)",
  grid: { beta: [0.5, 0.9], sigma2: [0.01, 0.1] },
  quickGrid: { sigma2: [0.01] },
  metrics: {
    ...Object.fromEntries(FIXED_K.map((k) => [`msdK${k}`, {
      unit: "param²",
      better: "none" as const,
      kind: "accuracy" as const,
      description: `E‖θ_k − θ₀‖² at k = ${k}${
        k === 1
          ? " (momentum build-up: continuous model expected to break)"
          : ""
      }; stderr over independent chain groups`,
      references: EXACT_AND_CONTINUOUS,
    }])),
    localExponent: {
      unit: "1",
      better: "none",
      kind: "accuracy",
      description:
        "OLS slope of ln MSD on ln k over the log-spaced record steps in [4k_b, 12k_b], k_b = (1+β)/(2(1−β)), on the ensemble-mean curve; stderr by jackknife over independent chain groups",
      references: EXACT_AND_CONTINUOUS,
    },
  },
  run(params, { rng, quick }) {
    const beta = Number(params.beta);
    const sigma2 = Number(params.sigma2);
    const eta = 0.01;
    const batchSize = 1;
    const d = 16;
    // Curvatures log-spaced in [1e-4, 0.1] (ηh ∈ [1e-6, 1e-3]); isotropic offset a_i = 0.1; Σ = σ²H.
    const h = Float64Array.from(
      { length: d },
      (_, i) => 1e-4 * 1000 ** (i / (d - 1)),
    );
    const s = h.map((x) => sigma2 * x);
    const a = new Float64Array(d).fill(0.1);
    const hp = { eta, beta, batchSize };
    const kb = momentumBuildUpSteps(beta);
    const k1 = Math.round(4 * kb);
    const k2 = Math.round(12 * kb);
    const kMax = FIXED_K[FIXED_K.length - 1]!;
    const ks = logSpacedSteps(1, kMax, 50, [...FIXED_K, k1, k2]);
    const groups = 16;
    const chains = quick ? 64 : 256;
    const nk = ks.length;
    const groupMsd: Float64Array[] = [];
    for (let g = 0; g < groups; g++) {
      const res = simulateQuadraticSgd({
        eigenvalues: h,
        eta,
        beta,
        batchSize,
        noiseVariances: s,
        startOffset: a,
        chains,
        steps: kMax + 1,
        record: { steps: ks },
      }, rng);
      if (res.status !== "ok") {
        return simulationDiverged(res, false);
      }
      groupMsd.push(res.record.msd);
    }
    const { value: meanCurve, stderr: seCurve } = columnMeanStderr(groupMsd);
    const exactCurve = ks.map((k) => discreteMsdFromOffset(k, a, h, s, hp));
    const contCurve = ks.map((k) =>
      continuousMsdFromOffset(eta * k, a, h, s, hp)
    );
    const maxRatio = continuousErrorBudget(h, s, hp).maxRatio;
    const metrics: Record<string, MetricValue> = {};
    const method =
      `independent chain groups (${groups} groups × ${chains} chains)`;
    for (const k of FIXED_K) {
      const j = ks.indexOf(k);
      const buildUp = k <= kb;
      // Continuous budget: the O(ηh) term plus, after the build-up, a one-step lag between the discrete and the
      // continuous clock, which changes an MSD growing at most like k² by ≤ 2/k (theory.md §7.2).
      const budget = buildUp ? maxRatio : maxRatio + 2 / k;
      metrics[`msdK${k}`] = {
        value: meanCurve[j]!,
        stderr: seCurve[j]!,
        n: groups,
        stderrMethod: method,
        references: {
          exact: { value: exactCurve[j]! },
          continuous: {
            value: contCurve[j]!,
            budget,
            ...(buildUp
              ? {
                expectedBreak:
                  `momentum build-up: k = ${k} ≤ (1+β)/(2(1−β)) = ${
                    kb.toFixed(1)
                  }; the first discrete step already moves by −ηĝ₀ (theory.md §7.2)`,
              }
              : {}),
          },
        },
      };
    }
    // Local exponent on the ensemble-mean curve, jackknife over groups.
    const slopeOf = (y: ArrayLike<number>) =>
      logLogWindowFit(ks, y, k1, k2).slope;
    const slope = slopeOf(meanCurve);
    const slopeSe = groupJackknife(groupMsd, slopeOf).stderr;
    const exactSlope = slopeOf(exactCurve);
    const contSlope = slopeOf(contCurve);
    metrics.localExponent = {
      value: slope,
      stderr: slopeSe,
      n: groups,
      stderrMethod: `jackknife over ${groups} independent chain groups`,
      references: {
        exact: { value: exactSlope },
        // Relative budget: the O(ηh) term plus the 2/k lag term at the window start.
        continuous: { value: contSlope, budget: maxRatio + 2 / k1 },
      },
    };
    // Plot (log–log): measured ± stderr, exact and continuous on a dense grid, fitted line over the window.
    const dense = logSpacedSteps(1, kMax, 120);
    // Prefactor of the fitted line: mean of ln MSD − slope·ln k over the window.
    let lnA = 0;
    let nIn = 0;
    ks.forEach((k, j) => {
      if (k < k1 || k > k2) return;
      lnA += Math.log(meanCurve[j]!) - slope * Math.log(k);
      nIn++;
    });
    const fitA = Math.exp(lnA / nIn);
    const lines: PlotLine[] = [
      {
        label: "measured",
        role: "measured",
        x: ks,
        y: Array.from(meanCurve),
        stderr: Array.from(seCurve),
      },
      {
        label: "exact discrete",
        role: "exact",
        x: dense,
        y: dense.map((k) => discreteMsdFromOffset(k, a, h, s, hp)),
      },
      {
        label: "continuous",
        role: "continuous",
        x: dense,
        y: dense.map((k) => continuousMsdFromOffset(eta * k, a, h, s, hp)),
      },
      {
        label: `fit k^${slope.toFixed(3)} on [${k1}, ${k2}]`,
        role: "fit",
        x: [k1, k2],
        y: [fitA * k1 ** slope, fitA * k2 ** slope],
      },
    ];
    return {
      metrics,
      plots: [{
        id: `msd_offset_beta${beta}_sigma2${sigma2}`,
        title: `MSD from an offset start, β = ${beta}, σ² = ${sigma2}`,
        xLabel: "step k",
        yLabel: "E‖θ_k − θ₀‖²",
        xLog: true,
        yLog: true,
        lines,
      }],
      notes: [
        `${d} modes, h log-spaced in [1e-4, 0.1], η = ${eta} (ηh ≤ 1e-3), S = ${batchSize}, Σ = σ²H, offsets a_i = 0.1, b₀ = 0`,
        `${groups} groups × ${chains} chains, ${
          kMax + 1
        } steps, ${nk} log-spaced record steps`,
        `exponent window [4k_b, 12k_b] = [${k1}, ${k2}] with build-up k_b = (1+β)/(2(1−β)) = ${
          kb.toFixed(1)
        }`,
      ],
    };
  },
});
