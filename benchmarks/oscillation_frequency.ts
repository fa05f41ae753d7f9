import { defineBenchmark } from "../src/bench/types.ts";
import { simulateQuadraticSgd } from "../src/sim/simulate_quadratic_sgd.ts";
import { sampleStationaryStart } from "../src/sim/stationary_start.ts";
import { meanStderr } from "../src/stats/group_statistics.ts";
import { jackknifeStandardError } from "../src/stats/jackknife.ts";
import { continuousErrorBudget } from "../src/theory/error_budget.ts";
import {
  continuousAnglePerStep,
  continuousOscillationThreshold,
  discreteOscillation,
} from "../src/theory/oscillations.ts";
import {
  discreteModeAutocorrelation,
  discreteModeStationary,
} from "../src/theory/discrete_mode.ts";
import { modeAutocorrelation } from "../src/theory/continuous_mode.ts";
import {
  EXACT_AND_CONTINUOUS,
  simulationDiverged,
  unstableModeMessage,
} from "./_shared.ts";

/** Normal-equation sums of the AR(2) regression x_k ≈ p₁x_{k−1} + p₂x_{k−2} (zero mean). */
interface Ar2Sums {
  s11: number;
  s12: number;
  s22: number;
  s01: number;
  s02: number;
}

function ar2Sums(x: ArrayLike<number>): Ar2Sums {
  let s11 = 0;
  let s12 = 0;
  let s22 = 0;
  let s01 = 0;
  let s02 = 0;
  for (let k = 2; k < x.length; k++) {
    const a = x[k - 1]!;
    const b = x[k - 2]!;
    const y = x[k]!;
    s11 += a * a;
    s12 += a * b;
    s22 += b * b;
    s01 += y * a;
    s02 += y * b;
  }
  return { s11, s12, s22, s01, s02 };
}

/** Least-squares AR(2) coefficients from pooled sums, and q = p₁/(2√(−p₂)) (= cos of the root angle if ≤ 1). */
function ar2Cos(t: Ar2Sums): number {
  const det = t.s11 * t.s22 - t.s12 * t.s12;
  const p1 = (t.s01 * t.s22 - t.s02 * t.s12) / det;
  const p2 = (t.s11 * t.s02 - t.s12 * t.s01) / det;
  return p2 < 0 ? p1 / (2 * Math.sqrt(-p2)) : Infinity;
}

function angleFromCos(q: number): number {
  return Math.acos(Math.min(1, Math.max(-1, q)));
}

/**
 * C9 — oscillation of a Hessian eigen-mode of heavy-ball SGD: the characteristic roots of the AR(2) recursion
 * x_{k+1} = (1+β−ηh)x_k − βx_{k−1} − ηξ_k, measured by a least-squares AR(2) fit (equivalently Yule–Walker on
 * the stationary lag-1 and lag-2 autocorrelations) on long stationary single-chain series, reported as
 * q = p₁/(2√(−p₂)) (q = cos φ when the roots are complex, q > 1 for real roots: no oscillation) and as the angle
 * per step φ = arccos(min(q, 1)); against the exact discrete (1+β−ηh)/(2√β), arccos(·) and the continuous
 * e^{−Aη} roots: cos(ηΩ) (underdamped) or cosh(η√(γ²−ω²)) (overdamped), ηΩ (theory.md §4.3, C9).
 */
