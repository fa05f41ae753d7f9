import { defineBenchmark } from "../src/bench/types.ts";

/**
 * C1 — stationary instantaneous speed E‖θₖ₊₁ − θₖ‖² of heavy-ball SGD with coupled weight decay on a diagonal
 * quadratic with additive Gaussian gradient noise Σ = σ²H, against the exact discrete prediction
 * Σᵢ η²sᵢcᵢ/(S(1−β²)) (theory.md §7.1) and the paper's continuous one η² tr Σ/(S(1−β²)) (§4.1).
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
      references: {
        exact: { rule: "zscore", maxAbsZ: 4 },
        continuous: { rule: "budget", maxAbsZ: 4 },
      },
    },
  },
  run(params, { rng, quick }) {
    const eta = Number(params.eta);
    const beta = Number(params.beta);
    const batchSize = Number(params.batchSize);
    const weightDecay = Number(params.weightDecay);
    const modes = 16;
    const sigma2 = 1;
    // Hessian eigenvalues log-spaced in [0.1, 10]; h = eigenvalue + weight decay; noise s = σ²·eigenvalue.
    const lam = Float64Array.from(
      { length: modes },
      (_, i) => 0.1 * 100 ** (i / (modes - 1)),
    );
    const h = lam.map((l) => l + weightDecay);
    const s = lam.map((l) => sigma2 * l);
    const chains = quick ? 64 : 256;
    const tauMax = Math.max(
      ...Array.from(h, (hi) => Math.max(1, (1 - beta) / (eta * hi))),
    );
    const burn = Math.ceil(10 * tauMax);
    const steps = quick ? 2000 : 10000;
    const noiseSd = Float64Array.from(s, (si) => Math.sqrt(si / batchSize));
    const x = new Float64Array(modes);
    const b = new Float64Array(modes);
    const chainMeans = new Float64Array(chains);
    const hMax = Math.max(...h);
    // Exact discrete stability needs 0 < ηh < 2(1+β) for every mode (theory.md §7.1); a mode just past the
    // edge grows too slowly to overflow within the run, so the criterion, not only overflow, marks divergence.
    let diverged: string | undefined = eta * hMax >= 2 * (1 + beta)
      ? `unstable: max ηh = ${(eta * hMax).toFixed(4)} ≥ 2(1+β) = ${
        2 * (1 + beta)
      }`
      : undefined;
    for (let c = 0; c < chains && diverged === undefined; c++) {
      x.fill(0);
      b.fill(0);
      let acc = 0;
      for (let k = 0; k < burn + steps; k++) {
        let step2 = 0;
        for (let i = 0; i < modes; i++) {
          const g = h[i]! * x[i]! + noiseSd[i]! * rng.normal();
          const bi = beta * b[i]! + g;
          b[i] = bi;
          x[i] = x[i]! - eta * bi;
          step2 += eta * eta * bi * bi;
        }
        if (!Number.isFinite(step2) || step2 > 1e100) {
          diverged =
            `state overflowed at step ${k} of chain ${c} (max ηh = ${
              (eta * hMax).toFixed(4)
            }, ` +
            `stability needs ηh < 2(1+β) = ${2 * (1 + beta)})`;
          break;
        }
        if (k >= burn) acc += step2;
      }
      chainMeans[c] = acc / steps;
    }
    if (diverged !== undefined) return { metrics: {}, diverged };
    let mean = 0;
    for (const m of chainMeans) mean += m;
    mean /= chains;
    let ss = 0;
    for (const m of chainMeans) ss += (m - mean) ** 2;
    const stderr = Math.sqrt(ss / (chains - 1) / chains);
    let exact = 0;
    let continuous = 0;
    let firstOrder = 0;
    let xMax = 0;
    for (let i = 0; i < modes; i++) {
      const xi = (eta * h[i]!) / (2 * (1 + beta));
      xMax = Math.max(xMax, xi);
      const base = (eta * eta * s[i]!) / (batchSize * (1 - beta * beta));
      exact += base / (1 - xi);
      continuous += base;
      firstOrder += base * xi;
    }
    // Budget of the continuous model: its first-order error Σ sᵢ·ηhᵢ/(2(1+β)) / Σ sᵢ (theory.md §6, C1).
    const budget = firstOrder / continuous;
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
              budget,
              ...(xMax > 0.1
                ? {
                  expectedBreak: `ηh/(2(1+β)) reaches ${
                    xMax.toFixed(3)
                  }: not ≪ 1, second-order terms matter`,
                }
                : {}),
            },
          },
        },
      },
      notes: [
        `${modes} modes, ${chains} chains, burn-in ${burn} steps, ${steps} measured steps`,
      ],
    };
  },
});
