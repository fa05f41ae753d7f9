import { defineBenchmark } from "../src/bench/types.ts";
import type { MetricSpec, MetricValue } from "../src/bench/types.ts";
import { simulateQuadraticSgd } from "../src/sim/mod.ts";
import { meanStderr } from "../src/stats/mod.ts";
import { slowestRelaxationSteps, unstableModes } from "../src/theory/mod.ts";
import {
  EXACT_AND_CONTINUOUS,
  logSpacedModes,
  speedTheory,
} from "./_shared.ts";

/** The default point (η, S, β) around which one factor at a time is swept (as in the paper's Fig. 7). */
const DEFAULT = { eta: 0.02, batchSize: 8, beta: 0.9 } as const;

/** Sweep levels per factor; level 3 is the default. */
const LEVELS: Readonly<Record<string, readonly number[]>> = {
  eta: [0.005, 0.01, 0.02, 0.04, 0.08],
  batchSize: [2, 4, 8, 16, 32],
  beta: [0, 0.5, 0.9, 0.95, 0.99],
};

const LEVEL_COUNT = 5;

function levelMetrics(): Record<string, MetricSpec> {
  const out: Record<string, MetricSpec> = {};
  const refs = EXACT_AND_CONTINUOUS;
  for (let l = 1; l <= LEVEL_COUNT; l++) {
    out[`speedLevel${l}`] = {
      unit: "param²/step²",
      better: "none",
      kind: "accuracy",
      description:
        `E‖θₖ₊₁−θₖ‖² after burn-in at sweep level ${l} of the swept factor (levels in ascending order; ` +
        `level 3 is the default η = ${DEFAULT.eta}, S = ${DEFAULT.batchSize}, β = ${DEFAULT.beta})`,
      references: refs,
    };
    out[`collapsedLevel${l}`] = {
      unit: "param²",
      better: "none",
      kind: "accuracy",
      description:
        `‖δ‖²·S(1−β²)/η² at sweep level ${l} (C15's normalisation): continuous tr Σ for every level`,
      references: refs,
    };
  }
  return out;
}

/**
 * C1 scalings and C15's collapse on the Gaussian-noise quadratic: stationary speed E‖δ‖² swept over η, S and β
 * one factor at a time around a default, against the exact discrete Σᵢη²sᵢcᵢ/(S(1−β²)) and the continuous
 * η² tr Σ/(S(1−β²)); and the collapsed ‖δ‖²·S(1−β²)/η² against its exact prediction Σᵢsᵢcᵢ.
 */