export const oscillationFrequency = defineBenchmark({
  id: "oscillation_frequency",
  version: 1,
  title:
    "Oscillation angle per step of a mode: AR(2) fit vs exact arccos((1+β−ηh)/(2√β)) vs continuous ηΩ (C9)",
  paperRef:
    "Kunin et al. 2024, phase-space oscillations and threshold (theory.md §4.3, C9)",
  grid: {
    beta: [0.9, 0.99],
    etaH: [1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 3],
  },
  quickGrid: { etaH: [1e-5, 1e-3, 0.1, 3] },
  metrics: {
    rootCosine: {
      unit: "1",
      better: "none",
      kind: "accuracy",
      description:
        "q = p₁/(2√(−p₂)) of a least-squares AR(2) fit on stationary single-chain series (pooled over groups): q = cos φ if the roots are complex, q > 1 means real roots (no oscillation); stderr by jackknife over independent chains",
      references: EXACT_AND_CONTINUOUS,
    },
    anglePerStep: {
      unit: "rad/step",
      better: "none",
      kind: "accuracy",
      description:
        "φ = arccos(min(q, 1)) of the fitted AR(2) roots (0 = no oscillation); stderr by jackknife over independent chains",
      references: EXACT_AND_CONTINUOUS,
    },
  },
  run(params, { rng, quick }) {
    const beta = Number(params.beta);
    const etaH = Number(params.etaH);
    const eta = 0.01;
    const batchSize = 1;
    const h = etaH / eta;
    const s = h;
    const hp = { eta, beta, batchSize };
    if (etaH >= 2 * (1 + beta)) {
      return { metrics: {}, diverged: unstableModeMessage(etaH, beta) };
    }
    const groups = 16;
    const steps = quick ? 20000 : 100000;
    const st = discreteModeStationary([h], [s], hp);
    // Lags of the autocorrelation plot: ~1.5 periods (complex roots) or 3 relaxation times, ≤ 100 lags.
    const osc = discreteOscillation(h, hp);
    const relax = 1 / Math.max(1e-12, 1 - osc.modulus);
    const span = osc.complex && osc.anglePerStep > 0
      ? Math.max(10, 1.5 * 2 * Math.PI / osc.anglePerStep)
      : 3 * relax;
    const maxLag = Math.min(Math.floor(steps / 10), Math.ceil(span));
    const lagStep = Math.max(1, Math.ceil(maxLag / 100));
    const lags: number[] = [];
    for (let n = 0; n <= maxLag; n += lagStep) lags.push(n);
    const sums: Ar2Sums[] = [];
    const acov = new Float64Array(groups * lags.length);
    for (let g = 0; g < groups; g++) {
      const start = sampleStationaryStart(st, 1, rng);
      const res = simulateQuadraticSgd({
        eigenvalues: [h],
        eta,
        beta,
        batchSize,
        noiseVariances: [s],
        initialOffsets: start.x,
        initialBuffer: start.b,
        chains: 1,
        steps,
        record: { trajectoryModes: 1 },
      }, rng);
      if (res.status !== "ok") {
        return simulationDiverged(res, false);
      }
      const x = res.record.trajectory!.theta;
      sums.push(ar2Sums(x));
      const n = x.length;
      for (let j = 0; j < lags.length; j++) {
        const lag = lags[j]!;
        let acc = 0;
        for (let k = 0; k + lag < n; k++) acc += x[k]! * x[k + lag]!;
        acov[g * lags.length + j] = acc / (n - lag);
      }
    }
    const total = (skip: number): Ar2Sums => {
      const t = { s11: 0, s12: 0, s22: 0, s01: 0, s02: 0 };
      sums.forEach((u, g) => {
        if (g === skip) return;
        t.s11 += u.s11;
        t.s12 += u.s12;
        t.s22 += u.s22;
        t.s01 += u.s01;
        t.s02 += u.s02;
      });
      return t;
    };
    const q = ar2Cos(total(-1));
    const phi = angleFromCos(q);
    const jack = (f: (q: number) => number): number =>
      jackknifeStandardError(
        Array.from({ length: groups }, (_, g) => f(ar2Cos(total(g)))),
      );
    const qSe = jack((v) => v);
    const phiSe = jack(angleFromCos);
    const exactQ = (1 + beta - etaH) / (2 * Math.sqrt(beta));
    const exactPhi = osc.anglePerStep;
    // Continuous per-step roots e^{(−γ ± iΩ)η}: q = cos(ηΩ), or cosh(η√(γ²−ω²)) when overdamped.
    const gEta = (1 - beta) / (1 + beta);
    const w2Eta2 = 2 * etaH / (1 + beta);
    const contQ = w2Eta2 >= gEta * gEta
      ? Math.cos(Math.sqrt(w2Eta2 - gEta * gEta))
      : Math.cosh(Math.sqrt(gEta * gEta - w2Eta2));
    const contPhi = continuousAnglePerStep(h, hp);
    const ratio = continuousErrorBudget([h], [s], hp).maxRatio;
    const breakRef = ratio > 0.1
      ? {
        expectedBreak: `ηh/(2(1+β)) = ${
          ratio.toFixed(3)
        }: not ≪ 1, the continuous frequency has O(ηh) errors`,
      }
      : {};
    const thresholdDiscrete = (1 - Math.sqrt(beta)) ** 2;
    const thresholdCont = continuousOscillationThreshold(hp) * eta;
    const verdictText = (v: number) =>
      v > 1 ? "no oscillation (real roots)" : "oscillates (complex roots)";
    // Plot: stationary autocorrelation of x, measured (pooled) ± stderr over groups, exact and continuous.
    const nl = lags.length;
    const rho = new Float64Array(nl);
    const rhoSe = new Float64Array(nl);
    for (let j = 0; j < nl; j++) {
      const e = meanStderr(
        Array.from(
          { length: groups },
          (_, g) => acov[g * nl + j]! / acov[g * nl]!,
        ),
      );
      rho[j] = e.value;
      rhoSe[j] = e.stderr;
    }
    return {
      metrics: {
        rootCosine: {
          value: q,
          stderr: qSe,
          n: groups,
          stderrMethod: `jackknife over ${groups} independent chains`,
          references: {
            exact: { value: exactQ },
            continuous: { value: contQ, budget: ratio, ...breakRef },
          },
        },
        anglePerStep: {
          value: phi,
          stderr: phiSe,
          n: groups,
          stderrMethod: `jackknife over ${groups} independent chains`,
          references: {
            exact: { value: exactPhi },
            continuous: { value: contPhi, budget: ratio, ...breakRef },
          },
        },
      },
      plots: [{
        id: `autocorrelation_beta${beta}_etaH${etaH}`,
        title:
          `Stationary autocorrelation of a mode, β = ${beta}, ηh = ${etaH}`,
        xLabel: "lag n (steps)",
        yLabel: "ρ_n",
        lines: [
          {
            label: "measured",
            role: "measured",
            x: lags,
            y: Array.from(rho),
            stderr: Array.from(rhoSe),
          },
          {
            label: "exact discrete",
            role: "exact",
            x: lags,
            y: lags.map((n) => discreteModeAutocorrelation(n, h, hp)),
          },
          {
            label: "continuous",
            role: "continuous",
            x: lags,
            y: lags.map((n) => modeAutocorrelation(eta * n, h, hp)),
          },
        ],
      }],
      notes: [
        `one mode, η = ${eta}, ηh = ${etaH}, Σ = σ²H (σ² = 1), S = 1; ${groups} independent chains × ${steps} steps from the exact stationary law (no burn-in), AR(2) normal equations pooled over chains`,
        `thresholds: discrete (1−√β)² = ${
          thresholdDiscrete.toPrecision(4)
        }, continuous (1−β)²/(2(1+β)) = ${
          thresholdCont.toPrecision(4)
        } (in ηh)`,
        `measured: ${verdictText(q)} (q = ${q.toPrecision(7)} ± ${
          qSe.toPrecision(2)
        }); exact: ${verdictText(exactQ)} (q = ${
          exactQ.toPrecision(7)
        }); continuous: ${verdictText(contQ)} (q = ${contQ.toPrecision(7)})`,
      ],
    };
  },
});
