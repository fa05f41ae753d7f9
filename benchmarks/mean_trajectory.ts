import { defineBenchmark } from "../src/bench/types.ts";
import { simulateQuadraticSgd } from "../src/sim/mod.ts";
import { discreteModeMoments, modeMean } from "../src/theory/mod.ts";
import {
  buildUpMetrics,
  buildUpMetricSpecs,
  buildUpSchedule,
  simulationDiverged,
  unitModeCell,
} from "./_shared.ts";

/**
 * C7 — relaxation of the mean from an offset: ensemble mean of x_k from (x₀ = a, b₀ = 0) on one Gaussian-noise
 * mode, against the exact AR(2) recursion (theory.md §7.1) and the continuous a·ρ(ηk) (§3.3).
 */
export const meanTrajectory = defineBenchmark({
  id: "mean_trajectory",
  version: 1,
  title:
    "Mean trajectory from an offset start: AR(2) recursion vs continuous a·ρ(ηk) (C7)",
  paperRef:
    "Kunin et al. 2024, OU mean of a Hessian mode (theory.md §3.3, §7.1, §7.2; C7)",
  grid: { etaH: [0.01, 0.1, 1.0], beta: [0, 0.9] },
  quickGrid: { etaH: [0.01, 1.0] },
  metrics: buildUpMetricSpecs(
    "mean",
    "param",
    (what) =>
      `ensemble mean of x_k at ${what}, from x₀ = a, b₀ = 0; stderr √(Var x_k / chains)`,
  ),
  run(params, { rng, quick }) {
    const { etaH, beta, h, s, batchSize, eta, hp, unstable } = unitModeCell(
      params,
    );
    if (unstable !== undefined) return { metrics: {}, diverged: unstable };
    const a = 1;
    const schedule = buildUpSchedule(beta);
    const { buildUp, ks, last, steps } = schedule;
    const chains = quick ? 4096 : 32768;
    const res = simulateQuadraticSgd({
      eigenvalues: [h],
      eta,
      beta,
      batchSize,
      noiseVariances: [s],
      startOffset: [a],
      chains,
      steps: last + 1,
      record: { steps },
    }, rng);
    if (res.status !== "ok") {
      return simulationDiverged(res);
    }
    const rec = res.record;
    const mean = Array.from(rec.thetaMean);
    const se = Array.from(rec.thetaVariance, (v) => Math.sqrt(v / chains));
    const exact = steps.map((k) =>
      discreteModeMoments(k, a, 0, h, s, hp).meanX
    );
    const cont = steps.map((k) => modeMean(eta * k, a, 0, h, hp).x);
    // Continuous budget at step k: the first-order error ηh/(2(1+β)) (theory.md §6, C7: ηh ≪ 1 needed) plus, after the build-up, the
    // decaying momentum build-up mismatch k_b/k (theory.md §7.2: O(1) at k ≲ k_b, a few % by k ≈ 10–20 k_b).
    const ratio = etaH / (2 * (1 + beta));
    const metrics = buildUpMetrics({
      prefix: "mean",
      schedule,
      ratio,
      value: mean,
      stderr: se,
      exact,
      continuous: cont,
      n: chains,
      stderrMethod: "independent chains",
      buildUpReason: (k) =>
        `k = ${k} ≤ (1+β)/(2(1−β)) build-up steps: the continuous model starts with zero inertia while the first ` +
        `discrete step already moves by −ηĝ₀ (theory.md §7.2)`,
    });
    return {
      metrics,
      plots: [{
        id: "mean_vs_step",
        title: `E x_k from x₀ = ${a}, b₀ = 0 (ηh = ${etaH}, β = ${beta})`,
        xLabel: "step k",
        yLabel: "E x_k",
        xLog: true,
        lines: [
          {
            label: `measured (${chains} chains)`,
            role: "measured",
            x: steps,
            y: mean,
            stderr: se,
          },
          { label: "exact AR(2)", role: "exact", x: steps, y: exact },
          {
            label: "continuous a·ρ(ηk)",
            role: "continuous",
            x: steps,
            y: cont,
          },
        ],
      }],
      notes: [
        `one mode h = ${h}, s = ${s}, S = ${batchSize}, η = ${eta}, offset a = ${a}; ${chains} chains; build-up ` +
        `k_b = ${buildUp}; judged at k = ${
          ks.join(", ")
        }; continuous budget ηh/(2(1+β)) + k_b/k with ηh/(2(1+β)) = ${
          ratio.toPrecision(3)
        }`,
      ],
    };
  },
});
