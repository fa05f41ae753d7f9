/**
 * The functional network container shared by every model: trainable parameters and BatchNorm buffers in
 * `Map`s keyed by PyTorch (torchvision) names, and a forward function that reads them.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import { batchMoments } from "../kernels/batch_moments.ts";

/**
 * How a tensor is laid out, which decides the PyTorch ↔ tfjs conversion in checkpoints:
 * `"conv"` is stored as a tfjs kernel `[kh, kw, in, out]` (PyTorch `[out, in, kh, kw]`), `"dense"` as
 * `[in, out]` (PyTorch `[out, in]`), `"plain"` is the same in both (biases, BatchNorm vectors).
 */
export type TensorLayout = "conv" | "dense" | "plain";

/** One entry of a network's state: a trainable parameter, a BatchNorm buffer or a batch counter. */
export interface StateEntry {
  /** PyTorch state-dict name, e.g. `"layer1.0.conv1.weight"`. */
  readonly name: string;
  /** `"param"` (trainable), `"buffer"` (running_mean / running_var) or `"counter"` (num_batches_tracked). */
  readonly role: "param" | "buffer" | "counter";
  /** Shape in tfjs layout (a counter has shape `[]`). */
  readonly shape: readonly number[];
  /** Layout, for the checkpoint conversion. */
  readonly layout: TensorLayout;
}

/** Options of {@linkcode Network.forward}. */
export interface ForwardOptions {
  /**
   * BatchNorm mode: `true` normalises with the batch statistics (biased variance, as PyTorch's `train()`),
   * `false` with the running statistics (PyTorch's `eval()`).
   */
  readonly training: boolean;
  /**
   * In training mode, also update the running statistics (momentum 0.1, unbiased variance) and the batch
   * counters, as one PyTorch `train()` forward pass does. Set `false` for extra passes that must not change
   * the state (Hessian-vector products, loss probes).
   *
   * @default {training}
   */
  readonly updateStats?: boolean;
  /**
   * Tensors to use instead of some or all of the stored parameters (same names, tfjs layout), e.g. the
   * arguments of a `tf.grads` closure for a Hessian-vector product.
   */
  readonly params?: ReadonlyMap<string, tf.Tensor>;
}

/** BatchNorm constants of PyTorch's `nn.BatchNorm2d` defaults. */
export const BATCH_NORM_EPSILON = 1e-5;
/** Running-statistics momentum of PyTorch's `nn.BatchNorm2d` (weight of the new batch statistic). */
export const BATCH_NORM_MOMENTUM = 0.1;

/** What a forward function sees: parameter lookup and a BatchNorm that handles both modes. */
export interface ForwardContext {
  /** The parameter called `name` (an override from {@linkcode ForwardOptions.params} if given). */
  param(name: string): tf.Tensor;
  /** BatchNorm over the channel (last) axis with the parameters and buffers under `prefix` (e.g. `"bn1"`). */
  batchNorm(prefix: string, x: tf.Tensor4D): tf.Tensor4D;
}

/** Forward function of a network: NHWC input (or [B, features]) to logits [B, classes]. */
export type ForwardFn = (ctx: ForwardContext, x: tf.Tensor) => tf.Tensor2D;

/** Everything needed to build a {@linkcode Network}. */
export interface NetworkDefinition {
  /** Architecture name recorded in checkpoints, e.g. `"resnet18"`. */
  readonly architecture: string;
  /** Architecture settings recorded in checkpoints (JSON-serialisable). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Input shape of one example in tfjs layout (`[H, W, C]` for images, `[features]` for vectors). */
  readonly inputShape: readonly number[];
  /** Number of output classes K. */
  readonly numClasses: number;
  /** State entries in PyTorch `state_dict()` order. */
  readonly entries: readonly StateEntry[];
  /** Initial values (tfjs layout) of every param and buffer entry, by name; counters start at 0. */
  readonly initial: ReadonlyMap<string, Float32Array>;
  /** The forward function. */
  readonly forward: ForwardFn;
}

