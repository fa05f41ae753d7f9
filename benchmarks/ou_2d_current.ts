import { defineBenchmark } from "../src/bench/types.ts";
import type { MetricValue } from "../src/bench/types.ts";
import type { Rng } from "../src/random/rng.ts";
import { Ziggurat } from "../src/random/ziggurat.ts";
import { diag, identity, matrix } from "../src/linalg/matrix.ts";
import { matMul, scale, sub } from "../src/linalg/matrix_ops.ts";
import {
  solveContinuousLyapunov,
  solveDiscreteLyapunov,
} from "../src/linalg/lyapunov.ts";
import { solveLinear } from "../src/linalg/solve_linear.ts";
import { meanStderr } from "../src/stats/group_statistics.ts";
import { EXACT_AND_CONTINUOUS } from "./_shared.ts";

// The 2-D example of theory.md §3.5: A = V⁻¹diag(4, 1)V with V = [[−1, 1], [1, 1]] = [[2.5, −1.5], [−1.5, 2.5]]
// (symmetric: the Hessian eigenvectors are the diagonals), D = diag(4, 1) axis-aligned (does not commute with A),
// b = (−0.1, 0.05), start (0.09, 0).
const A = [[2.5, -1.5], [-1.5, 2.5]] as const;
const B = [-0.1, 0.05] as const;
const L_DIAG = [2, 1] as const; // L with LLᵀ = D = diag(4, 1)
const START = [0.09, 0] as const;

/** Per-chain time averages of the stationary statistics of the 2-D overdamped SDE. */
interface ChainAverages {
  /** E z₁², E z₂², E z₁z₂ with z = x − μ, per chain (chains entries each). */
  readonly c11: Float64Array;
  readonly c22: Float64Array;
  readonly c12: Float64Array;
  /** E[z₁Δz₂ − z₂Δz₁] per step, per chain. */
  readonly ang: Float64Array;
  /** Chain-0 trajectory (every `every`-th measured step). */
  readonly traj: { x: number[]; y: number[] };
}

/**
 * Simulates x ← x − η(Ax − b) − L·N(0, η²I) (the official Figure-3 SDE) for independent chains from START,
 * discards `burn` steps and time-averages over `steps` steps.
 */
function simulateOu2d(
  eta: number,
  mu: readonly [number, number],
  chains: number,
  burn: number,
  steps: number,
  rng: Rng,
): ChainAverages {
  const zig = Ziggurat.fromRng(rng);
  const c11 = new Float64Array(chains);
  const c22 = new Float64Array(chains);
  const c12 = new Float64Array(chains);
  const ang = new Float64Array(chains);
  const traj = { x: [] as number[], y: [] as number[] };
  const every = Math.max(1, Math.floor(steps / 400));
  const [[a11, a12], [a21, a22]] = A;
  for (let c = 0; c < chains; c++) {
    let x1: number = START[0];
    let x2: number = START[1];
    let s11 = 0;
    let s22 = 0;
    let s12 = 0;
    let sa = 0;
    for (let k = 0; k < burn + steps; k++) {
      const g1 = a11 * x1 + a12 * x2 - B[0];
      const g2 = a21 * x1 + a22 * x2 - B[1];
      const y1 = x1 - eta * g1 - eta * L_DIAG[0] * zig.normal();
      const y2 = x2 - eta * g2 - eta * L_DIAG[1] * zig.normal();
      if (k >= burn) {
        const z1 = x1 - mu[0];
        const z2 = x2 - mu[1];
        s11 += z1 * z1;
        s22 += z2 * z2;
        s12 += z1 * z2;
        sa += z1 * (y2 - x2) - z2 * (y1 - x1);
        if (c === 0 && (k - burn) % every === 0) {
          traj.x.push(x1);
          traj.y.push(x2);
        }
      }
      x1 = y1;
      x2 = y2;
    }
    c11[c] = s11 / steps;
    c22[c] = s22 / steps;
    c12[c] = s12 / steps;
    ang[c] = sa / steps;
  }
  return { c11, c22, c12, ang, traj };
}

/**
 * C11 — the paper's 2-D overdamped OU illustration (theory.md §3.5): anisotropic axis-aligned noise that does not
 * commute with the Hessian breaks detailed balance and drives a stationary rotational current. Measured
 * stationary covariance and mean angular rate E[z₁ż₂ − z₂ż₁] (per unit time t = ηk) against the exact discrete
 * Lyapunov solution P = MPMᵀ + η²D (M = I − ηA) and the continuous OU prediction (AC + CA = ηD, rate
 * (AC)₁₂ − (AC)₂₁ = 2Q₁₂ = 0.9η in the notebook's normalisation).
 */
