/**
 * Momentum SGD with PyTorch's semantics (`torch.optim.SGD` with momentum, dampening 0, no Nesterov, coupled
 * weight decay) on a map of `tf.Variable`s.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";

/** Hyperparameters of {@linkcode MomentumSgd}. */
export interface MomentumSgdOptions {
  /** Learning rate η (> 0). */
  readonly eta: number;
  /**
   * Momentum β (0 ≤ β < 1; 0 is plain SGD).
   *
   * @default {0}
   */
  readonly beta?: number;
  /**
   * Coupled L2 weight decay λ (≥ 0), added to the gradient before the momentum buffer (PyTorch
   * `weight_decay`), i.e. SGD on L(θ) + (λ/2)‖θ‖².
   *
   * @default {0}
   */
  readonly weightDecay?: number;
}

/**
 * Momentum SGD in PyTorch form (Kunin et al., theory §1.2): with ĝ_k = ∇L_B(θ_k) + λθ_k,
 * b_{k+1} = β·b_k + ĝ_k and θ_{k+1} = θ_k − η·b_{k+1}, buffers b_0 = 0 (so the first step is θ_0 − ηĝ_0,
 * exactly as PyTorch, which initialises the buffer to the first gradient). Weight decay applies to every
 * parameter given (PyTorch's default when one param group holds all parameters). Float32 through tfjs.
 *
 * The buffers are the quantities the paper's code stores: the speed is ‖θ_{k+1} − θ_k‖² = η²‖b_{k+1}‖².
 *
 * @example One step on L(θ) = ½θ² from θ = 2 with η = 0.1, λ = 0.5
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { MomentumSgd } from "./momentum_sgd.ts";
 *
 * await tf.setBackend("cpu");
 * const theta = tf.variable(tf.scalar(2));
 * const sgd = new MomentumSgd(new Map([["theta", theta]]), { eta: 0.1, beta: 0.9, weightDecay: 0.5 });
 * const loss = sgd.step(() => tf.mul(0.5, tf.square(theta)) as tf.Scalar);
 * assert.equal(loss, 2);
 * // ĝ = θ + λθ = 3, b = 3, θ ← 2 − 0.1·3
 * assert.ok(Math.abs(theta.dataSync()[0]! - 1.7) < 1e-6);
 * sgd.dispose();
 * theta.dispose();
 * ```
 */
export class MomentumSgd {
  /** Learning rate η. */
  readonly eta: number;
  /** Momentum β. */
  readonly beta: number;
  /** Weight decay λ. */
  readonly weightDecay: number;
  /** The parameters updated, by name. */
  readonly params: ReadonlyMap<string, tf.Variable>;
  /** Momentum buffers b (one per parameter, same names and shapes; zero before the first step). */
  readonly buffers: ReadonlyMap<string, tf.Variable>;
  #steps = 0;

  /**
   * @param params Parameters to update (e.g. `net.params`), by name.
   * @param options η, β, λ; see {@linkcode MomentumSgdOptions}.
   * @throws {RangeError} When η ≤ 0, β ∉ [0, 1) or λ < 0 (or any is not finite).
   * @throws {TypeError} When a parameter is not a trainable float32 variable.
   */
  constructor(
    params: ReadonlyMap<string, tf.Variable>,
    options: MomentumSgdOptions,
  ) {
    const { eta } = options;
    const beta = options.beta ?? 0;
    const weightDecay = options.weightDecay ?? 0;
    if (!(Number.isFinite(eta) && eta > 0)) {
      throw new RangeError(
        `Cannot create momentum SGD as eta must be finite and > 0: eta=${eta}`,
      );
    }
    if (!(Number.isFinite(beta) && beta >= 0 && beta < 1)) {
      throw new RangeError(
        `Cannot create momentum SGD as beta must be in [0, 1): beta=${beta}`,
      );
    }
    if (!(Number.isFinite(weightDecay) && weightDecay >= 0)) {
      throw new RangeError(
        `Cannot create momentum SGD as weightDecay must be finite and >= 0: weightDecay=${weightDecay}`,
      );
    }
    for (const [name, v] of params) {
      if (!v.trainable || v.dtype !== "float32") {
        throw new TypeError(
          `Cannot create momentum SGD as parameter "${name}" is not a trainable float32 variable`,
        );
      }
    }
    this.eta = eta;
    this.beta = beta;
    this.weightDecay = weightDecay;
    this.params = params;
    const buffers = new Map<string, tf.Variable>();
    for (const [name, v] of params) {
      const zeros = tf.zerosLike(v);
      buffers.set(name, tf.variable(zeros, false));
      zeros.dispose();
    }
    this.buffers = buffers;
  }

  /** Number of steps taken so far (k). */
  get steps(): number {
    return this.#steps;
  }

  /**
   * One step: evaluates `lossFn` (the mini-batch loss L_B, without the weight-decay term) with gradients
   * w.r.t. the parameters, then applies {@linkcode MomentumSgd.applyGradients}. Tensors made by `lossFn` are
   * freed.
   *
   * @param lossFn Returns the scalar mini-batch loss; it may update BatchNorm statistics as a side effect.
   * @returns The loss value L_B(θ_k) before the step (a JS number; float32 precision).
   * @throws {TypeError} When `lossFn` does not return a scalar or a parameter gets no gradient.
   */
  step(lossFn: () => tf.Scalar): number {
    const vars = [...this.params.values()];
    const { value, grads } = tf.variableGrads(lossFn, vars);
    try {
      if (value.rank !== 0) {
        throw new TypeError(
          `Cannot take an SGD step as the loss must be a scalar: got shape [${value.shape}]`,
        );
      }
      const byName = new Map<string, tf.Tensor>();
      for (const [name, v] of this.params) {
        const g = grads[v.name];
        if (g === undefined) {
          throw new TypeError(
            `Cannot take an SGD step as parameter "${name}" got no gradient`,
          );
        }
        byName.set(name, g);
      }
      this.applyGradients(byName);
      return value.dataSync()[0]!;
    } finally {
      value.dispose();
      tf.dispose(Object.values(grads));
    }
  }

  /**
   * Applies one update from given gradients g = ∇L_B(θ_k): b ← β·b + g + λθ, then θ ← θ − η·b.
   *
   * @param grads A gradient for every parameter, by name, same shapes (not disposed here).
   * @throws {TypeError} When a gradient is missing or has the wrong shape.
   */
  applyGradients(grads: ReadonlyMap<string, tf.Tensor>): void {
    for (const [name, v] of this.params) {
      const g = grads.get(name);
      if (g === undefined || g.shape.join(",") !== v.shape.join(",")) {
        throw new TypeError(
          `Cannot apply gradients as "${name}" has ${
            g === undefined ? "no gradient" : `gradient shape [${g.shape}]`
          }, expected [${v.shape}]`,
        );
      }
    }
    const { eta, beta, weightDecay } = this;
    for (const [name, theta] of this.params) {
      const b = this.buffers.get(name)!;
      const g = grads.get(name)!;
      const [newB, newTheta] = tf.tidy(() => {
        let d = g;
        if (weightDecay !== 0) d = tf.add(d, tf.mul(weightDecay, theta));
        const nb = beta !== 0 ? tf.add(tf.mul(beta, b), d) : tf.add(d, 0);
        return [nb, tf.sub(theta, tf.mul(eta, nb))];
      });
      b.assign(newB!);
      theta.assign(newTheta!);
      newB!.dispose();
      newTheta!.dispose();
    }
    this.#steps++;
  }

  /** Frees the momentum buffers (not the parameters). */
  dispose(): void {
    for (const b of this.buffers.values()) b.dispose();
  }
}
