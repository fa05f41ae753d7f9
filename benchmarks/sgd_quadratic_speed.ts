import { defineBenchmark } from "../src/bench/types.ts";
import { logSpacedSteps, simulateQuadraticSgd } from "../src/sim/mod.ts";
import { meanStderr } from "../src/stats/mod.ts";
import { unstableModes } from "../src/theory/mod.ts";
import {
  EXACT_AND_CONTINUOUS,
  logSpacedModes,
  speedTheory,
} from "./_shared.ts";

/**
 * C1 — stationary instantaneous speed E‖θₖ₊₁ − θₖ‖² of heavy-ball SGD with coupled weight decay on a diagonal
 * quadratic with additive Gaussian gradient noise Σ = σ²H, simulated by src/sim (ziggurat normals), against the
 * exact discrete prediction Σᵢ η²sᵢcᵢ/(S(1−β²)) (theory.md §7.1) and the paper's continuous one
 * η² tr Σ/(S(1−β²)) (§4.1).
 */
export const sgdQuadraticSpeed = defineBenchmark({
  id: "sgd_quadratic_speed",
  version: 1,
  title:
    "Stationary speed of heavy-ball SGD on a noisy quadratic: exact discrete vs continuous (C1)",
  paperRef: "Kunin et al. 2024, instantaneous speed (theory.md §4.1, §7.1, C1)",
  grid: {
    eta: [0.01, 0.05, 0.2],
    beta: [0, 0.9],
    batchSize: [8],
    weightDecay: [0.001],
  },
  quickGrid: { eta: [0.05, 0.2] },
  metrics: {
    speed: {
      unit: "param²/step²",
      better: "none",
      kind: "accuracy",
      description:
        "E‖θₖ₊₁−θₖ‖² after burn-in, averaged over steps; stderr over independent chains",
      references: EXACT_AND_CONTINUOUS,
    },
  },
  run(params, { rng, quick }) {
    const eta = Number(params.eta);
    const beta = Number(params.beta);
    const batchSize = Number(params.batchSize);
    const weightDecay = Number(params.weightDecay);
    const hp = { eta, beta, batchSize };
    const modes = 16;
    const sigma2 = 1;
    // Hessian eigenvalues log-spaced in [0.1, 10]; h = eigenvalue + weight decay; noise s = σ²·eigenvalue.
    const { lam, h, s } = logSpacedModes(modes, weightDecay, sigma2);
    const hMax = Math.max(...h);
    // Exact discrete stability needs 0 < ηh < 2(1+β) for every mode (theory.md §7.1); a mode just past the
    // edge grows too slowly to overflow within the run, so the criterion, not only overflow, marks divergence.
    if (unstableModes(h, hp).length > 0) {
      return {
        metrics: {},
        diverged: `unstable: max ηh = ${(eta * hMax).toFixed(4)} ≥ 2(1+β) = ${
          2 * (1 + beta)
        }`,
      };
    }
    const chains = quick ? 64 : 256;
    // Slowest relaxation of the speed (dominated by stiff modes, but burn in every mode): (1−β)/(ηh_min) steps.
    const tauMax = Math.max(
      ...Array.from(h, (hi) => Math.max(1, (1 - beta) / (eta * hi))),
    );
    const burn = Math.ceil(10 * tauMax);
    const steps = quick ? 2000 : 10000;
    const total = burn + steps;
    // Up to 80 log-spaced updates k + 1 in [1, total], i.e. steps k in [0, total − 1].
    const recordSteps = logSpacedSteps(1, total, 80, [1, total]).map((k) =>
      k - 1
    );
    const res = simulateQuadraticSgd({
      eigenvalues: lam,
      weightDecay,
      eta,
      beta,
      batchSize,
      noiseVariances: s,
      chains,
      steps: total,
      record: { steps: recordSteps, speedAverageFrom: burn },
    }, rng);
    if (res.status !== "ok") {
      return {
        metrics: {},
        diverged: `state overflowed at step ${res.divergedAtStep} (max ηh = ${
          (eta * hMax).toFixed(4)
        }, stability needs ηh < 2(1+β) = ${2 * (1 + beta)})`,
      };
    }
    const { value: mean, stderr } = meanStderr(res.record.speedChainAverage!);
    // Budget of the continuous model: its first-order error Σ sᵢ·ηhᵢ/(2(1+β)) / Σ sᵢ (theory.md §6, C1).
    const { exact, continuous, weightedRatio, maxRatio, brk } = speedTheory(
      h,
      s,
      hp,
      stderr,
    );
    const ks = res.record.steps.map((k) => k + 1);
    return {
      metrics: {
        speed: {
          value: mean,
          stderr,
          n: chains,
          stderrMethod: "independent chains (per-chain time averages)",
          references: {
            exact: { value: exact },
            continuous: {
              value: continuous,
              budget: weightedRatio,
              ...brk,
            },
          },
        },
      },
      plots: [{
        id: "speed_vs_step",
        title:
          `Ensemble speed E‖θ_{k+1} − θ_k‖² from θ₀ = μ, b₀ = 0 (η = ${eta}, β = ${beta})`,
        xLabel: "update k + 1",
        yLabel: "E‖δ_k‖²",
        xLog: true,
        yLog: true,
        lines: [
          {
            label: `measured (${chains} chains)`,
            role: "measured",
            x: ks,
            y: Array.from(res.record.speed),
          },
          {
            label: "exact discrete plateau",
            role: "exact",
            x: [1, total],
            y: [exact, exact],
          },
          {
            label: "continuous η² tr Σ/(S(1−β²))",
            role: "continuous",
            x: [1, total],
            y: [continuous, continuous],
          },
        ],
      }],
      notes: [
        `${modes} modes (λ log-spaced in [0.1, 10], Σ = σ²H, σ² = ${sigma2}), ${chains} chains, burn-in ${burn} ` +
        `steps (10 × slowest (1−β)/(ηh)), ${steps} measured steps`,
        `continuous budget Σsᵢrᵢ/Σsᵢ = ${
          weightedRatio.toPrecision(3)
        } with rᵢ = ηhᵢ/(2(1+β)), max rᵢ = ${maxRatio.toPrecision(3)}`,
      ],
    };
  },
});