export const ou2dCurrent = defineBenchmark({
  id: "ou_2d_current",
  version: 1,
  title:
    "2-D overdamped OU of the paper: stationary covariance and rotational current (C11)",
  paperRef:
    "Kunin et al. 2024, Figure 3 / OU illustration (theory.md §3.4–3.5, C11)",
  grid: { eta: [1e-3, 1e-4] },
  quickGrid: { eta: [1e-3] },
  metrics: {
    ...Object.fromEntries(
      (["covXX", "covYY", "covXY"] as const).map((n) => [n, {
        unit: "param²",
        better: "none" as const,
        kind: "accuracy" as const,
        description: `stationary covariance entry ${
          n.slice(3)
        } of x − μ (original axes), per-chain time average after burn-in; stderr over independent chains`,
        references: EXACT_AND_CONTINUOUS,
      }]),
    ),
    angularRate: {
      unit: "param²/time",
      better: "none",
      kind: "accuracy",
      description:
        "E[z₁Δz₂ − z₂Δz₁]/η (z = x − μ, per unit time t = ηk), per-chain time average after burn-in; stderr over independent chains",
      references: EXACT_AND_CONTINUOUS,
    },
  },
  run(params, { rng, quick }) {
    const eta = Number(params.eta);
    const a = matrix(A.map((r) => [...r]));
    const d = diag([L_DIAG[0] ** 2, L_DIAG[1] ** 2]);
    const muArr = solveLinear(a, Float64Array.from(B));
    const mu: [number, number] = [muArr[0]!, muArr[1]!];
    // Exact discrete: z_{k+1} = (I − ηA)z_k − ηLε ⇒ P = MPMᵀ + η²D; per-step rate −η[(AP)₂₁ − (AP)₁₂].
    const m = sub(identity(2), scale(a, eta));
    const p = solveDiscreteLyapunov(m, scale(d, eta * eta));
    const ap = matMul(a, p);
    const exactRate = ap.data[1]! - ap.data[2]!;
    // Continuous OU dz = −Az dt + √η L dW: AC + CA = ηD; rate (AC)₁₂ − (AC)₂₁ = 2Q₁₂.
    const cc = solveContinuousLyapunov(a, scale(d, eta));
    const ac = matMul(a, cc);
    const contRate = ac.data[1]! - ac.data[2]!;
    const budget = eta * 4 / 2; // first-order discretisation error ηλ_max/2 of the β = 0 recursion
    const chains = 512;
    const burn = Math.ceil(8 / eta); // 8 relaxation times of the slow mode (λ_min = 1)
    const steps = Math.ceil((quick ? 30 : 40) / eta);
    const res = simulateOu2d(eta, mu, chains, burn, steps, rng);
    const method = "independent chains (per-chain time averages)";
    const metric = (
      x: Float64Array,
      exact: number,
      cont: number,
      perTime: number,
    ): MetricValue => {
      const { value: mean, stderr: se } = meanStderr(x);
      return {
        value: mean / perTime,
        stderr: se / perTime,
        n: chains,
        stderrMethod: method,
        references: {
          exact: { value: exact },
          continuous: { value: cont, budget },
        },
      };
    };
    // 2σ ellipse of the exact stationary covariance around μ.
    const ex: number[] = [];
    const ey: number[] = [];
    const l11 = Math.sqrt(p.data[0]!);
    const l21 = p.data[2]! / l11;
    const l22 = Math.sqrt(p.data[3]! - l21 * l21);
    for (let j = 0; j <= 100; j++) {
      const t = 2 * Math.PI * j / 100;
      const u = 2 * Math.cos(t);
      const v = 2 * Math.sin(t);
      ex.push(mu[0] + l11 * u);
      ey.push(mu[1] + l21 * u + l22 * v);
    }
    return {
      metrics: {
        covXX: metric(res.c11, p.data[0]!, cc.data[0]!, 1),
        covYY: metric(res.c22, p.data[3]!, cc.data[3]!, 1),
        covXY: metric(res.c12, p.data[1]!, cc.data[1]!, 1),
        angularRate: metric(res.ang, exactRate, contRate, eta),
      },
      plots: [{
        id: `ou2d_eta${eta}`,
        title:
          `2-D OU (theory.md §3.5), η = ${eta}: chain-0 stationary trajectory and exact 2σ ellipse`,
        xLabel: "x₁",
        yLabel: "x₂",
        type: "scatter",
        lines: [
          { label: "chain 0", role: "measured", x: res.traj.x, y: res.traj.y },
          { label: "exact discrete 2σ ellipse", role: "exact", x: ex, y: ey },
        ],
      }],
      notes: [
        `x ← x − η(Ax − b) − L·N(0, η²I), A = [[2.5, −1.5], [−1.5, 2.5]], D = LLᵀ = diag(4, 1), b = (−0.1, 0.05), μ = A⁻¹b = (${
          mu[0].toPrecision(4)
        }, ${mu[1].toPrecision(4)}), start (0.09, 0)`,
        `A is symmetric (V is symmetric and orthogonal up to scale), so this is heavy-ball with β = 0 and Hessian A; simulated by a small inline loop to time-average z₁Δz₂ − z₂Δz₁ per chain`,
        `${chains} chains, burn-in ${burn} steps (8/(ηλ_min)), ${steps} measured steps; continuous budget ηλ_max/2 = ${budget}`,
        `angular rate: exact ${exactRate.toPrecision(5)}, continuous 2Q₁₂ = ${
          contRate.toPrecision(5)
        } (= 0.9η)`,
      ],
    };
  },
});
