/**
 * Optimiser hyperparameters of heavy-ball SGD with coupled weight decay (PyTorch form
 * b_{k+1} = β b_k + ĝ_k, θ_{k+1} = θ_k − η b_{k+1}) and their validation.
 *
 * @module
 */

/** Hyperparameters (η, β, S, λ) of momentum SGD with coupled (L2) weight decay. */
export interface Hyperparameters {
  /** Learning rate η (> 0, finite). */
  readonly eta: number;
  /** Momentum β (0 ≤ β < 1). */
  readonly beta: number;
  /** Batch size S (≥ 1, finite; need not be an integer). */
  readonly batchSize: number;
  /**
   * Weight decay λ (≥ 0, default 0). Per-mode functions that take curvatures h_i = λ_i + λ ignore it
   * (the decay is already inside h_i).
   */
  readonly weightDecay?: number;
}

/**
 * Checks η > 0 finite, 0 ≤ β < 1, S ≥ 1 finite and λ ≥ 0 finite (when given).
 *
 * @param hp Hyperparameters: eta η (> 0), beta β ∈ [0, 1), batchSize S (≥ 1), weightDecay λ (≥ 0).
 * @param action What the caller was doing, for the message (default "use hyperparameters").
 * @throws {RangeError} If any value is out of range or not a finite number.
 *
 * @example Usage
 * ```ts
 * import { validateHyperparameters } from "./hyperparameters.ts";
 * import assert from "node:assert/strict";
 *
 * validateHyperparameters({ eta: 0.01, beta: 0.9, batchSize: 32, weightDecay: 1e-4 });
 * assert.throws(() => validateHyperparameters({ eta: 0.01, beta: 1, batchSize: 32 }), RangeError);
 * ```
 */
export function validateHyperparameters(
  hp: Hyperparameters,
  action = "use hyperparameters",
): void {
  const { eta, beta, batchSize } = hp;
  const weightDecay = hp.weightDecay ?? 0;
  if (typeof eta !== "number" || !Number.isFinite(eta) || !(eta > 0)) {
    throw new RangeError(
      `Cannot ${action} as eta must be a finite number > 0: current value is ${eta}`,
    );
  }
  if (
    typeof beta !== "number" || !Number.isFinite(beta) || !(beta >= 0) ||
    !(beta < 1)
  ) {
    throw new RangeError(
      `Cannot ${action} as beta must be in [0, 1): current value is ${beta}`,
    );
  }
  if (
    typeof batchSize !== "number" || !Number.isFinite(batchSize) ||
    !(batchSize >= 1)
  ) {
    throw new RangeError(
      `Cannot ${action} as batchSize must be a finite number >= 1: current value is ${batchSize}`,
    );
  }
  if (
    typeof weightDecay !== "number" || !Number.isFinite(weightDecay) ||
    !(weightDecay >= 0)
  ) {
    throw new RangeError(
      `Cannot ${action} as weightDecay must be a finite number >= 0: current value is ${weightDecay}`,
    );
  }
}
