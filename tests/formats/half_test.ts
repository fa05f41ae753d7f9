import assert from "node:assert/strict";
import {
  fromBfloat16Bits,
  fromFloat16Bits,
  toBfloat16Bits,
  toFloat16Bits,
} from "../../src/formats/half.ts";
import { fixtureJson, type JsonValue, num } from "./_fixtures.ts";

// Expected bits come from fixtures/formats/gen_formats.py: exact rational rounding (fractions.Fraction), checked
// there against NumPy's float64→float16 cast and the integer RNE trick on float32 bits for bfloat16.
const CASES = fixtureJson<{ x: JsonValue; f16: number; bf16: number }[]>(
  "half_cases.json",
);

Deno.test("toFloat16Bits() rounds to nearest even like NumPy and exact rational rounding", () => {
  const xs = CASES.map((c) => num(c.x));
  const bits = toFloat16Bits(xs);
  CASES.forEach((c, i) => {
    assert.equal(
      bits[i],
      c.f16,
      `x=${xs[i]}: got 0x${bits[i]!.toString(16)}, expected 0x${
        c.f16.toString(16)
      }`,
    );
  });
});

Deno.test("toBfloat16Bits() rounds to nearest even like exact rational rounding", () => {
  const xs = CASES.map((c) => num(c.x));
  const bits = toBfloat16Bits(xs);
  CASES.forEach((c, i) => {
    assert.equal(
      bits[i],
      c.bf16,
      `x=${xs[i]}: got 0x${bits[i]!.toString(16)}, expected 0x${
        c.bf16.toString(16)
      }`,
    );
  });
});

Deno.test("toFloat16Bits() gives the same bits from a Float32Array as from its float64 values", () => {
  const xs = new Float32Array(CASES.map((c) => num(c.x)));
  assert.deepEqual(toFloat16Bits(xs), toFloat16Bits(Array.from(xs)));
});

Deno.test("fromFloat16Bits() decodes every pattern exactly (field formula and round trip)", () => {
  const all = new Uint16Array(65536).map((_, i) => i);
  const x = fromFloat16Bits(all);
  for (let b = 0; b < 65536; b++) {
    const s = b >> 15;
    const e = (b >> 10) & 31;
    const m = b & 1023;
    // IEEE 754 binary16: subnormal m·2^-24, normal (1024 + m)·2^(e-25), e = 31 is inf/NaN.
    const expected = e === 31
      ? (m === 0 ? Infinity : NaN)
      : e === 0
      ? m / 16777216
      : ((1024 + m) / 1024) * Math.pow(2, e - 15);
    const signed = s ? -expected : expected;
    if (!Object.is(x[b], signed)) {
      assert.fail(`bits 0x${b.toString(16)}: got ${x[b]}, expected ${signed}`);
    }
  }
  // Decoding then re-encoding returns the pattern (except NaN payloads, canonicalised to 0x7e00).
  const back = toFloat16Bits(x);
  for (let b = 0; b < 65536; b++) {
    const isNan = ((b >> 10) & 31) === 31 && (b & 1023) !== 0;
    assert.equal(back[b], isNan ? 0x7e00 : b, `bits 0x${b.toString(16)}`);
  }
});

Deno.test("fromBfloat16Bits() is the top half of a float32 for every pattern", () => {
  const all = new Uint16Array(65536).map((_, i) => i);
  const x = fromBfloat16Bits(all);
  const view = new DataView(new ArrayBuffer(4));
  for (let b = 0; b < 65536; b++) {
    view.setUint32(0, b * 65536);
    const expected = view.getFloat32(0);
    if (!Object.is(x[b], expected)) {
      assert.fail(
        `bits 0x${b.toString(16)}: got ${x[b]}, expected ${expected}`,
      );
    }
  }
  const back = toBfloat16Bits(x);
  for (let b = 0; b < 65536; b++) {
    const isNan = ((b >> 7) & 255) === 255 && (b & 127) !== 0;
    assert.equal(back[b], isNan ? 0x7fc0 : b, `bits 0x${b.toString(16)}`);
  }
});
