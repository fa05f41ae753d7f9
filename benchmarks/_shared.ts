/**
 * Private glue shared by the theory benchmarks (not a benchmark: the underscore keeps it out of the registry).
 * Pure numeric helpers live in src/stats, src/theory and src/sim; this file holds only benchmark conventions —
 * reference rules, expected-break reasons, checkpoint schedules, the build-up checkpoints of C7/C8 and the
 * throughput metrics of the perf benchmarks.
 *
 * @module
 */
import type {
  CellOutput,
  MetricSpec,
  MetricValue,
  Params,
  VerdictRule,
} from "../src/bench/types.ts";
import { logSpacedSteps } from "../src/sim/log_spaced_steps.ts";
import type { WorkloadTiming } from "../src/sim/workloads.ts";
import { continuousErrorBudget } from "../src/theory/error_budget.ts";
import type { Hyperparameters } from "../src/theory/hyperparameters.ts";
import { unstableModes } from "../src/theory/discrete_mode.ts";
import { momentumBuildUpSteps } from "../src/theory/relaxation_time.ts";
import { continuousSpeed, discreteSpeed } from "../src/theory/speed.ts";

/** Verdict rules of a metric judged against the exact discrete (|z| ≤ 4) and the continuous (budget) prediction. */
export const EXACT_AND_CONTINUOUS: Readonly<Record<string, VerdictRule>> = {
  exact: { rule: "zscore", maxAbsZ: 4 },
  continuous: { rule: "budget", maxAbsZ: 4 },
};

/** Diverged-cell reason of one mode past the stability edge ηh ≥ 2(1+β). */
export function unstableModeMessage(etaH: number, beta: number): string {
  return `unstable: ηh = ${etaH} ≥ 2(1+β) = ${2 * (1 + beta)}`;
}

/** Diverged cell of a simulation that left the stable region, with or without the simulator's reason. */
export function simulationDiverged(
  res: { readonly divergedAtStep: number | null; readonly reason?: string },
  withReason = true,
): CellOutput {
  return {
    metrics: {},
    diverged: `simulation diverged at step ${res.divergedAtStep}${
      withReason ? ` (${res.reason})` : ""
    }`,
  };
}

/**
 * The one-mode cell of C2/C3/C5/C7/C8 (h = s = S = 1, so η = ηh sets the regime) from the params etaH and beta,
 * with the diverged reason if ηh ≥ 2(1+β).
 */
export function unitModeCell(params: Params): {
  etaH: number;
  beta: number;
  h: number;
  s: number;
  batchSize: number;
  eta: number;
  hp: Hyperparameters;
  unstable: string | undefined;
} {
  const etaH = Number(params.etaH);
  const beta = Number(params.beta);
  const h = 1;
  const s = 1;
  const batchSize = 1;
  const eta = etaH / h;
  const hp = { eta, beta, batchSize };
  const unstable = unstableModes([h], hp).length > 0
    ? unstableModeMessage(etaH, beta)
    : undefined;
  return { etaH, beta, h, s, batchSize, eta, hp, unstable };
}

/**
 * Why the continuous reference is expected to break: ηh/(2(1+β)) not ≪ 1, or its error beyond first order
 * (`excess`, relative, from theory) resolved by the measurement (> 2 stderr); the budget only claims first order.
 */
export function continuousBreak(
  maxRatio: number,
  excess: number,
  continuous: number,
  stderr: number,
): { expectedBreak?: string } {
  if (maxRatio > 0.1) {
    return {
      expectedBreak: `ηh/(2(1+β)) reaches ${
        maxRatio.toFixed(3)
      }: not ≪ 1, second-order terms matter`,
    };
  }
  if (excess * Math.abs(continuous) > 2 * stderr) {
    return {
      expectedBreak: `the continuous error beyond first order in ηh/(2(1+β)) (${
        excess.toPrecision(2)
      } relative, theory.md §7.1 c_h) exceeds 2 stderr at this precision; the budget claims first order only`,
    };
  }
  return {};
}

