/**
 * Result and recorder types shared by the SGD simulators.
 *
 * @module
 */

/**
 * What the simulators record, computed on the fly (no full trajectories are stored).
 *
 * Conventions: x = projection of θ_k − μ (per mode for the quadratic; per caller direction for regression),
 * v_k = (θ_k − θ_{k−1})/η = −b_k (backward-difference velocity, minus the PyTorch buffer),
 * δ_k = θ_{k+1} − θ_k = −η b_{k+1}.
 */
export interface RecordOptions {
  /**
   * Steps k at which ensemble statistics are taken, strictly increasing integers in [0, steps). Statistics at k
   * describe the state after k updates (θ_k, b_k); speed and angular momentum use the update k → k+1.
   */
  readonly steps?: readonly number[];
  /** Record the full (2m)×(2m) ensemble covariance of (x_1..x_m, v_1..v_m) for the first m modes/directions. */
  readonly covarianceModes?: number;
  /**
   * Per-chain time average of ‖δ_k‖² = η²‖b_{k+1}‖² over k ∈ [speedAverageFrom, steps) (independent chains ⇒
   * the caller can take a standard error across chains). Omit to skip.
   */
  readonly speedAverageFrom?: number;
  /** Phase-space trajectory of chain 0 for the first `trajectoryModes` modes/directions (default 0 = none). */
  readonly trajectoryModes?: number;
  /** Keep every `trajectoryEvery`-th step of the trajectory (default 1), starting at k = 0. */
  readonly trajectoryEvery?: number;
}

/** Ensemble statistics recorded by a simulator (arrays indexed [record r][mode or direction i] row-major). */
export interface SgdRecord {
  /** Recorded steps k (only those reached before a divergence). */
  readonly steps: readonly number[];
  /** Number of modes (quadratic) or projection directions (regression) p. */
  readonly modes: number;
  /** Ensemble mean of u_iᵀθ_k (absolute, i.e. μ_i + mean x), length steps.length·p. */
  readonly thetaMean: Float64Array;
  /** Ensemble variance (unbiased, /(chains−1)) of u_iᵀθ_k; NaN when chains = 1. */
  readonly thetaVariance: Float64Array;
  /** Ensemble mean of the velocity v_k = −b_k along each mode/direction. */
  readonly velocityMean: Float64Array;
  /** Ensemble variance (unbiased) of v_k along each mode/direction. */
  readonly velocityVariance: Float64Array;
  /** Ensemble covariance (unbiased) of (u_iᵀθ_k, u_iᵀv_k) per mode/direction. */
  readonly thetaVelocityCovariance: Float64Array;
  /**
   * Ensemble mean of x_k Δv_k − v_k Δx_k per mode/direction with Δ the one-step forward difference and
   * v = Δθ/η (a per-step quantity; divide by η for the per-unit-time rate of theory C10).
   */
  readonly angularMomentum: Float64Array;
  /** Ensemble mean squared displacement E‖θ_k − θ_0‖² over the full parameter vector, length steps.length. */
  readonly msd: Float64Array;
  /** Ensemble mean speed E‖θ_{k+1} − θ_k‖² over the full parameter vector, length steps.length. */
  readonly speed: Float64Array;
  /**
   * If requested: ensemble covariance (unbiased) of (x_1..x_m, v_1..v_m), steps.length blocks of (2m)² row-major.
   */
  readonly covariance?: Float64Array;
  /** Number m of modes in {@linkcode SgdRecord.covariance} (0 when not requested). */
  readonly covarianceModes: number;
  /** If requested: per-chain time average of ‖δ_k‖² over k ∈ [speedAverageFrom, stepsCompleted). */
  readonly speedChainAverage?: Float64Array;
  /** If requested: chain-0 phase-space trajectory (u_iᵀθ_k and v_k), rows = kept steps, columns = modes. */
  readonly trajectory?: {
    readonly steps: readonly number[];
    readonly modes: number;
    readonly theta: Float64Array;
    readonly velocity: Float64Array;
  };
}

/** Outcome of a simulation: a diverging run is a result, not an exception. */
export interface SgdResult {
  /** "ok", or "diverged" if the state became non-finite or exceeded the bound, or the parameters are unstable. */
  readonly status: "ok" | "diverged";
  /**
   * First step k at which some chain's ‖b_k‖² was non-finite or above bound² (θ cannot blow up without b); 0 for
   * "unstable" parameters (nothing simulated); null when ok.
   */
  readonly divergedAtStep: number | null;
  /** Why the run diverged (absent when ok). */
  readonly reason?: "unstable" | "non-finite-or-bound";
  /** Number of updates performed (on divergence: `divergedAtStep`, or 0 for "unstable"). */
  readonly stepsCompleted: number;
  /** Recorded statistics (truncated at divergence). */
  readonly record: SgdRecord;
  /** Final θ of every chain (chains × d row-major; eigen-coordinates for the quadratic). */
  readonly finalTheta: Float64Array;
  /** Final momentum buffer b of every chain (chains × d row-major). */
  readonly finalBuffer: Float64Array;
}
