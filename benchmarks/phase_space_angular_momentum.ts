import { defineBenchmark } from "../src/bench/types.ts";
import type { Rng } from "../src/random/rng.ts";
import { simulateQuadraticSgd } from "../src/sim/simulate_quadratic_sgd.ts";
import {
  discreteModeAngularMomentum,
  discreteModeStationary,
} from "../src/theory/discrete_mode.ts";
import { modeAngularMomentum } from "../src/theory/fokker_planck.ts";
import { continuousErrorBudget } from "../src/theory/error_budget.ts";

/** Draws `chains` exact stationary (x, b) states of one mode (chains × 1 arrays). */
function stationaryStart(
  chains: number,
  h: number,
  s: number,
  hp: { eta: number; beta: number; batchSize: number },
  rng: Rng,
): { x: Float64Array; b: Float64Array } {
  const st = discreteModeStationary([h], [s], hp);
  const vx = st.varX[0]!;
  const cxb = st.covXB[0]!;
  const vb = st.varB[0]!;
  const sx = Math.sqrt(vx);
  const l21 = cxb / sx;
  const l22 = Math.sqrt(Math.max(0, vb - l21 * l21));
  const x = new Float64Array(chains);
  const b = new Float64Array(chains);
  for (let c = 0; c < chains; c++) {
    const z1 = rng.normal();
    const z2 = rng.normal();
    x[c] = sx * z1;
    b[c] = l21 * z1 + l22 * z2;
  }
  return { x, b };
}

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
      references: {
        exact: { rule: "zscore", maxAbsZ: 4 },
        continuous: { rule: "budget", maxAbsZ: 4 },
      },
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
      return {
        metrics: {},
        diverged: `unstable: ηh = ${etaH} ≥ 2(1+β) = ${2 * (1 + beta)}`,
      };
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
    const binMeans = new Float64Array(groups * bins);
    for (let g = 0; g < groups; g++) {
      const start = stationaryStart(chains, h, s, hp, rng);
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
        return {
          metrics: {},
          diverged: `simulation diverged at step ${res.divergedAtStep}`,
        };
      }
      let acc = 0;
      for (let r = 0; r < nr; r++) {
        const l = res.record.angularMomentum[r]! / eta;
        acc += l;
        const j = Math.floor(r / per);
        if (j < bins) binMeans[g * bins + j]! += l / per;
      }
      groupMeans[g] = acc / nr;
    }
    let mean = 0;
    for (const m of groupMeans) mean += m;
    mean /= groups;
    let ss = 0;
    for (const m of groupMeans) ss += (m - mean) ** 2;
    const stderr = Math.sqrt(ss / (groups - 1) / groups);
    const exact = discreteModeAngularMomentum([h], [s], hp)[0]!;
    const continuous = modeAngularMomentum([s], hp)[0]!;
    const budget = continuousErrorBudget([h], [s], hp).maxRatio;
    const factor = (1 + beta) / 2;
    const breakReason =
      `discrete = (1+β)/2 × continuous = ${factor} × continuous at any η (single-step effect, theory.md §7.1 C10)`;
    const px: number[] = [];
    const py: number[] = [];
    const pe: number[] = [];
    for (let j = 0; j < bins; j++) {
      let m = 0;
      for (let g = 0; g < groups; g++) m += binMeans[g * bins + j]! / groups;
      let v = 0;
      for (let g = 0; g < groups; g++) v += (binMeans[g * bins + j]! - m) ** 2;
      px.push(recordSteps[j * per]!);
      py.push(m);
      pe.push(Math.sqrt(v / (groups - 1) / groups));
    }
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
