import assert from "node:assert/strict";
import { assertFinite } from "../../src/formats/assert_finite.ts";
import {
  tensorToFloat32,
  tensorToFloat64,
} from "../../src/formats/to_float.ts";
import type { Tensor } from "../../src/formats/tensor.ts";

Deno.test("tensorToFloat32() and tensorToFloat64() convert every dtype", () => {
  const cases: [Tensor, number[]][] = [
    [{ dtype: "BOOL", shape: [2], data: new Uint8Array([1, 0]) }, [1, 0]],
    [{ dtype: "I8", shape: [1], data: new Int8Array([-128]) }, [-128]],
    [{ dtype: "U32", shape: [1], data: new Uint32Array([4e9]) }, [4e9]],
    // 0x3555 = (1024 + 341)/1024 · 2^-2 in binary16; 0x3eab = 0x3eab0000 as float32 = 0.333984375
    [{ dtype: "F16", shape: [1], data: new Uint16Array([0x3555]) }, [
      1365 / 4096,
    ]],
    [{ dtype: "BF16", shape: [1], data: new Uint16Array([0x3eab]) }, [
      0.333984375,
    ]],
    [
      { dtype: "I64", shape: [2], data: new BigInt64Array([-(2n ** 53n), 7n]) },
      [-(2 ** 53), 7],
    ],
    [{ dtype: "U64", shape: [1], data: new BigUint64Array([2n ** 63n]) }, [
      2 ** 63,
    ]],
    [{ dtype: "F64", shape: [1], data: new Float64Array([0.1]) }, [0.1]],
  ];
  for (const [t, expected] of cases) {
    assert.deepEqual(Array.from(tensorToFloat64(t)), expected, t.dtype);
    assert.deepEqual(
      Array.from(tensorToFloat32(t)),
      expected.map(Math.fround),
      t.dtype,
    );
  }
});

Deno.test("tensorToFloat32() returns a copy for F32 input", () => {
  const data = new Float32Array([1, 2]);
  const out = tensorToFloat32({ dtype: "F32", shape: [2], data });
  out[0] = 9;
  assert.equal(data[0], 1);
});

Deno.test("assertFinite() throws RangeError naming the tensor and the first bad element", () => {
  assertFinite("ok", new Float64Array([0, -1e308, 5e-324]));
  assertFinite("empty", []);
  for (const bad of [NaN, Infinity, -Infinity]) {
    assert.throws(
      () =>
        assertFinite(
          "layer1.0.conv1.weight",
          new Float32Array([0, 1, bad, NaN]),
        ),
      (e: unknown) => {
        assert.ok(e instanceof RangeError);
        assert.equal(
          e.message,
          `Cannot use tensor "layer1.0.conv1.weight" as it contains a non-finite value: element 2 of 4 is ${bad}`,
        );
        return true;
      },
    );
  }
});
