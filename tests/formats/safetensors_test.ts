import assert from "node:assert/strict";
import {
  readSafetensors,
  writeSafetensors,
} from "../../src/formats/safetensors.ts";
import type { Tensor } from "../../src/formats/tensor.ts";
import { tensorToFloat64 } from "../../src/formats/to_float.ts";
import {
  fixtureBytes,
  fixtureJson,
  type JsonValue,
  num,
  sameFloats,
} from "./_fixtures.ts";

interface Expected {
  safetensors: Record<
    string,
    { dtype: string; shape: number[]; values: JsonValue[]; bits?: number[] }
  >;
  "safetensors_metadata": Record<string, string>;
}

const EXPECTED = fixtureJson<Expected>("expected.json");

/** Builds a file from a header (object or raw text) and data bytes, optionally lying about the header length. */
function build(
  header: unknown,
  data: Uint8Array = new Uint8Array(0),
  declaredLength?: bigint,
): Uint8Array {
  const text = typeof header === "string" ? header : JSON.stringify(header);
  const h = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(
    0,
    declaredLength ?? BigInt(h.length),
    true,
  );
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function rejects(
  bytes: Uint8Array,
  kind: typeof RangeError | typeof SyntaxError,
  pattern: RegExp,
  options: { maxHeaderBytes?: number } = {},
): void {
  assert.throws(() => readSafetensors(bytes, options), (e: unknown) => {
    assert.ok(e instanceof kind, `expected ${kind.name}, got ${e}`);
    assert.equal(e.constructor, kind);
    assert.match(e.message, /^Cannot read safetensors as /);
    assert.doesNotMatch(e.message, /\.$/);
    assert.match(e.message, pattern);
    return true;
  });
}

const F32x2 = { dtype: "F32", shape: [2], "data_offsets": [0, 8] };

Deno.test("readSafetensors() reads a file written by hand in Python (gen_formats.py)", () => {
  const { tensors, metadata } = readSafetensors(
    fixtureBytes("golden.safetensors"),
  );
  assert.deepEqual(metadata, EXPECTED.safetensors_metadata);
  const names = Object.keys(EXPECTED.safetensors).sort();
  assert.deepEqual([...tensors.keys()], names);
  for (const name of names) {
    const e = EXPECTED.safetensors[name]!;
    const t = tensors.get(name)!;
    assert.equal(t.dtype, e.dtype, name);
    assert.deepEqual(t.shape, e.shape, name);
    if (t.dtype === "I64") {
      assert.deepEqual(Array.from(t.data, String), e.values, name);
    } else {
      if (e.bits) assert.deepEqual(Array.from(t.data as Uint16Array), e.bits);
      sameFloats(tensorToFloat64(t), e.values, name);
    }
  }
});

Deno.test("writeSafetensors() round-trips every dtype through readSafetensors()", () => {
  const input: Record<string, Tensor> = {
    bool: { dtype: "BOOL", shape: [3], data: new Uint8Array([1, 0, 1]) },
    u8: { dtype: "U8", shape: [2], data: new Uint8Array([0, 255]) },
    i8: { dtype: "I8", shape: [2], data: new Int8Array([-128, 127]) },
    i16: { dtype: "I16", shape: [1], data: new Int16Array([-300]) },
    u16: { dtype: "U16", shape: [1], data: new Uint16Array([65535]) },
    i32: {
      dtype: "I32",
      shape: [2, 1],
      data: new Int32Array([-1, 2 ** 31 - 1]),
    },
    u32: { dtype: "U32", shape: [1], data: new Uint32Array([2 ** 32 - 1]) },
    f16: { dtype: "F16", shape: [1], data: new Uint16Array([0x3555]) },
    bf16: { dtype: "BF16", shape: [1], data: new Uint16Array([0x3eab]) },
    f32: {
      dtype: "F32",
      shape: [2, 2],
      data: new Float32Array([1, -0, NaN, 1e-45]),
    },
    f64: { dtype: "F64", shape: [], data: new Float64Array([Math.PI]) },
    i64: {
      dtype: "I64",
      shape: [2],
      data: new BigInt64Array([-(2n ** 63n), 2n ** 62n + 1n]),
    },
    u64: {
      dtype: "U64",
      shape: [1],
      data: new BigUint64Array([2n ** 64n - 1n]),
    },
    empty: { dtype: "F32", shape: [0, 5], data: new Float32Array(0) },
  };
  const meta = { format: "pt", "ünïcode": "✓" };
  const { tensors, metadata } = readSafetensors(writeSafetensors(input, meta));
  assert.deepEqual(metadata, meta);
  assert.deepEqual([...tensors.keys()], Object.keys(input).sort());
  for (const [name, t] of Object.entries(input)) {
    assert.deepEqual(tensors.get(name), { ...t, shape: [...t.shape] }, name);
  }
});

Deno.test("writeSafetensors() output has the documented layout (checked with a hand parser)", () => {
  const bytes = writeSafetensors(
    new Map<string, Tensor>([
      ["z.f16", { dtype: "F16", shape: [3], data: new Uint16Array([1, 2, 3]) }],
      ["a.i64", { dtype: "I64", shape: [1], data: new BigInt64Array([5n]) }],
      ["m.f32", { dtype: "F32", shape: [1], data: new Float32Array([0.5]) }],
      ["b.u8", { dtype: "U8", shape: [1], data: new Uint8Array([9]) }],
    ]),
    { k: "v" },
  );
  const view = new DataView(bytes.buffer);
  const n = Number(view.getBigUint64(0, true));
  assert.equal((8 + n) % 8, 0, "data section starts 8-aligned");
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  assert.match(text, /^\{.*\} *$/);
  const header = JSON.parse(text);
  assert.deepEqual(Object.keys(header), [
    "__metadata__",
    "a.i64",
    "b.u8",
    "m.f32",
    "z.f16",
  ]);
  // Stored by item size (8, 4, 2, 1 bytes), so every offset is a multiple of its item size.
  assert.deepEqual(header["a.i64"].data_offsets, [0, 8]);
  assert.deepEqual(header["m.f32"].data_offsets, [8, 12]);
  assert.deepEqual(header["z.f16"].data_offsets, [12, 18]);
  assert.deepEqual(header["b.u8"].data_offsets, [18, 19]);
  assert.equal(bytes.length, 8 + n + 19);
  const d = 8 + n;
  assert.equal(view.getBigInt64(d, true), 5n);
  assert.equal(view.getFloat32(d + 8, true), 0.5);
  assert.equal(view.getUint16(d + 12, true), 1);
  assert.equal(view.getUint16(d + 16, true), 3);
  assert.equal(bytes[d + 18], 9);
});

Deno.test("writeSafetensors() is deterministic regardless of insertion order", () => {
  const a: [string, Tensor] = ["a", {
    dtype: "F32",
    shape: [1],
    data: new Float32Array([1]),
  }];
  const b: [string, Tensor] = ["b", {
    dtype: "F64",
    shape: [1],
    data: new Float64Array([2]),
  }];
  const x = writeSafetensors(new Map([a, b]), { p: "1", q: "2" });
  const y = writeSafetensors(new Map([b, a]), { q: "2", p: "1" });
  assert.deepEqual(x, y);
});

Deno.test("writeSafetensors() re-encodes the Python golden file's tensors losslessly", () => {
  const first = readSafetensors(fixtureBytes("golden.safetensors"));
  const again = readSafetensors(
    writeSafetensors(first.tensors, first.metadata),
  );
  assert.deepEqual(again, first);
});

Deno.test("writeSafetensors() converts float input to F32/F64/F16/BF16 with round-to-nearest-even", () => {
  const cases = fixtureJson<{ x: JsonValue; f16: number; bf16: number }[]>(
    "half_cases.json",
  );
  const xs = new Float64Array(cases.map((c) => num(c.x)));
  const n = xs.length;
  const { tensors } = readSafetensors(writeSafetensors({
    h: { dtype: "F16", shape: [n], data: xs },
    b: { dtype: "BF16", shape: [n], data: xs },
    s: { dtype: "F32", shape: [n], data: xs },
    d: { dtype: "F64", shape: [n], data: new Float32Array(xs) },
  }));
  // Expected bits: exact rational rounding in gen_formats.py (see half_test.ts).
  assert.deepEqual(
    Array.from(tensors.get("h")!.data as Uint16Array),
    cases.map((c) => c.f16),
  );
  assert.deepEqual(
    Array.from(tensors.get("b")!.data as Uint16Array),
    cases.map((c) => c.bf16),
  );
  // F32: Math.fround is the float64 → float32 round-to-nearest-even of the language spec.
  assert.deepEqual(
    Array.from(tensors.get("s")!.data as Float32Array),
    Array.from(xs, Math.fround),
  );
  assert.deepEqual(
    Array.from(tensors.get("d")!.data as Float64Array),
    Array.from(xs, Math.fround),
  );
});

Deno.test("readSafetensors() accepts an empty file with an empty header, no metadata and null metadata", () => {
  assert.equal(readSafetensors(build({})).tensors.size, 0);
  assert.deepEqual(readSafetensors(build({ __metadata__: null })).metadata, {});
  // Trailing spaces pad the header, as the reference writer does.
  assert.equal(readSafetensors(build("{}      ")).tensors.size, 0);
});

Deno.test("readSafetensors() accepts zero-size tensors at any offset and names like __proto__", () => {
  const data = new Uint8Array(8);
  // Raw text: an object literal with a "__proto__" key would set the prototype instead.
  const { tensors } = readSafetensors(build(
    '{"__proto__": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},' +
      '"e": {"dtype": "I64", "shape": [3, 0], "data_offsets": [0, 0]},' +
      '"z": {"dtype": "F32", "shape": [0], "data_offsets": [8, 8]}}',
    data,
  ));
  assert.deepEqual([...tensors.keys()], ["__proto__", "e", "z"]);
  assert.deepEqual(tensors.get("e")!.shape, [3, 0]);
  const { metadata } = readSafetensors(
    build('{"__metadata__": {"__proto__": "x"}}'),
  );
  assert.deepEqual(Object.entries(metadata), [["__proto__", "x"]]);
});

Deno.test("readSafetensors() rejects a file shorter than the 8-byte length", () => {
  rejects(new Uint8Array(7), RangeError, /shorter than the 8-byte/);
});

Deno.test("readSafetensors() rejects a header length beyond the file (lying length)", () => {
  rejects(
    build({}, new Uint8Array(0), 3n),
    RangeError,
    /header length exceeds the file: header length 3, 2 bytes/,
  );
  rejects(
    build({}, new Uint8Array(0), 2n ** 64n - 1n),
    RangeError,
    /maxHeaderBytes/,
  );
});

Deno.test("readSafetensors() rejects a header above maxHeaderBytes before reading it", () => {
  // Default limit 100 MB: a 200 MB declared header in a 10-byte file fails on the limit, not the file size.
  rejects(
    build({}, new Uint8Array(0), 200_000_000n),
    RangeError,
    /exceeds maxHeaderBytes: header length 200000000, maxHeaderBytes 100000000/,
  );
  const ok = build({ a: F32x2 }, new Uint8Array(8));
  rejects(ok, RangeError, /exceeds maxHeaderBytes/, { maxHeaderBytes: 10 });
  assert.throws(() => readSafetensors(ok, { maxHeaderBytes: -1 }), RangeError);
  assert.throws(() => readSafetensors(ok, { maxHeaderBytes: 1.5 }), RangeError);
});

Deno.test("readSafetensors() rejects a header that is not a UTF-8 JSON object", () => {
  rejects(build("{abc"), SyntaxError, /not valid JSON/);
  rejects(build("{} {}"), SyntaxError, /not valid JSON/);
  rejects(build("[1, 2]"), SyntaxError, /does not start with '\{'/);
  rejects(build(""), SyntaxError, /header is empty/);
  rejects(build(" {}"), SyntaxError, /does not start with '\{'/);
  const bad = build('{"a":"__"}');
  bad[8 + 6] = 0xff; // invalid UTF-8 byte inside the string
  rejects(bad, SyntaxError, /not valid UTF-8/);
});

Deno.test("readSafetensors() rejects duplicate keys, at the top level and inside an entry", () => {
  const data = new Uint8Array(8);
  rejects(
    build(
      '{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}',
      data,
    ),
    SyntaxError,
    /duplicate key: "a"/,
  );
  rejects(
    build(
      '{"a": {"dtype": "F32", "dtype": "I64", "shape": [2], "data_offsets": [0, 8]}}',
      data,
    ),
    SyntaxError,
    /duplicate key: "dtype"/,
  );
  rejects(
    build('{"__metadata__": {"k": "1", "k": "2"}}'),
    SyntaxError,
    /duplicate key: "k"/,
  );
});

Deno.test("readSafetensors() rejects unknown dtypes, naming the tensor", () => {
  for (const dtype of ["F8_E4M3", "f32", "Q4", "toString", 4]) {
    rejects(
      build({ "fc.weight": { ...F32x2, dtype } }, new Uint8Array(8)),
      SyntaxError,
      /tensor "fc.weight" has an unknown or unsupported dtype/,
    );
  }
});

Deno.test("readSafetensors() rejects a shape that does not match data_offsets", () => {
  rejects(
    build(
      { w: { dtype: "F32", shape: [3], "data_offsets": [0, 8] } },
      new Uint8Array(8),
    ),
    SyntaxError,
    /tensor "w" has a shape that does not match its data_offsets: shape \[3\] of F32 needs 12 bytes, data_offsets \[0, 8\] span 8/,
  );
  rejects(
    build(
      { w: { dtype: "F64", shape: [2], "data_offsets": [0, 8] } },
      new Uint8Array(8),
    ),
    SyntaxError,
    /tensor "w" has a shape that does not match/,
  );
});

Deno.test("readSafetensors() rejects bad dimensions: negative, fractional, non-numeric, overflowing", () => {
  const data = new Uint8Array(8);
  rejects(
    build({ w: { ...F32x2, shape: [-2] } }, data),
    RangeError,
    /tensor "w" has a dimension that is not a non-negative safe integer/,
  );
  rejects(
    build({ w: { ...F32x2, shape: [2.5] } }, data),
    RangeError,
    /tensor "w" has a dimension/,
  );
  rejects(
    build({ w: { ...F32x2, shape: [2 ** 53] } }, data),
    RangeError,
    /tensor "w" has a dimension/,
  );
  rejects(
    build({ w: { ...F32x2, shape: ["2"] } }, data),
    SyntaxError,
    /tensor "w" has a non-numeric dimension/,
  );
  rejects(
    build({ w: { ...F32x2, shape: 2 } }, data),
    SyntaxError,
    /tensor "w" has a shape that is not an array/,
  );
  rejects(
    build({ w: { ...F32x2, shape: [2 ** 20, 2 ** 20, 2 ** 20] } }, data),
    RangeError,
    /tensor "w" has a size that overflows/,
  );
  // Element count 2^51 is safe, but ×8 bytes is not.
  rejects(
    build({ w: { ...F32x2, dtype: "F64", shape: [2 ** 51] } }, data),
    RangeError,
    /size that overflows/,
  );
});

Deno.test("readSafetensors() rejects malformed data_offsets", () => {
  const data = new Uint8Array(8);
  rejects(
    build({ w: { ...F32x2, "data_offsets": [0] } }, data),
    SyntaxError,
    /tensor "w" has data_offsets that are not two numbers/,
  );
  rejects(
    build({ w: { ...F32x2, "data_offsets": [0, 8, 8] } }, data),
    SyntaxError,
    /not two numbers/,
  );
  rejects(
    build({ w: { ...F32x2, "data_offsets": ["0", 8] } }, data),
    SyntaxError,
    /not two numbers/,
  );
  rejects(
    build({ w: { ...F32x2, "data_offsets": [8, 0] } }, data),
    RangeError,
    /tensor "w" has data_offsets that are not safe integers with 0 <= begin <= end/,
  );
  rejects(
    build({ w: { ...F32x2, "data_offsets": [-8, 0] } }, data),
    RangeError,
    /0 <= begin <= end/,
  );
  rejects(
    build({ w: { ...F32x2, "data_offsets": [0.5, 8.5] } }, data),
    RangeError,
    /0 <= begin <= end/,
  );
});

Deno.test("readSafetensors() rejects offsets outside the data section and truncated files", () => {
  rejects(
    build({ w: { ...F32x2, "data_offsets": [4, 12] } }, new Uint8Array(8)),
    RangeError,
    /tensor "w" has data_offsets outside the data section: data_offsets \[4, 12\], data section of 8 bytes/,
  );
  const file = build(
    { a: F32x2, b: { ...F32x2, "data_offsets": [8, 16] } },
    new Uint8Array(16),
  );
  assert.equal(readSafetensors(file).tensors.size, 2);
  for (const cut of [1, 7, 8]) {
    rejects(
      file.subarray(0, file.length - cut),
      RangeError,
      /tensor "b" has data_offsets outside the data section/,
    );
  }
  rejects(
    file.subarray(0, file.length - 15),
    RangeError,
    /tensor "a" has data_offsets outside the data section/,
  );
});

Deno.test("readSafetensors() rejects overlapping ranges, naming both tensors", () => {
  rejects(
    build({
      a: { ...F32x2, "data_offsets": [0, 8] },
      b: { ...F32x2, "data_offsets": [4, 12] },
    }, new Uint8Array(12)),
    SyntaxError,
    /tensors "a" and "b" overlap: data_offsets \[0, 8\] and \[4, 12\]/,
  );
  // Identical ranges (two names aliasing the same bytes) also overlap.
  rejects(
    build({ a: F32x2, b: F32x2 }, new Uint8Array(8)),
    SyntaxError,
    /tensors "a" and "b" overlap/,
  );
  // A zero-size tensor placed inside another tensor's range.
  rejects(
    build(
      { a: F32x2, z: { dtype: "F32", shape: [0], "data_offsets": [4, 4] } },
      new Uint8Array(8),
    ),
    SyntaxError,
    /tensors "a" and "z" overlap/,
  );
});

Deno.test("readSafetensors() rejects data bytes not covered by any tensor", () => {
  rejects(
    build({ a: { ...F32x2, "data_offsets": [4, 12] } }, new Uint8Array(12)),
    SyntaxError,
    /bytes not covered by any tensor before tensor "a": bytes \[0, 4\) are uncovered/,
  );
  rejects(
    build({ a: F32x2 }, new Uint8Array(9)),
    SyntaxError,
    /trailing bytes not covered by any tensor: bytes \[8, 9\) are uncovered/,
  );
  rejects(build({}, new Uint8Array(1)), SyntaxError, /trailing bytes/);
});

Deno.test("readSafetensors() rejects entries with missing, unknown or mistyped fields", () => {
  const data = new Uint8Array(8);
  rejects(
    build({ w: { dtype: "F32", shape: [2] } }, data),
    SyntaxError,
    /tensor "w" has no data_offsets field/,
  );
  rejects(
    build({ w: { ...F32x2, extra: 1 } }, data),
    SyntaxError,
    /tensor "w" has an unknown field: "extra"/,
  );
  rejects(
    build({ w: [1] }, data),
    SyntaxError,
    /tensor "w" is not described by an object: got array/,
  );
  rejects(
    build({ w: null }, data),
    SyntaxError,
    /tensor "w" is not described by an object: got null/,
  );
});

Deno.test("readSafetensors() rejects __metadata__ that is not a string-to-string object", () => {
  rejects(
    build({ __metadata__: { epoch: 3 } }),
    SyntaxError,
    /a __metadata__ value is not a string: key "epoch" has number/,
  );
  rejects(
    build({ __metadata__: { nested: {} } }),
    SyntaxError,
    /key "nested" has object/,
  );
  rejects(
    build({ __metadata__: ["a"] }),
    SyntaxError,
    /__metadata__ is not an object: got array/,
  );
  rejects(
    build({ __metadata__: "x" }),
    SyntaxError,
    /__metadata__ is not an object: got string/,
  );
});

Deno.test("readSafetensors() returns copies that do not alias the input bytes", () => {
  const file = build(
    { a: F32x2 },
    new Uint8Array(new Float32Array([1, 2]).buffer),
  );
  const t = readSafetensors(file).tensors.get("a")!;
  file.fill(0);
  assert.deepEqual(Array.from(t.data as Float32Array), [1, 2]);
});

Deno.test("readSafetensors() reads tensors at unaligned offsets and from a subarray view", () => {
  const payload = new Uint8Array(1 + 8);
  new DataView(payload.buffer).setFloat64(1, -1.25, true);
  const file = build({
    b: { dtype: "U8", shape: [1], "data_offsets": [0, 1] },
    d: { dtype: "F64", shape: [], "data_offsets": [1, 9] },
  }, payload);
  const shifted = new Uint8Array(file.length + 3);
  shifted.set(file, 3);
  const { tensors } = readSafetensors(shifted.subarray(3));
  assert.deepEqual(Array.from(tensors.get("d")!.data as Float64Array), [-1.25]);
});

Deno.test("writeSafetensors() writes only the viewed elements of a subarray", () => {
  const base = new Float32Array([9, 1, 2, 9]);
  const bytes = writeSafetensors({
    w: { dtype: "F32", shape: [2], data: base.subarray(1, 3) },
  });
  const w = readSafetensors(bytes).tensors.get("w")!;
  assert.deepEqual(Array.from(w.data as Float32Array), [1, 2]);
});

Deno.test("writeSafetensors() throws on invalid input", () => {
  const f = new Float32Array([1, 2]);
  assert.throws(
    () => writeSafetensors({ w: { dtype: "F32", shape: [3], data: f } }),
    TypeError,
  );
  assert.throws(
    () =>
      writeSafetensors({
        w: { dtype: "I32", shape: [2], data: f } as unknown as Tensor,
      }),
    TypeError,
  );
  assert.throws(
    () =>
      writeSafetensors({
        w: { dtype: "X", shape: [2], data: f } as unknown as Tensor,
      }),
    TypeError,
  );
  assert.throws(
    () => writeSafetensors({ w: { dtype: "F32", shape: [-2], data: f } }),
    RangeError,
  );
  assert.throws(
    () =>
      writeSafetensors({ __metadata__: { dtype: "F32", shape: [2], data: f } }),
    RangeError,
  );
  assert.throws(
    () =>
      writeSafetensors({
        b: { dtype: "BOOL", shape: [1], data: new Uint8Array([2]) },
      }),
    RangeError,
  );
  assert.throws(
    () => writeSafetensors({}, { n: 3 } as unknown as Record<string, string>),
    TypeError,
  );
  assert.throws(
    () =>
      writeSafetensors({
        w: {
          dtype: "F32",
          shape: [2],
          data: new Int32Array(2),
        } as unknown as Tensor,
      }),
    /Cannot write safetensors as tensor "w" has data of the wrong type for its dtype: dtype F32, data Int32Array/,
  );
});