let nextNetworkId = 0;

/**
 * A network whose state lives in `Map`s keyed by PyTorch names: `params` (trainable `tf.Variable`s, in
 * PyTorch `named_parameters()` order), `buffers` (BatchNorm running mean/variance, non-trainable variables)
 * and `counters` (`num_batches_tracked`). The forward pass is a plain function of these, so a caller can
 * flatten, checkpoint, or differentiate through any subset of parameters.
 *
 * Weights are stored in tfjs layout (conv `[kh, kw, in, out]`, dense `[in, out]`); see `entries` for each
 * tensor's layout. Build networks with {@linkcode createResNet18}, {@linkcode createMlp} or
 * {@linkcode createSmallCnn}.
 *
 * @example A one-layer network
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 * import { Network } from "./network.ts";
 *
 * await tf.setBackend("cpu");
 * const net = new Network({
 *   architecture: "linear",
 *   config: {},
 *   inputShape: [2],
 *   numClasses: 1,
 *   entries: [{ name: "fc.weight", role: "param", shape: [2, 1], layout: "dense" }],
 *   initial: new Map([["fc.weight", new Float32Array([3, 4])]]),
 *   forward: (ctx, x) => tf.matMul(x as tf.Tensor2D, ctx.param("fc.weight") as tf.Tensor2D),
 * });
 * const y = net.forward(tf.tensor2d([[1, 1]]), { training: false });
 * assert.deepEqual(Array.from(y.dataSync()), [7]);
 * net.dispose();
 * ```
 */
export class Network {
  /** Architecture name, e.g. `"resnet18"`. */
  readonly architecture: string;
  /** Architecture settings (JSON-serialisable). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Input shape of one example in tfjs layout. */
  readonly inputShape: readonly number[];
  /** Number of output classes K. */
  readonly numClasses: number;
  /** All state entries, in PyTorch `state_dict()` order. */
  readonly entries: readonly StateEntry[];
  /** Trainable parameters by PyTorch name, in `named_parameters()` order (tfjs layout). */
  readonly params: ReadonlyMap<string, tf.Variable>;
  /** BatchNorm running statistics by PyTorch name (`…running_mean`, `…running_var`). */
  readonly buffers: ReadonlyMap<string, tf.Variable>;
  /** BatchNorm batch counters by PyTorch name (`…num_batches_tracked`). */
  readonly counters: Map<string, number>;
  #forward: ForwardFn;
  #disposed = false;

  /**
   * Creates the variables of a network from its definition.
   *
   * @param definition Architecture, entries, initial values and forward function.
   * @throws {TypeError} When an initial value is missing or has the wrong length for its entry.
   */
  constructor(definition: NetworkDefinition) {
    this.architecture = definition.architecture;
    this.config = definition.config;
    this.inputShape = [...definition.inputShape];
    this.numClasses = definition.numClasses;
    this.entries = definition.entries;
    this.#forward = definition.forward;
    const id = nextNetworkId++;
    const params = new Map<string, tf.Variable>();
    const buffers = new Map<string, tf.Variable>();
    this.counters = new Map();
    for (const e of definition.entries) {
      if (e.role === "counter") {
        this.counters.set(e.name, 0);
        continue;
      }
      const init = definition.initial.get(e.name);
      const size = e.shape.reduce((a, b) => a * b, 1);
      if (init === undefined || init.length !== size) {
        throw new TypeError(
          `Cannot create network as the initial value of "${e.name}" has length ${init?.length}, expected ${size}`,
        );
      }
      const t = tf.tensor(init, [...e.shape], "float32");
      const v = tf.variable(t, e.role === "param", `net${id}/${e.name}`);
      t.dispose();
      (e.role === "param" ? params : buffers).set(e.name, v);
    }
    this.params = params;
    this.buffers = buffers;
  }

