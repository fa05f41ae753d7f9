import { defineBenchmark } from "../src/bench/types.ts";
import { simulateQuadraticSgd } from "../src/sim/simulate_quadratic_sgd.ts";
import { sampleStationaryStart } from "../src/sim/stationary_start.ts";
import { columnMeanStderr, meanStderr } from "../src/stats/group_statistics.ts";
import {
  discreteModeAngularMomentum,
  discreteModeStationary,
} from "../src/theory/discrete_mode.ts";
import { modeAngularMomentum } from "../src/theory/fokker_planck.ts";
import { continuousErrorBudget } from "../src/theory/error_budget.ts";
import {
  EXACT_AND_CONTINUOUS,
  simulationDiverged,
  unstableModeMessage,
} from "./_shared.ts";

/**
 * C10 — stationary phase-space angular momentum E[x_k Δv_k − v_k Δx_k]/η of one Hessian eigen-mode of heavy-ball
 * SGD (v = Δθ/η = −b), against the exact discrete value −s/(S(1−β)) and the continuous −2Z = −2s/(S(1−β²))
 * (theory.md §3.4, C10). The two predictions differ by the factor (1+β)/2 at any η.
 */
export const phaseSpaceAngularMomentum = defineBenchmark({
  id: "phase_space_angular_momentum",
  version: 1,
  title:
    "Phase-space angular momentum per mode: exact discrete −s/(S(1−β)) vs continuous −2Z (C10)",
  paperRef:
    "Kunin et al. 2024, probability current J = −QU z·p (theory.md §3.4, C10)",
  grid: {
    beta: [0, 0.5, 0.9, 0.99],
    etaH: [0.01, 0.3, 1.5],
  },
  quickGrid: { beta: [0, 0.9], etaH: [0.01, 1.5] },
  metrics: {
    angularMomentum: {
      unit: "param²/time²",
      better: "none",
      kind: "accuracy",
      description:
        "E[x_k Δv_k − v_k Δx_k]/η per unit time (t = ηk) from a stationary start, averaged over steps; stderr over independent chain groups",
      references: EXACT_AND_CONTINUOUS,
    },
    ratioToContinuous: {
      unit: "1",
      better: "none",
      kind: "accuracy",
      description:
        "measured angular momentum divided by the continuous −2Z; theory: exactly (1+β)/2",
      references: { exact: { rule: "zscore", maxAbsZ: 4 } },
    },
  },
  run(params, { rng, quick }) {
    const beta = Number(params.beta);
    const etaH = Number(params.etaH);
    const eta = 0.1;
    const batchSize = 1;
    const h = etaH / eta;
    const s = h; // Σ = σ²H with σ² = 1
    const hp = { eta, beta, batchSize };
    if (etaH >= 2 * (1 + beta)) {
      return { metrics: {}, diverged: unstableModeMessage(etaH, beta) };
    }
    const groups = 16;
    const chains = quick ? 64 : 256;
    const steps = quick ? 2000 : 6000;
    const every = 2;
    const recordSteps = Array.from(
      { length: Math.floor(steps / every) },
      (_, r) => r * every,
    );
    const nr = recordSteps.length;
    const groupMeans = new Float64Array(groups);
    // Plot: per-step ensemble means averaged in ≤ 100 time bins, per group (stderr over groups).
    const bins = Math.min(100, nr);
    const per = Math.floor(nr / bins);
    const binMeans: Float64Array[] = [];
    const st = discreteModeStationary([h], [s], hp);
    for (let g = 0; g < groups; g++) {
      const start = sampleStationaryStart(st, chains, rng);
      const res = simulateQuadraticSgd({
        eigenvalues: [h],
        eta,
        beta,
        batchSize,
        noiseVariances: [s],
        initialOffsets: start.x,
        initialBuffer: start.b,
        chains,
        steps,
        record: { steps: recordSteps },
      }, rng);
      if (res.status !== "ok") {
        return simulationDiverged(res, false);
      }
      let acc = 0;
      const bm = new Float64Array(bins);
      for (let r = 0; r < nr; r++) {
        const l = res.record.angularMomentum[r]! / eta;
        acc += l;
        const j = Math.floor(r / per);
        if (j < bins) bm[j]! += l / per;
      }
      binMeans.push(bm);
      groupMeans[g] = acc / nr;
    }
    const { value: mean, stderr } = meanStderr(groupMeans);
    const exact = discreteModeAngularMomentum([h], [s], hp)[0]!;
    const continuous = modeAngularMomentum([s], hp)[0]!;
    const budget = continuousErrorBudget([h], [s], hp).maxRatio;
    const factor = (1 + beta) / 2;
    const breakReason =
      `discrete = (1+β)/2 × continuous = ${factor} × continuous at any η (single-step effect, theory.md §7.1 C10)`;
    const binStats = columnMeanStderr(binMeans);
    const px = Array.from({ length: bins }, (_, j) => recordSteps[j * per]!);
    const py = Array.from(binStats.value);
    const pe = Array.from(binStats.stderr);
    return {
      metrics: {
        angularMomentum: {
          value: mean,
          stderr,
          n: groups,
          stderrMethod:
            `independent chain groups (${groups} groups × ${chains} chains)`,
          references: {
            exact: { value: exact },
            continuous: {
              value: continuous,
              budget,
              ...(beta < 1 ? { expectedBreak: breakReason } : {}),
            },
          },
        },
        ratioToContinuous: {
          value: mean / continuous,
          stderr: stderr / Math.abs(continuous),
          n: groups,
          stderrMethod:
            `independent chain groups (${groups} groups × ${chains} chains)`,
          references: { exact: { value: exact / continuous } },
        },
      },
      plots: [{
        id: `angular_momentum_beta${beta}_etaH${etaH}`,
        title:
          `Angular momentum per unit time, β = ${beta}, ηh = ${etaH} (stationary start)`,
        xLabel: "step k",
        yLabel: "E[x Δv − v Δx]/η",
        lines: [
          {
            label: "measured (bin means)",
            role: "measured",
            x: px,
            y: py,
            stderr: pe,
          },
          {
            label: "exact discrete −s/(S(1−β))",
            role: "exact",
            x: [px[0]!, px[px.length - 1]!],
            y: [exact, exact],
          },
          {
            label: "continuous −2Z",
            role: "continuous",
            x: [px[0]!, px[px.length - 1]!],
            y: [continuous, continuous],
          },
        ],
      }],
      notes: [
        `one mode, η = ${eta}, h = ${
          h.toPrecision(6)
        }, s = σ²h (σ² = 1), S = ${batchSize}`,
        `${groups} groups × ${chains} chains started from the exact discrete stationary law of (x, b); ${steps} steps, every ${every}-th step recorded; no burn-in needed`,
        `measured/continuous = ${(mean / continuous).toFixed(4)} ± ${
          (stderr / Math.abs(continuous)).toFixed(4)
        } (theory (1+β)/2 = ${factor})`,
      ],
    };
  },
});
