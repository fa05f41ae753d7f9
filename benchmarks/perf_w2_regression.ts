import { defineBenchmark } from "../src/bench/types.ts";
import { Rng } from "../src/random/rng.ts";
import {
  powerLawEigenvalues,
  syntheticRegressionData,
} from "../src/sim/linear_regression_data.ts";
import { runRegressionWorkload } from "../src/sim/workloads.ts";
import { throughputMetricSpecs, throughputValues } from "./_shared.ts";

const TARGET = 8e4;

/**
 * The peer of W2: a straightforward per-chain heavy-ball loop (plain TypeScript, float64, one example at a time:
 * residual by a dot product, then an axpy into the gradient; uniform indices from `Rng.int`), on the same data and
 * hyperparameters as `runRegressionWorkload`. Returns chain-steps and elapsed ms of the timed part.
 */
function runNaiveRegression(
  steps: number,
  now: () => number,
  dim: number,
  samples: number,
  batchSize: number,
  chains: number,
): { updates: number; elapsedMs: number; checksum: number } {
  const rng = Rng.fromSeed(1n);
  const data = syntheticRegressionData({
    samples,
    eigenvalues: powerLawEigenvalues(dim, 1, 1),
    labelNoise: 0.5,
  }, rng);
  const X = data.features as Float64Array;
  const y = data.labels as Float64Array;
  const eta = 0.01;
  const beta = 0.9;
  const lam = 1e-4;
  const t0 = now();
  const theta = new Float64Array(chains * dim);
  const b = new Float64Array(chains * dim);
  const g = new Float64Array(dim);
  let checksum = 0;
  for (let c = 0; c < chains; c++) {
    const o = c * dim;
    for (let k = 0; k < steps; k++) {
      g.fill(0);
      for (let s = 0; s < batchSize; s++) {
        const r = rng.int(samples);
        let res = -y[r]!;
        for (let j = 0; j < dim; j++) res += X[r * dim + j]! * theta[o + j]!;
        for (let j = 0; j < dim; j++) g[j]! += res * X[r * dim + j]!;
      }
      for (let j = 0; j < dim; j++) {
        const bj = beta * b[o + j]! + g[j]! / batchSize + lam * theta[o + j]!;
        b[o + j] = bj;
        theta[o + j]! -= eta * bj;
      }
    }
    checksum += theta[o]!;
  }
  return { updates: chains * steps, elapsedMs: now() - t0, checksum };
}

/**
 * Issue-3 performance, workload W2: minibatch linear regression, d = 256, N = 8192, S = 32, 256 chains, sampling with
 * replacement (η = 0.01, β = 0.9, λ = 1e-4), through src/sim's simulateRegressionSgd (eight-row blocked kernel, ziggurat
 * generator), against a straightforward per-chain loop in plain TypeScript on the same data, timed in the same run.
 * Target: ≥ 8e4 chain-steps/s.
 */
export const perfW2Regression = defineBenchmark({
  id: "perf_w2_regression",
  version: 1,
  title:
    "W2 throughput: minibatch linear regression d = 256, N = 8192, S = 32, 256 chains (fast path vs naive loop)",
  paperRef: "issue 3 performance targets (W2)",
  grid: { dim: [256], samples: [8192], batchSize: [32], chains: [256] },
  timing: { warmup: 1, repeats: 5 },
  metrics: throughputMetricSpecs(
    "chain-steps/s",
    `fast path (simulateRegressionSgd) chain-steps per second, wall time of one call with the data prepared outside the timed part; target ≥ ${
      TARGET.toExponential(1)
    }`,
    "peer: straightforward per-chain plain-TS float64 loop (row-by-row dot + axpy, Rng.int indices) on the same data",
  ),
  run(params, { quick, now }) {
    const dim = Number(params.dim);
    const samples = Number(params.samples);
    const batchSize = Number(params.batchSize);
    const chains = Number(params.chains);
    const steps = quick ? 10 : 200;
    const fast = runRegressionWorkload(steps, now, {
      dim,
      samples,
      batchSize,
      chains,
    });
    const peer = runNaiveRegression(
      steps,
      now,
      dim,
      samples,
      batchSize,
      chains,
    );
    if (!Number.isFinite(peer.checksum)) {
      throw new Error("Cannot time the W2 peer as its iterates are not finite");
    }
    return {
      metrics: throughputValues(fast, peer),
      notes: [
        `${chains} chains × ${steps} steps per variant, d = ${dim}, N = ${samples}, S = ${batchSize}, with replacement, η = 0.01, β = 0.9, λ = 1e-4, synthetic data (λ_i = (i+1)^(−1), σ = 0.5)`,
        "peer: plain-TS per-chain loop (the tfjs wasm SIMD variant is not included)",
        `target ≥ ${
          TARGET.toExponential(1)
        } chain-steps/s (issue 3); cost metrics carry no verdict, compare the stored median with the target`,
      ],
    };
  },
});
