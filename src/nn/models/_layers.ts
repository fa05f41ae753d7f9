/**
 * Private building blocks shared by the models: PyTorch-default initialisers on an {@linkcode Rng} and
 * a small builder that collects state entries in PyTorch `state_dict()` order.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../../random/rng.ts";
import type { StateEntry } from "./network.ts";

/** Collects state entries and their initial values in registration (PyTorch `state_dict()`) order. */
export class StateBuilder {
  readonly entries: StateEntry[] = [];
  readonly initial: Map<string, Float32Array> = new Map();
  readonly #rng: Rng;

  constructor(rng: Rng) {
    this.#rng = rng;
  }

  /**
   * A conv weight, tfjs layout [kh, kw, in, out], torchvision init kaiming_normal_(mode="fan_out",
   * nonlinearity="relu"): N(0, 2 / (out·kh·kw)).
   */
  convKaimingFanOut(name: string, k: number, cin: number, cout: number): void {
    const std = Math.sqrt(2 / (cout * k * k));
    const data = new Float32Array(k * k * cin * cout);
    for (let i = 0; i < data.length; i++) data[i] = std * this.#rng.normal();
    this.#add(name, "param", [k, k, cin, cout], "conv", data);
  }

  /**
   * A conv layer with PyTorch's default `nn.Conv2d` init: weight (and bias, if `bias`) U(−1/√fan_in, 1/√fan_in),
   * fan_in = in·kh·kw (kaiming_uniform_ with a = √5).
   */
  convDefault(
    prefix: string,
    k: number,
    cin: number,
    cout: number,
    bias: boolean,
  ): void {
    const bound = 1 / Math.sqrt(cin * k * k);
    this.#add(
      `${prefix}.weight`,
      "param",
      [k, k, cin, cout],
      "conv",
      this.#uniform(k * k * cin * cout, bound),
    );
    if (bias) {
      this.#add(
        `${prefix}.bias`,
        "param",
        [cout],
        "plain",
        this.#uniform(cout, bound),
      );
    }
  }

  /** A dense layer with PyTorch's default `nn.Linear` init: U(−1/√in, 1/√in) for weight and bias. */
  linearDefault(prefix: string, cin: number, cout: number): void {
    const bound = 1 / Math.sqrt(cin);
    this.#add(
      `${prefix}.weight`,
      "param",
      [cin, cout],
      "dense",
      this.#uniform(cin * cout, bound),
    );
    this.#add(
      `${prefix}.bias`,
      "param",
      [cout],
      "plain",
      this.#uniform(cout, bound),
    );
  }

  /** A BatchNorm2d: weight 1, bias 0, running_mean 0, running_var 1, num_batches_tracked 0. */
  batchNorm(prefix: string, channels: number): void {
    const ones = new Float32Array(channels).fill(1);
    this.#add(`${prefix}.weight`, "param", [channels], "plain", ones);
    this.#add(
      `${prefix}.bias`,
      "param",
      [channels],
      "plain",
      new Float32Array(channels),
    );
    this.#add(
      `${prefix}.running_mean`,
      "buffer",
      [channels],
      "plain",
      new Float32Array(channels),
    );
    this.#add(
      `${prefix}.running_var`,
      "buffer",
      [channels],
      "plain",
      ones.slice(),
    );
    this.entries.push({
      name: `${prefix}.num_batches_tracked`,
      role: "counter",
      shape: [],
      layout: "plain",
    });
  }

  #uniform(n: number, bound: number): Float32Array {
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = (2 * this.#rng.float() - 1) * bound;
    return data;
  }

  #add(
    name: string,
    role: "param" | "buffer",
    shape: number[],
    layout: StateEntry["layout"],
    data: Float32Array,
  ): void {
    this.entries.push({ name, role, shape, layout });
    this.initial.set(name, data);
  }
}

/** Conv2d with PyTorch's symmetric zero padding `pad` (tfjs "same" pads asymmetrically for stride 2). */
export function conv(
  x: tf.Tensor4D,
  w: tf.Tensor,
  stride: number,
  pad: number,
): tf.Tensor4D {
  return tf.conv2d(x, w as tf.Tensor4D, stride, pad);
}

/** Flattens NHWC activations in PyTorch's NCHW order (C, H, W), so dense weights match `nn.Flatten`. */
export function flattenTorchOrder(x: tf.Tensor): tf.Tensor2D {
  const b = x.shape[0]!;
  if (x.rank === 4) {
    return tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [b, -1]);
  }
  return tf.reshape(x, [b, -1]);
}

/** Dense layer y = x·W + b with W in tfjs layout [in, out]. */
export function dense(
  x: tf.Tensor2D,
  w: tf.Tensor,
  b: tf.Tensor,
): tf.Tensor2D {
  return tf.add(tf.matMul(x, w as tf.Tensor2D), b);
}

/** Validates a positive-integer option. */
export function checkPositiveInt(what: string, name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 1) {
    throw new RangeError(
      `Cannot create ${what} as ${name} must be a positive integer: ${name}=${v}`,
    );
  }
}
