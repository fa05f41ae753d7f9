import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { hvp, registerRepairedKernels } from "../../../src/nn/kernels/mod.ts";
import {
  fdHvp,
  normals,
  relErr,
  shift,
  sizeOf,
  useBackend,
} from "./_helpers.ts";
import { convNet, type Problem, sigmoidSoftmaxExp, tanhMlp } from "./_nets.ts";

registerRepairedKernels();

function direction(p: Problem, seed: bigint): Float32Array[] {
  return p.shapes.map((s, i) => normals(seed + BigInt(i), sizeOf(s)));
}

/** hvp() flattened on the current backend, asserting that no tensor is left behind. */
function autodiffHvp(p: Problem, v: readonly Float32Array[]): Float64Array {
  const { loss, data } = p.build();
  const params = p.init.map((d, i) => tf.tensor(d, [...p.shapes[i]!]));
  const vec = v.map((d, i) => tf.tensor(d, [...p.shapes[i]!]));
  const before = tf.memory().numTensors;
  const hv = hvp(loss, params, vec);
  assert.equal(
    tf.memory().numTensors,
    before + hv.length,
    "hvp() leaked tensors",
  );
  const out = new Float64Array(hv.reduce((a, t) => a + t.size, 0));
  let o = 0;
  for (const t of hv) {
    out.set(t.dataSync(), o);
    o += t.size;
  }
  tf.dispose([...hv, ...params, ...vec, ...data]);
  return out;
}

function fd(p: Problem, v: readonly Float32Array[], eps: number): Float64Array {
  const { loss, data } = p.build();
  const out = fdHvp(loss, p.init, p.shapes, v, eps);
  tf.dispose(data);
  return out;
}

/**
 * The argmax of every max-pool window with a positive (live) relu output, for the conv net at θ + t·v, on cpu
 * (whose MaxPoolWithArgmax is correct). These units alone carry gradient, so finite differences of the gradient
 * are valid only if this pattern is the same at θ − εv and θ + εv.
 */
function convPattern(
  p: Problem,
  v: readonly Float32Array[],
  t: number,
): string {
  const { data } = p.build();
  const [w, gamma, beta] = shift(p.init, v, t).map((d, i) =>
    tf.tensor(d, [...p.shapes[i]!])
  );
  const pattern = tf.tidy(() => {
    const z = tf.conv2d(data[0] as tf.Tensor4D, w as tf.Tensor4D, 1, "same");
    const { mean, variance } = tf.moments(z, [0, 1, 2]);
    const bn = tf.batchNorm(z, mean, variance, beta!, gamma!, 1e-3);
    const { result, indexes } = tf.maxPoolWithArgmax(
      tf.relu(bn) as tf.Tensor4D,
      2,
      2,
      "valid",
    );
    // Windows whose relu outputs are all 0 have zero gradient whichever element is the argmax.
    const live = tf.where(
      tf.greater(result!, 0),
      indexes!,
      tf.fill(indexes!.shape, -1, "int32"),
    );
    return [...live.dataSync()].join(",");
  });
  tf.dispose([w!, gamma!, beta!, ...data]);
  return pattern;
}

const PROBLEMS: readonly Problem[] = [
  tanhMlp(1n),
  sigmoidSoftmaxExp(2n),
  convNet(3n),
];
// ε = 1e-3 along unit-variance directions: the float32 gradients carry relative rounding ~1e-6, which the
// central difference amplifies by 1/ε to ~1e-3 of |∇L|; truncation is O(ε²). Stock tfjs is off by 40 %+,
// so 1e-2 relative (2-norm) separates right from wrong with a wide margin.
const EPS = 1e-3;
// The conv net has 144 pooled relu units: at ε = 1e-3 one argmax switches (checked below), at 5e-4 none do.
const EPS_CONV = 5e-4;
const TOL = 1e-2;

Deno.test("hvp() equals finite differences of gradients on cpu and wasm (tanh/sigmoid/softmax/exp/conv/BN/relu/maxpool)", async () => {
  for (const [i, p] of PROBLEMS.entries()) {
    const v = direction(p, BigInt(60 + 10 * i));
    const eps = p === PROBLEMS[2] ? EPS_CONV : EPS;
    if (p === PROBLEMS[2]) {
      await useBackend("cpu");
      assert.equal(
        convPattern(p, v, eps),
        convPattern(p, v, -eps),
        "a max-pool/relu switch lies within ±ε",
      );
    }
    for (const backend of ["cpu", "wasm"] as const) {
      await useBackend(backend);
      const ad = autodiffHvp(p, v);
      const ref = fd(p, v, eps);
      const err = relErr(ad, ref);
      assert.ok(err < TOL, `${p.name} on ${backend}: relative error ${err}`);
    }
  }
});

Deno.test("hvp() on wasm matches hvp() on cpu", async () => {
  for (const [i, p] of PROBLEMS.entries()) {
    const v = direction(p, BigInt(70 + 10 * i));
    await useBackend("cpu");
    const cpu = autodiffHvp(p, v);
    await useBackend("wasm");
    const wasm = autodiffHvp(p, v);
    // Same graph, float32 on both backends, different reduction order: ~1e-6 relative in 2-norm.
    const err = relErr(wasm, cpu);
    assert.ok(err < 1e-4, `${p.name}: relative difference ${err}`);
  }
});

Deno.test("hvp() throws TypeError when the vector does not match the parameters", async () => {
  await useBackend("cpu");
  const a = tf.ones([2]);
  const b = tf.ones([3]);
  const loss = (p: readonly tf.Tensor[]) =>
    tf.sum(tf.square(p[0]!)) as tf.Scalar;
  assert.throws(() => hvp(loss, [a], [b]), TypeError);
  assert.throws(() => hvp(loss, [a], []), TypeError);
  assert.throws(() => hvp(loss, [], []), TypeError);
  tf.dispose([a, b]);
});
