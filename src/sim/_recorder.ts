/**
 * Internal: on-the-fly ensemble statistics for the SGD simulators, and their shared step loop ({@linkcode runChains}).
 *
 * @module
 */

import type { RecordOptions, SgdRecord } from "./sgd_result.ts";

/** Validates record options against the run length and the number of modes; throws RangeError. */
export function validateRecordOptions(
  record: RecordOptions,
  steps: number,
  modes: number,
): void {
  const ks = record.steps ?? [];
  let prev = -1;
  for (const k of ks) {
    if (!Number.isInteger(k) || k <= prev || k >= steps) {
      throw new RangeError(
        `Cannot record as record steps must be strictly increasing integers in [0, steps): got ${k} after ${prev} with steps=${steps}`,
      );
    }
    prev = k;
  }
  const m = record.covarianceModes ?? 0;
  if (!Number.isInteger(m) || m < 0 || m > modes) {
    throw new RangeError(
      `Cannot record as covarianceModes must be an integer in [0, ${modes}]: current value is ${m}`,
    );
  }
  const tm = record.trajectoryModes ?? 0;
  if (!Number.isInteger(tm) || tm < 0 || tm > modes) {
    throw new RangeError(
      `Cannot record as trajectoryModes must be an integer in [0, ${modes}]: current value is ${tm}`,
    );
  }
  const te = record.trajectoryEvery ?? 1;
  if (!Number.isInteger(te) || te < 1) {
    throw new RangeError(
      `Cannot record as trajectoryEvery must be an integer >= 1: current value is ${te}`,
    );
  }
  const sf = record.speedAverageFrom;
  if (sf !== undefined && (!Number.isInteger(sf) || sf < 0 || sf >= steps)) {
    throw new RangeError(
      `Cannot record as speedAverageFrom must be an integer in [0, steps): current value is ${sf}`,
    );
  }
}

/** Accumulates ensemble statistics at record steps, one chain at a time. */
export class Recorder {
  readonly p: number;
  readonly chains: number;
  readonly eta: number;
  readonly recordSteps: readonly number[];
  readonly m: number;
  readonly trajModes: number;
  readonly trajEvery: number;
  readonly speedFrom: number;
  readonly center: Float64Array;
  #r = 0;
  #thetaMean: Float64Array;
  #thetaVar: Float64Array;
  #velMean: Float64Array;
  #velVar: Float64Array;
  #cov: Float64Array;
  #ang: Float64Array;
  #msd: Float64Array;
  #speed: Float64Array;
  #fullCov: Float64Array | undefined;
  #speedChain: Float64Array | undefined;
  #trajSteps: number[] = [];
  #trajTheta: number[] = [];
  #trajVel: number[] = [];
  // per-record accumulators
  #shiftX: Float64Array;
  #shiftV: Float64Array;
  #sx: Float64Array;
  #sxx: Float64Array;
  #sv: Float64Array;
  #svv: Float64Array;
  #sxv: Float64Array;
  #sl: Float64Array;
  #shiftZ: Float64Array;
  #sz: Float64Array;
  #szz: Float64Array;
  #msdSum = 0;
  #speedSum = 0;
  #n = 0;

  constructor(
    p: number,
    chains: number,
    eta: number,
    record: RecordOptions,
    center: ArrayLike<number> | undefined,
  ) {
    this.p = p;
    this.chains = chains;
    this.eta = eta;
    this.recordSteps = record.steps ?? [];
    this.m = record.covarianceModes ?? 0;
    this.trajModes = record.trajectoryModes ?? 0;
    this.trajEvery = record.trajectoryEvery ?? 1;
    this.speedFrom = record.speedAverageFrom ?? -1;
    this.center = new Float64Array(p);
    if (center) this.center.set(center);
    const n = this.recordSteps.length;
    this.#thetaMean = new Float64Array(n * p);
    this.#thetaVar = new Float64Array(n * p);
    this.#velMean = new Float64Array(n * p);
    this.#velVar = new Float64Array(n * p);
    this.#cov = new Float64Array(n * p);
    this.#ang = new Float64Array(n * p);
    this.#msd = new Float64Array(n);
    this.#speed = new Float64Array(n);
    const q = 2 * this.m;
    this.#fullCov = this.m > 0 ? new Float64Array(n * q * q) : undefined;
    this.#speedChain = record.speedAverageFrom !== undefined
      ? new Float64Array(chains)
      : undefined;
    this.#shiftX = new Float64Array(p);
    this.#shiftV = new Float64Array(p);
    this.#sx = new Float64Array(p);
    this.#sxx = new Float64Array(p);
    this.#sv = new Float64Array(p);
    this.#svv = new Float64Array(p);
    this.#sxv = new Float64Array(p);
    this.#sl = new Float64Array(p);
    this.#shiftZ = new Float64Array(q);
    this.#sz = new Float64Array(q);
    this.#szz = new Float64Array(q * q);
  }

