import { defineBenchmark } from "../src/bench/types.ts";
import { runQuadraticWorkload } from "../src/sim/workloads.ts";

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
  metrics: {
    throughput: {
      unit: "mode-updates/s",
      better: "higher",
      kind: "cost",
      description:
        `fast path (ziggurat normals) mode-updates per second, modes·chains·steps / wall time of one simulateQuadraticSgd call; target ≥ ${
          TARGET.toExponential(1)
        }`,
    },
    peerThroughput: {
      unit: "mode-updates/s",
      better: "higher",
      kind: "cost",
      description:
        "peer (plain Box–Muller Rng.fillNormal loop) mode-updates per second on the same workload",
    },
    ratio: {
      unit: "1",
      better: "higher",
      kind: "cost",
      description: "throughput / peerThroughput (speed-up of the fast path)",
    },
  },
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
    const throughput = fast.updates / (fast.elapsedMs / 1000);
    const peerThroughput = peer.updates / (peer.elapsedMs / 1000);
    return {
      metrics: {
        throughput: { value: throughput },
        peerThroughput: { value: peerThroughput },
        ratio: { value: throughput / peerThroughput },
      },
      notes: [
        `${modes} modes × ${chains} chains × ${steps} steps per variant, η = 0.1, β = 0.9, S = 1; one timed simulateQuadraticSgd call each (including its state allocation)`,
        `target ≥ ${
          TARGET.toExponential(1)
        } mode-updates/s (issue 3); cost metrics carry no verdict, compare the stored median with the target`,
      ],
    };
  },
});