/**
 * Stationary speed predictions of C1 on a diagonal quadratic: exact discrete Σᵢη²sᵢcᵢ/(S(1−β²)), continuous
 * η² tr Σ/(S(1−β²)), the continuous budget Σsᵢrᵢ/Σsᵢ (rᵢ = ηhᵢ/(2(1+β))) and its expected-break reason given the
 * measured stderr.
 */
export function speedTheory(
  h: ArrayLike<number>,
  s: ArrayLike<number>,
  hp: Hyperparameters,
  stderr: number,
): {
  exact: number;
  continuous: number;
  weightedRatio: number;
  maxRatio: number;
  brk: { expectedBreak?: string };
} {
  const exact = discreteSpeed(h, s, hp);
  const continuous = continuousSpeed(s, hp);
  const { weightedRatio, maxRatio, speedRelativeError } = continuousErrorBudget(
    h,
    s,
    hp,
  );
  const brk = continuousBreak(
    maxRatio,
    speedRelativeError - weightedRatio,
    continuous,
    stderr,
  );
  return { exact, continuous, weightedRatio, maxRatio, brk };
}

/**
 * Modes with eigenvalues λ_i log-spaced in [0.1, 10], curvatures h_i = λ_i + λ (weight decay) and noise
 * s_i = σ²λ_i (Σ = σ²H).
 */
export function logSpacedModes(
  count: number,
  weightDecay: number,
  sigma2: number,
): { lam: Float64Array; h: Float64Array; s: Float64Array } {
  const lam = Float64Array.from(
    { length: count },
    (_, i) => 0.1 * 100 ** (i / (count - 1)),
  );
  return {
    lam,
    h: lam.map((l) => l + weightDecay),
    s: lam.map((l) => sigma2 * l),
  };
}

/**
 * Stationary checkpoints from a start at the minimum: burn-in ⌈15τ⌉ + 10 steps (τ the slowest relaxation time),
 * then `records` checkpoints every max(1, ⌈τ⌉) steps; `steps` is the number of updates to simulate.
 */
export function checkpointSchedule(
  tau: number,
  records: number,
): { burn: number; gap: number; recordSteps: number[]; steps: number } {
  const burn = Math.ceil(15 * tau) + 10;
  const gap = Math.max(1, Math.ceil(tau));
  const recordSteps = Array.from(
    { length: records },
    (_, r) => burn + r * gap,
  );
  return { burn, gap, recordSteps, steps: recordSteps[records - 1]! + 1 };
}

/**
 * Average over record steps of a records × width row-major series (e.g. a recorder's per-step ensemble
 * variances): out_i = Σ_r series[r·width + i]/records, accumulated term by term in record order.
 */
export function averageRecords(
  series: ArrayLike<number>,
  records: number,
  width: number,
): Float64Array {
  const out = new Float64Array(width);
  for (let r = 0; r < records; r++) {
    for (let i = 0; i < width; i++) out[i]! += series[r * width + i]! / records;
  }
  return out;
}

/** Fixed build-up checkpoints of C7/C8: metric name suffix and description of the step. */
const BUILD_UP_CHECKPOINTS = [
  ["AtStep1", "k = 1"],
  [
    "AtBuildUp",
    "k = k_b = max(2, round((1+β)/(2(1−β)))), the momentum build-up time",
  ],
  ["At10BuildUp", "k = 10·k_b"],
  ["At100BuildUp", "k = 100·k_b"],
] as const;

/** Metric specs `<prefix>AtStep1`, `<prefix>AtBuildUp`, `<prefix>At10BuildUp`, `<prefix>At100BuildUp`. */
export function buildUpMetricSpecs(
  prefix: string,
  unit: string,
  describe: (what: string) => string,
): Record<string, MetricSpec> {
  const out: Record<string, MetricSpec> = {};
  for (const [suffix, what] of BUILD_UP_CHECKPOINTS) {
    out[prefix + suffix] = {
      unit,
      better: "none",
      kind: "accuracy",
      description: describe(what),
      references: EXACT_AND_CONTINUOUS,
    };
  }
  return out;
}

