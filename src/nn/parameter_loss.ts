/**
 * The mini-batch loss of a {@linkcode Network} as a function of its parameters, in the form the `hvp` helper
 * of `src/nn/kernels/` and `tf.grads` take.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { crossEntropyFromLogits } from "./kernels/cross_entropy_from_logits.ts";
import type { Network } from "./models/network.ts";

/** Options of {@linkcode parameterLoss}. */
export interface ParameterLossOptions {
  /**
   * BatchNorm in training mode (batch statistics; the paper's HVPs run in `model.train()` mode) or in
   * evaluation mode (running statistics). Running statistics are never updated by this loss.
   */
  readonly training: boolean;
}

/** The loss L_B(θ) of a network on one batch, with θ given as a list of tensors. */
export interface ParameterLoss {
  /** Parameter names, in `net.params` (PyTorch `named_parameters()`) order. */
  readonly names: readonly string[];
  /** The network's current parameters θ (its variables), in `names` order. */
  readonly params: readonly tf.Variable[];
  /** L_B at the given parameters (same order and shapes as `params`); mean softmax cross-entropy. */
  readonly lossFn: (params: readonly tf.Tensor[]) => tf.Scalar;
}

/**
 * Wraps a network and a fixed batch as L_B(θ) = mean cross-entropy of `net.forward(x)` against one-hot `y`,
 * written with `crossEntropyFromLogits` so that second derivatives are right. Pass `lossFn`, `params` and a
 * direction to `hvp` for Hessian-vector products, or `lossFn` to `tf.grads`. The weight-decay term (λ/2)‖θ‖²
 * is not included (its Hessian is λI). Float32 through tfjs.
 *
 * @param net The network.
 * @param batch Inputs `x` `[B, ...net.inputShape]` and one-hot labels `y` `[B, K]` (not disposed here).
 * @param options BatchNorm mode; see {@linkcode ParameterLossOptions}.
 * @returns Names, parameters and the loss function.
 * @throws {TypeError} When `y` is not `[B, net.numClasses]` with the batch size of `x`.
 *
 * @example Hessian-vector product of logistic regression
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { Rng } from "../random/rng.ts";
 * import { hvp, registerRepairedKernels } from "./kernels/mod.ts";
 * import { createMlp } from "./models/mlp.ts";
 * import { parameterLoss } from "./parameter_loss.ts";
 *
 * registerRepairedKernels();
 * await tf.setBackend("cpu");
 * const net = createMlp({ inputShape: [2], hidden: [], numClasses: 2 }, Rng.fromSeed(1n));
 * const x = tf.tensor2d([[1, 2]]);
 * const y = tf.tensor2d([[1, 0]]);
 * const { lossFn, params } = parameterLoss(net, { x, y }, { training: false });
 * const hv = hvp(lossFn, params, params.map((p) => tf.onesLike(p)));
 * assert.equal(hv.length, 2);
 * assert.deepEqual(hv[0]!.shape, [2, 2]);
 * net.dispose();
 * ```
 */
export function parameterLoss(
  net: Network,
  batch: { readonly x: tf.Tensor; readonly y: tf.Tensor },
  options: ParameterLossOptions,
): ParameterLoss {
  const { x, y } = batch;
  if (
    y.rank !== 2 || y.shape[0] !== x.shape[0] || y.shape[1] !== net.numClasses
  ) {
    throw new TypeError(
      `Cannot build the parameter loss as y must be [${
        x.shape[0]
      }, ${net.numClasses}]: got [${y.shape}]`,
    );
  }
  const names = [...net.params.keys()];
  const params = [...net.params.values()];
  const training = options.training;
  const lossFn = (ps: readonly tf.Tensor[]): tf.Scalar => {
    if (ps.length !== names.length) {
      throw new TypeError(
        `Cannot evaluate the parameter loss as ${ps.length} tensors were given, expected ${names.length}`,
      );
    }
    const overrides = new Map(names.map((n, i) => [n, ps[i]!] as const));
    return tf.tidy(() =>
      crossEntropyFromLogits(
        net.forward(x, { training, updateStats: false, params: overrides }),
        y,
      )
    );
  };
  return { names, params, lossFn };
}
