/**
 * Internal: input checks shared by the simulators.
 *
 * @module
 */

/** Checks the optimiser hyperparameters η, β, S, λ and the run size; throws RangeError. */
export function validateHyper(
  what: string,
  o: {
    readonly eta: number;
    readonly beta: number;
    readonly batchSize: number;
    readonly weightDecay?: number;
    readonly chains: number;
    readonly steps: number;
  },
): void {
  if (!(o.eta > 0 && Number.isFinite(o.eta))) {
    throw new RangeError(
      `Cannot ${what} as eta must be finite and > 0: current value is ${o.eta}`,
    );
  }
  if (!(o.beta >= 0 && o.beta < 1)) {
    throw new RangeError(
      `Cannot ${what} as beta must be in [0, 1): current value is ${o.beta}`,
    );
  }
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) {
    throw new RangeError(
      `Cannot ${what} as batchSize must be an integer >= 1: current value is ${o.batchSize}`,
    );
  }
  const wd = o.weightDecay ?? 0;
  if (!(wd >= 0 && Number.isFinite(wd))) {
    throw new RangeError(
      `Cannot ${what} as weightDecay must be finite and >= 0: current value is ${wd}`,
    );
  }
  if (!Number.isInteger(o.chains) || o.chains < 1) {
    throw new RangeError(
      `Cannot ${what} as chains must be an integer >= 1: current value is ${o.chains}`,
    );
  }
  if (!Number.isInteger(o.steps) || o.steps < 0) {
    throw new RangeError(
      `Cannot ${what} as steps must be an integer >= 0: current value is ${o.steps}`,
    );
  }
}

/** Checks that `a` has length `n` and only finite entries; throws TypeError / RangeError. */
export function validateFiniteArray(
  what: string,
  name: string,
  a: ArrayLike<number>,
  n: number,
): void {
  if (a.length !== n) {
    throw new TypeError(
      `Cannot ${what} as ${name} has the wrong length: expected ${n}, got ${a.length}`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(a[i]!)) {
      throw new RangeError(
        `Cannot ${what} as ${name} must be finite: entry ${i} is ${a[i]}`,
      );
    }
  }
}

/** Returns the divergence bound on ‖b‖ (default 1e100) after checking it is > 0; throws RangeError. */
export function validateDivergenceBound(
  what: string,
  bound: number | undefined,
): number {
  const value = bound ?? 1e100;
  if (!(value > 0)) {
    throw new RangeError(
      `Cannot ${what} as divergenceBound must be > 0: current value is ${value}`,
    );
  }
  return value;
}