export const speedScalingSweep = defineBenchmark({
  id: "speed_scaling_sweep",
  version: 1,
  title:
    "Speed scaling with η, S and β, one factor at a time, and the collapse ‖δ‖²S(1−β²)/η² (C1, C15)",
  paperRef:
    "Kunin et al. 2024, instantaneous speed and Fig. 7 sweeps (theory.md §4.1, §5.3, §7.1; C1, C15)",
  grid: { factor: ["eta", "batchSize", "beta"] },
  metrics: levelMetrics(),
  run(params, { rng, quick }) {
    const factor = String(params.factor);
    const levels = LEVELS[factor];
    if (levels === undefined) {
      throw new RangeError(
        `Cannot run speed sweep as factor must be eta, batchSize or beta: current value is ${factor}`,
      );
    }
    const modes = 16;
    const sigma2 = 1;
    const weightDecay = 0.001;
    const { lam, h, s } = logSpacedModes(modes, weightDecay, sigma2);
    let trSigma = 0;
    for (const v of s) trSigma += v;
    const chains = quick ? 64 : 256;
    const steps = quick ? 2000 : 8000;
    const metrics: Record<string, MetricValue> = {};
    const xs: number[] = [];
    const meas: number[] = [];
    const measSe: number[] = [];
    const col: number[] = [];
    const colSe: number[] = [];
    const ex: number[] = [];
    const exCol: number[] = [];
    const notes: string[] = [];
    for (let l = 0; l < LEVEL_COUNT; l++) {
      const hp = { ...DEFAULT, [factor]: levels[l]! };
      const { eta, beta, batchSize } = hp;
      if (unstableModes(h, hp).length > 0) {
        return {
          metrics: {},
          diverged: `unstable at level ${l + 1}: max ηh ≥ 2(1+β)`,
        };
      }
      const tau = Math.max(1, slowestRelaxationSteps(h, hp));
      const burn = Math.ceil(15 * tau);
      const res = simulateQuadraticSgd({
        eigenvalues: lam,
        weightDecay,
        eta,
        beta,
        batchSize,
        noiseVariances: s,
        chains,
        steps: burn + steps,
        record: { speedAverageFrom: burn },
      }, rng);
      if (res.status !== "ok") {
        return {
          metrics: {},
          diverged: `simulation diverged at level ${
            l + 1
          }, step ${res.divergedAtStep}`,
        };
      }
      const { value: mean, stderr } = meanStderr(
        res.record.speedChainAverage!,
      );
      const { exact, continuous: cont, weightedRatio, maxRatio, brk } =
        speedTheory(h, s, hp, stderr);
      const norm = batchSize * (1 - beta * beta) / (eta * eta);
      const common = {
        n: chains,
        stderrMethod: "independent chains (per-chain time averages)",
      };
      metrics[`speedLevel${l + 1}`] = {
        value: mean,
        stderr,
        ...common,
        references: {
          exact: { value: exact },
          continuous: { value: cont, budget: weightedRatio, ...brk },
        },
      };
      metrics[`collapsedLevel${l + 1}`] = {
        value: mean * norm,
        stderr: stderr * norm,
        ...common,
        references: {
          exact: { value: exact * norm },
          continuous: { value: cont * norm, budget: weightedRatio, ...brk },
        },
      };
      xs.push(factor === "beta" ? 1 / (1 - beta * beta) : levels[l]!);
      meas.push(mean);
      measSe.push(stderr);
      col.push(mean * norm);
      colSe.push(stderr * norm);
      ex.push(exact);
      exCol.push(exact * norm);
      notes.push(
        `level ${
          l + 1
        }: η = ${eta}, S = ${batchSize}, β = ${beta}; burn-in ${burn} steps (15 × slowest relaxation ` +
          `time), ${steps} measured steps; budget Σsᵢrᵢ/Σsᵢ = ${
            weightedRatio.toPrecision(3)
          }, max rᵢ = ${maxRatio.toPrecision(3)}`,
      );
    }
    // Continuous line η²/(S(1−β²))·tr Σ over a fine grid of the swept parameter.
    const fine = Array.from({ length: 41 }, (_, j) => j / 40);
    const lo = xs[0]!;
    const hi = xs[LEVEL_COUNT - 1]!;
    const lineX = fine.map((u) => lo * (hi / lo) ** u);
    const lineY = lineX.map((x) => {
      const hp = { ...DEFAULT } as {
        eta: number;
        batchSize: number;
        beta: number;
      };
      if (factor === "beta") hp.beta = Math.sqrt(Math.max(0, 1 - 1 / x));
      else hp[factor as "eta" | "batchSize"] = x;
      return hp.eta * hp.eta * trSigma /
        (hp.batchSize * (1 - hp.beta * hp.beta));
    });
    const xLabel = factor === "beta"
      ? "1/(1−β²)"
      : factor === "eta"
      ? "η"
      : "S";
    return {
      metrics,
      plots: [
        {
          id: "speed_vs_parameter",
          title: `Stationary speed vs ${xLabel} (others at the default)`,
          xLabel,
          yLabel: "E‖δ‖²",
          xLog: true,
          yLog: true,
          lines: [
            {
              label: `measured (${chains} chains)`,
              role: "measured",
              x: xs,
              y: meas,
              stderr: measSe,
            },
            { label: "exact discrete", role: "exact", x: xs, y: ex },
            {
              label: "η² tr Σ/(S(1−β²))",
              role: "continuous",
              x: lineX,
              y: lineY,
            },
          ],
        },
        {
          id: "collapsed_vs_parameter",
          title: `Collapsed speed ‖δ‖²·S(1−β²)/η² vs ${xLabel}`,
          xLabel,
          yLabel: "‖δ‖²·S(1−β²)/η²",
          xLog: true,
          lines: [
            {
              label: "measured",
              role: "measured",
              x: xs,
              y: col,
              stderr: colSe,
            },
            { label: "exact discrete Σ sᵢcᵢ", role: "exact", x: xs, y: exCol },
            {
              label: "continuous tr Σ",
              role: "continuous",
              x: [lo, hi],
              y: [trSigma, trSigma],
            },
          ],
        },
      ],
      notes: [
        `${modes} modes (λ log-spaced in [0.1, 10], Σ = σ²H, σ² = ${sigma2}, weight decay ${weightDecay}), ` +
        `${chains} chains per level`,
        ...notes,
      ],
    };
  },
});