  /** Number of trainable scalars (the dimension d of θ). */
  get parameterCount(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  /**
   * Runs the network on a batch. Call it inside `tf.tidy` (or a gradient function): intermediate tensors are
   * not disposed here. In training mode with `updateStats`, the running statistics are assigned after the
   * pass (also when called inside `tf.variableGrads`, as PyTorch updates them during the forward pass).
   *
   * @param x Inputs `[B, ...inputShape]` (NHWC for images), float32.
   * @param options BatchNorm mode, statistics update, parameter overrides.
   * @returns Logits z, shape `[B, numClasses]`.
   * @throws {TypeError} When `x` does not have shape `[B, ...inputShape]`.
   * @throws {RangeError} In training mode with BatchNorm, when a channel has a single value per batch
   *   (PyTorch refuses this too: the unbiased variance is undefined).
   */
  forward(x: tf.Tensor, options: ForwardOptions): tf.Tensor2D {
    if (this.#disposed) {
      throw new TypeError(
        `Cannot run network "${this.architecture}" as it was disposed`,
      );
    }
    if (
      x.rank !== this.inputShape.length + 1 ||
      this.inputShape.some((d, i) => x.shape[i + 1] !== d)
    ) {
      throw new TypeError(
        `Cannot run network "${this.architecture}" as the input must be [B, ${this.inputShape}]: got [${x.shape}]`,
      );
    }
    const training = options.training;
    const update = training && (options.updateStats ?? true);
    const overrides = options.params;
    const params = this.params;
    const buffers = this.buffers;
    const updates: [string, tf.Tensor, tf.Tensor, number][] = [];
    const param = (name: string): tf.Tensor => {
      const t = overrides?.get(name) ?? params.get(name);
      if (t === undefined) {
        throw new TypeError(
          `Cannot run network as it has no parameter "${name}"`,
        );
      }
      return t;
    };
    const ctx: ForwardContext = {
      param,
      batchNorm: (prefix, h) => {
        const scale = param(`${prefix}.weight`);
        const offset = param(`${prefix}.bias`);
        if (!training) {
          return tf.batchNorm(
            h,
            buffers.get(`${prefix}.running_mean`)!,
            buffers.get(`${prefix}.running_var`)!,
            offset,
            scale,
            BATCH_NORM_EPSILON,
          ) as tf.Tensor4D;
        }
        const n = h.shape[0] * h.shape[1] * h.shape[2];
        if (n < 2) {
          throw new RangeError(
            `Cannot run BatchNorm "${prefix}" in training mode as each channel has fewer than 2 values: input [${h.shape}]`,
          );
        }
        // Bitwise tf.moments(h, [0, 1, 2]), but its gradient skips tf.ones (BatchNorm fwd+bwd ~0.6× on wasm).
        const { mean, variance } = batchMoments(h);
        if (update) updates.push([prefix, mean, variance, n]);
        return tf.batchNorm(
          h,
          mean,
          variance,
          offset,
          scale,
          BATCH_NORM_EPSILON,
        ) as tf.Tensor4D;
      },
    };
    const logits = this.#forward(ctx, x);
    for (const [prefix, mean, variance, n] of updates) {
      const rm = buffers.get(`${prefix}.running_mean`)!;
      const rv = buffers.get(`${prefix}.running_var`)!;
      const m = BATCH_NORM_MOMENTUM;
      const [newMean, newVar] = tf.tidy(() => {
        return [
          tf.add(tf.mul(1 - m, rm), tf.mul(m, mean)),
          tf.add(tf.mul(1 - m, rv), tf.mul(m * n / (n - 1), variance)),
        ];
      });
      rm.assign(newMean!);
      rv.assign(newVar!);
      newMean!.dispose();
      newVar!.dispose();
      const counter = `${prefix}.num_batches_tracked`;
      this.counters.set(counter, (this.counters.get(counter) ?? 0) + 1);
    }
    return logits;
  }

  /** Frees every variable; the network cannot be used afterwards. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const v of this.params.values()) v.dispose();
    for (const v of this.buffers.values()) v.dispose();
  }
}
