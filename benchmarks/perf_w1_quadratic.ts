import { defineBenchmark } from "../src/bench/types.ts";
import { runQuadraticWorkload } from "../src/sim/workloads.ts";
import { throughputMetricSpecs, throughputValues } from "./_shared.ts";

const TARGET = 1.2e8;

/**
 * Issue-3 performance, workload W1: heavy-ball SGD on 1000 Gaussian-noise quadratic modes × 1000 chains
 * (η = 0.1, β = 0.9) through src/sim's simulateQuadraticSgd; the fast path (ziggurat normals) and its peer (the plain
 * Box–Muller `Rng.fillNormal` loop) are timed in the same run. Target: ≥ 1.2e8 mode-updates/s.
 */
export const perfW1Quadratic = defineBenchmark({
  id: "perf_w1_quadratic",
  version: 1,
  title:
    "W1 throughput: Gaussian-mode heavy-ball SGD, 1000 modes × 1000 chains (fast path vs Box–Muller peer)",
  paperRef: "issue 3 performance targets (W1)",
  grid: { modes: [1000], chains: [1000] },
  timing: { warmup: 1, repeats: 5 },
  metrics: throughputMetricSpecs(
    "mode-updates/s",
    `fast path (ziggurat normals) mode-updates per second, modes·chains·steps / wall time of one simulateQuadraticSgd call; target ≥ ${
      TARGET.toExponential(1)
    }`,
    "peer (plain Box–Muller Rng.fillNormal loop) mode-updates per second on the same workload",
  ),
  run(params, { quick, now }) {
    const modes = Number(params.modes);
    const chains = Number(params.chains);
    const steps = quick ? 5 : 100;
    const fast = runQuadraticWorkload(steps, now, { modes, chains });
    const peer = runQuadraticWorkload(steps, now, {
      modes,
      chains,
      variant: "peer",
    });
    return {
      metrics: throughputValues(fast, peer),
      notes: [
        `${modes} modes × ${chains} chains × ${steps} steps per variant, η = 0.1, β = 0.9, S = 1; one timed simulateQuadraticSgd call each (including its state allocation)`,
        `target ≥ ${
          TARGET.toExponential(1)
        } mode-updates/s (issue 3); cost metrics carry no verdict, compare the stored median with the target`,
      ],
    };
  },
});