/**
 * Steps of a transient from the start: build-up k_b = max(2, round((1+β)/(2(1−β)))), the judged steps
 * ks = [1, k_b, 10k_b, 100k_b], and 120 log-spaced record steps in [1, 100k_b] including ks.
 */
export function buildUpSchedule(
  beta: number,
): { buildUp: number; ks: number[]; last: number; steps: number[] } {
  const buildUp = Math.max(2, Math.round(momentumBuildUpSteps(beta)));
  const ks = [1, buildUp, 10 * buildUp, 100 * buildUp];
  const last = ks[3]!;
  return { buildUp, ks, last, steps: logSpacedSteps(1, last, 120, ks) };
}

/**
 * Metrics at the build-up checkpoints: measured value ± stderr at each judged step against the exact and the
 * continuous curve; continuous budget ηh/(2(1+β)) (`ratio`) plus, after the build-up, the decaying build-up
 * mismatch k_b/k; expected break inside the build-up (`buildUpReason`) and where ratio > 0.1.
 */
export function buildUpMetrics(o: {
  prefix: string;
  schedule: {
    buildUp: number;
    ks: readonly number[];
    steps: readonly number[];
  };
  ratio: number;
  value: ArrayLike<number>;
  stderr: ArrayLike<number>;
  exact: ArrayLike<number>;
  continuous: ArrayLike<number>;
  n: number;
  stderrMethod: string;
  buildUpReason: (k: number) => string;
}): Record<string, MetricValue> {
  const { buildUp, ks, steps } = o.schedule;
  const ratio = o.ratio;
  const metrics: Record<string, MetricValue> = {};
  BUILD_UP_CHECKPOINTS.forEach(([suffix], c) => {
    const k = ks[c]!;
    const j = steps.indexOf(k);
    const reasons: string[] = [];
    if (k <= buildUp) reasons.push(o.buildUpReason(k));
    if (ratio > 0.1) {
      reasons.push(`ηh/(2(1+β)) = ${ratio.toFixed(3)} is not ≪ 1`);
    }
    metrics[o.prefix + suffix] = {
      value: o.value[j]!,
      stderr: o.stderr[j]!,
      n: o.n,
      stderrMethod: o.stderrMethod,
      references: {
        exact: { value: o.exact[j]! },
        continuous: {
          value: o.continuous[j]!,
          budget: k <= buildUp ? ratio : ratio + buildUp / k,
          ...(reasons.length > 0 ? { expectedBreak: reasons.join("; ") } : {}),
        },
      },
    };
  });
  return metrics;
}

/** Cost metric specs of a throughput benchmark: fast path, peer, and their ratio. */
export function throughputMetricSpecs(
  unit: string,
  fastDescription: string,
  peerDescription: string,
): Record<string, MetricSpec> {
  return {
    throughput: {
      unit,
      better: "higher",
      kind: "cost",
      description: fastDescription,
    },
    peerThroughput: {
      unit,
      better: "higher",
      kind: "cost",
      description: peerDescription,
    },
    ratio: {
      unit: "1",
      better: "higher",
      kind: "cost",
      description: "throughput / peerThroughput (speed-up of the fast path)",
    },
  };
}

/** Throughput (updates per second) of the fast path and its peer, and their ratio. */
export function throughputValues(
  fast: WorkloadTiming,
  peer: WorkloadTiming,
): Record<string, MetricValue> {
  const throughput = fast.updates / (fast.elapsedMs / 1000);
  const peerThroughput = peer.updates / (peer.elapsedMs / 1000);
  return {
    throughput: { value: throughput },
    peerThroughput: { value: peerThroughput },
    ratio: { value: throughput / peerThroughput },
  };
}