  /** The next step to record, or Infinity. */
  nextRecordStep(): number {
    return this.#r < this.recordSteps.length
      ? this.recordSteps[this.#r]!
      : Infinity;
  }

  /** Whether step k is a trajectory step. */
  isTrajectoryStep(k: number): boolean {
    return this.trajModes > 0 && k % this.trajEvery === 0;
  }

  /** Stores chain 0's state at step k (x relative to the center, v = −b). */
  addTrajectory(k: number, x: ArrayLike<number>, v: ArrayLike<number>): void {
    this.#trajSteps.push(k);
    for (let i = 0; i < this.trajModes; i++) {
      this.#trajTheta.push(x[i]! + this.center[i]!);
      this.#trajVel.push(v[i]!);
    }
  }

  /** Adds η²‖b_{k+1}‖² of chain c to its time average (caller checks k ≥ speedFrom). */
  addSpeed(c: number, speedTerm: number): void {
    this.#speedChain![c]! += speedTerm;
  }

  /** Starts a record step. */
  begin(): void {
    this.#sx.fill(0);
    this.#sxx.fill(0);
    this.#sv.fill(0);
    this.#svv.fill(0);
    this.#sxv.fill(0);
    this.#sl.fill(0);
    this.#sz.fill(0);
    this.#szz.fill(0);
    this.#msdSum = 0;
    this.#speedSum = 0;
    this.#n = 0;
  }

  /**
   * Adds one chain: projections x_k, v_k before and x_{k+1}, v_{k+1} after the update, ‖θ_k − θ_0‖² and
   * ‖θ_{k+1} − θ_k‖².
   */
  addChain(
    xk: ArrayLike<number>,
    vk: ArrayLike<number>,
    xk1: ArrayLike<number>,
    vk1: ArrayLike<number>,
    msdTerm: number,
    speedTerm: number,
  ): void {
    const p = this.p;
    if (this.#n === 0) {
      for (let i = 0; i < p; i++) {
        this.#shiftX[i] = xk[i]!;
        this.#shiftV[i] = vk[i]!;
      }
      for (let i = 0; i < this.m; i++) {
        this.#shiftZ[i] = xk[i]!;
        this.#shiftZ[this.m + i] = vk[i]!;
      }
    }
    const sx = this.#sx;
    const sxx = this.#sxx;
    const sv = this.#sv;
    const svv = this.#svv;
    const sxv = this.#sxv;
    const sl = this.#sl;
    const hx = this.#shiftX;
    const hv = this.#shiftV;
    for (let i = 0; i < p; i++) {
      const x = xk[i]!;
      const v = vk[i]!;
      const dx = x - hx[i]!;
      const dv = v - hv[i]!;
      sx[i]! += dx;
      sxx[i]! += dx * dx;
      sv[i]! += dv;
      svv[i]! += dv * dv;
      sxv[i]! += dx * dv;
      sl[i]! += x * (vk1[i]! - v) - v * (xk1[i]! - x);
    }
    const m = this.m;
    if (m > 0) {
      const q = 2 * m;
      const z = new Float64Array(q);
      for (let i = 0; i < m; i++) {
        z[i] = xk[i]! - this.#shiftZ[i]!;
        z[m + i] = vk[i]! - this.#shiftZ[m + i]!;
      }
      for (let a = 0; a < q; a++) {
        this.#sz[a]! += z[a]!;
        for (let b = 0; b < q; b++) this.#szz[a * q + b]! += z[a]! * z[b]!;
      }
    }
    this.#msdSum += msdTerm;
    this.#speedSum += speedTerm;
    this.#n++;
  }

  /** Finishes the current record step. */
  end(): void {
    const r = this.#r;
    const p = this.p;
    const n = this.#n;
    const dn = n > 1 ? n - 1 : NaN;
    for (let i = 0; i < p; i++) {
      const mx = this.#sx[i]! / n;
      const mv = this.#sv[i]! / n;
      const o = r * p + i;
      this.#thetaMean[o] = this.#shiftX[i]! + mx + this.center[i]!;
      this.#velMean[o] = this.#shiftV[i]! + mv;
      this.#thetaVar[o] = (this.#sxx[i]! - n * mx * mx) / dn;
      this.#velVar[o] = (this.#svv[i]! - n * mv * mv) / dn;
      this.#cov[o] = (this.#sxv[i]! - n * mx * mv) / dn;
      this.#ang[o] = this.#sl[i]! / n;
    }
    this.#msd[r] = this.#msdSum / n;
    this.#speed[r] = this.#speedSum / n;
    const m = this.m;
    if (m > 0) {
      const q = 2 * m;
      const out = this.#fullCov!;
      for (let a = 0; a < q; a++) {
        for (let b = 0; b < q; b++) {
          out[r * q * q + a * q + b] =
            (this.#szz[a * q + b]! - this.#sz[a]! * this.#sz[b]! / n) / dn;
        }
      }
    }
    this.#r++;
  }

  /** Builds the record with the completed record steps; `stepsDone` updates were performed. */
  build(stepsDone: number): SgdRecord {
    const r = this.#r;
    const p = this.p;
    const q = 2 * this.m;
    const speedFrom = this.speedFrom;
    let speedChainAverage: Float64Array | undefined;
    if (this.#speedChain) {
      const count = stepsDone - speedFrom;
      speedChainAverage = this.#speedChain.map((s) =>
        count > 0 ? s / count : NaN
      );
    }
    const rec: SgdRecord = {
      steps: this.recordSteps.slice(0, r),
      modes: p,
      thetaMean: this.#thetaMean.slice(0, r * p),
      thetaVariance: this.#thetaVar.slice(0, r * p),
      velocityMean: this.#velMean.slice(0, r * p),
      velocityVariance: this.#velVar.slice(0, r * p),
      thetaVelocityCovariance: this.#cov.slice(0, r * p),
      angularMomentum: this.#ang.slice(0, r * p),
      msd: this.#msd.slice(0, r),
      speed: this.#speed.slice(0, r),
      covarianceModes: this.m,
      ...(this.#fullCov
        ? { covariance: this.#fullCov.slice(0, r * q * q) }
        : {}),
      ...(speedChainAverage ? { speedChainAverage } : {}),
      ...(this.trajModes > 0
        ? {
          trajectory: {
            steps: this.#trajSteps,
            modes: this.trajModes,
            theta: Float64Array.from(this.#trajTheta),
            velocity: Float64Array.from(this.#trajVel),
          },
        }
        : {}),
    };
    return rec;
  }
}

/**
 * The simulators' step loop over `chains` chains of dimension d (state `theta`, `b`: chains·d). Between record
 * steps every chain is advanced chain-major by `advance(c, from, to)` (each chain owns its random stream, so the
 * order cannot change a path); at a record step k the state before the update is copied to `thetaPrev` /
 * `bPrev`, every chain takes that one step, and `recordChain(c, msd, bNorm2)` is called for each chain between
 * `recorder.begin()` and `recorder.end()` with msd = ‖θ_k − θ_0‖² (from `thetaPrev` and `theta0`) and
 * bNorm2 = ‖b_{k+1}‖² of that chain.
 *
 * @returns The first diverged step over all chains (as returned by `advance`), or −1 after `steps` steps.
 */
export function runChains(
  recorder: Recorder,
  steps: number,
  chains: number,
  state: {
    readonly theta: Float64Array;
    readonly b: Float64Array;
    readonly thetaPrev: Float64Array;
    readonly bPrev: Float64Array;
    readonly theta0: Float64Array;
  },
  advance: (c: number, from: number, to: number) => number,
  recordChain: (c: number, msd: number, bNorm2: number) => void,
): number {
  const d = state.theta.length / chains;
  let k = 0;
  while (k < steps) {
    const nextRec = recorder.nextRecordStep();
    const isRec = k === nextRec;
    const to = isRec ? k + 1 : Math.min(nextRec, steps);
    if (isRec) {
      state.thetaPrev.set(state.theta);
      state.bPrev.set(state.b);
    }
    let firstBad = Infinity;
    for (let c = 0; c < chains; c++) {
      const bad = advance(c, k, to);
      if (bad >= 0 && bad < firstBad) firstBad = bad;
    }
    if (firstBad !== Infinity) return firstBad;
    if (isRec) {
      recorder.begin();
      for (let c = 0; c < chains; c++) {
        const o = c * d;
        let msd = 0;
        let sp = 0;
        for (let i = 0; i < d; i++) {
          const dx = state.thetaPrev[o + i]! - state.theta0[o + i]!;
          msd += dx * dx;
          sp += state.b[o + i]! * state.b[o + i]!;
        }
        recordChain(c, msd, sp);
      }
      recorder.end();
    }
    k = to;
  }
  return -1;
}
