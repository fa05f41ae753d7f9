// Shows what registerRepairedKernels() fixes. Deno runs every test file in its own isolate, so the stock
// tfjs registry seen here is not affected by the other test files; registration happens inside the first test.
import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import {
  crossEntropyFromLogits,
  hvp,
  registerRepairedKernels,
} from "../../../src/nn/kernels/mod.ts";
import { fdHvp, normals, relErr, sizeOf, useBackend } from "./_helpers.ts";
import { type Problem, sigmoidSoftmaxExp } from "./_nets.ts";

function flatHvp(p: Problem, v: readonly Float32Array[]): Float64Array {
  const { loss, data } = p.build();
  const params = p.init.map((d, i) => tf.tensor(d, [...p.shapes[i]!]));
  const vec = v.map((d, i) => tf.tensor(d, [...p.shapes[i]!]));
  const hv = hvp(loss, params, vec);
  const out = Float64Array.from(hv.flatMap((t) => Array.from(t.dataSync())));
  tf.dispose([...hv, ...params, ...vec, ...data]);
  return out;
}

function fdOf(p: Problem, v: readonly Float32Array[]): Float64Array {
  const { loss, data } = p.build();
  const out = fdHvp(loss, p.init, p.shapes, v, 1e-3);
  tf.dispose(data);
  return out;
}

Deno.test("stock Sigmoid/Softmax/Exp gradients give wrong HVPs; the repaired ones match finite differences", async () => {
  await useBackend("cpu");
  assert.equal(
    tf.getGradient("Exp")!.inputsToSave,
    undefined,
    "expected the stock Exp gradient",
  );
  const p = sigmoidSoftmaxExp(2n);
  const v = p.shapes.map((s, i) => normals(80n + BigInt(i), sizeOf(s)));
  const reference = fdOf(p, v); // first-order gradients are right in stock tfjs
  const stockErr = relErr(flatHvp(p, v), reference);
  registerRepairedKernels();
  const repairedErr = relErr(flatHvp(p, v), reference);
  // Tolerances as in hvp_test.ts: ε = 1e-3 finite differences are good to ~1e-3 relative.
  assert.ok(stockErr > 0.1, `stock HVP unexpectedly close: ${stockErr}`);
  assert.ok(repairedErr < 1e-2, `repaired HVP error ${repairedErr}`);
});

function softmaxCeProblem(kind: "ours" | "tf.losses"): Problem {
  const shapes = [[5, 4]];
  return {
    name: kind,
    shapes,
    init: [normals(90n, 20)],
    build: () => {
      const x = tf.tensor2d(normals(91n, 30), [6, 5]);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1], "int32"), 4);
      return {
        loss: ([w]) => {
          const z = tf.matMul(x, w as tf.Tensor2D);
          return kind === "ours"
            ? crossEntropyFromLogits(z, y)
            : tf.losses.softmaxCrossEntropy(y, z) as tf.Scalar;
        },
        data: [x, y],
      };
    },
  };
}

Deno.test("crossEntropyFromLogits() has the value and gradient of tf.losses.softmaxCrossEntropy and a right HVP, unlike it", async () => {
  registerRepairedKernels();
  await useBackend("wasm");
  const ours = softmaxCeProblem("ours");
  const stock = softmaxCeProblem("tf.losses");
  const v = [normals(92n, 20)];
  const value = (p: Problem): number => {
    const { loss, data } = p.build();
    const w = tf.tensor(p.init[0]!, [5, 4]);
    const l = loss([w]);
    const out = l.dataSync()[0]!;
    tf.dispose([l, w, ...data]);
    return out;
  };
  // float32 evaluation of the same mean of six log-sum-exps: a few ulps.
  assert.ok(
    Math.abs(value(ours) - value(stock)) < 1e-5 * Math.abs(value(stock)),
  );
  const reference = fdOf(ours, v);
  assert.ok(
    relErr(fdOf(stock, v), reference) < 1e-2,
    "first-order gradients should agree",
  );
  assert.ok(relErr(flatHvp(ours, v), reference) < 1e-2);
  // Through its customGrad, tf.losses.softmaxCrossEntropy's gradient is either disconnected from the
  // parameters (tfjs then throws "Cannot compute gradient") or numerically wrong (deeper nets).
  let stockRight = false;
  try {
    stockRight = relErr(flatHvp(stock, v), reference) < 1e-2;
  } catch (e) {
    assert.match(String(e), /Cannot compute gradient/);
  }
  assert.equal(
    stockRight,
    false,
    "tf.losses.softmaxCrossEntropy HVP unexpectedly right",
  );
});
