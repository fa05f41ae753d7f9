import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { flattenParams, unflattenParams } from "../../src/nn/flatten_params.ts";
import { createMlp } from "../../src/nn/models/mlp.ts";
import { Rng } from "../../src/random/rng.ts";
import { useBackend } from "./models/_torch_fixture.ts";

await useBackend("wasm");

Deno.test("flattenParams() follows named_parameters order and unflattenParams() inverts it", () => {
  const before = tf.memory().numTensors;
  const net = createMlp(
    { inputShape: [2], hidden: [3], numClasses: 2 },
    Rng.fromSeed(1n),
  );
  const flat = flattenParams(net.params);
  assert.equal(flat.length, net.parameterCount);
  assert.equal(flat.length, 2 * 3 + 3 + 3 * 2 + 2);
  // fc1.weight (tfjs [in, out] row-major) comes first, then fc1.bias, fc2.weight, fc2.bias.
  assert.deepEqual(
    Array.from(flat.subarray(0, 6)),
    Array.from(net.params.get("fc1.weight")!.dataSync()),
  );
  assert.deepEqual(
    Array.from(flat.subarray(6, 9)),
    Array.from(net.params.get("fc1.bias")!.dataSync()),
  );
  const other = createMlp(
    { inputShape: [2], hidden: [3], numClasses: 2 },
    Rng.fromSeed(2n),
  );
  unflattenParams(flat, other.params);
  assert.deepEqual(flattenParams(other.params), flat);
  assert.throws(
    () => unflattenParams(flat.subarray(1), other.params),
    TypeError,
  );
  net.dispose();
  other.dispose();
  assert.equal(tf.memory().numTensors, before);
});
