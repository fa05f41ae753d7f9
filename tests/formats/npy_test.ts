import assert from "node:assert/strict";
import { readNpy, writeNpy } from "../../src/formats/npy.ts";
import type { Tensor } from "../../src/formats/tensor.ts";
import { tensorToFloat64 } from "../../src/formats/to_float.ts";
import {
  fixtureBytes,
  fixtureJson,
  type JsonValue,
  sameFloats,
} from "./_fixtures.ts";

interface Expected {
  npy: Record<
    string,
    { descr: string; shape: number[]; values: JsonValue[]; bits?: number[] }
  >;
}

const EXPECTED = fixtureJson<Expected>("expected.json").npy;

const DESCR_DTYPE: Record<string, string> = {
  "<f4": "F32",
  "<f8": "F64",
  ">f8": "F64",
  "<i8": "I64",
  "<i4": "I32",
  ">i4": "I32",
  "|u1": "U8",
  "<f2": "F16",
  "|b1": "BOOL",
};

/** A .npy file with a hand-written header (padded to 64 bytes) and data. */
function npy(
  header: string,
  data: Uint8Array = new Uint8Array(0),
  version = 1,
): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  const total = Math.ceil((prefix + header.length + 1) / 64) * 64;
  const h = header.padEnd(total - prefix - 1, " ") + "\n";
  const out = new Uint8Array(total + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, h.length, true);
  else view.setUint32(8, h.length, true);
  for (let k = 0; k < h.length; k++) out[prefix + k] = h.charCodeAt(k);
  out.set(data, total);
  return out;
}

function rejects(
  bytes: Uint8Array,
  kind: typeof RangeError | typeof SyntaxError,
  pattern: RegExp,
  options: { maxHeaderBytes?: number } = {},
): void {
  assert.throws(() => readNpy(bytes, options), (e: unknown) => {
    assert.ok(e instanceof kind, `expected ${kind.name}, got ${e}`);
    assert.equal(e.constructor, kind);
    assert.match(e.message, /^Cannot read npy as /);
    assert.match(e.message, pattern);
    return true;
  });
}

Deno.test("readNpy() reads every file NumPy wrote in gen_formats.py", () => {
  const names = Object.keys(EXPECTED);
  assert.ok(names.length >= 14);
  for (const name of names) {
    const e = EXPECTED[name]!;
    const t = readNpy(fixtureBytes(name));
    assert.equal(t.dtype, DESCR_DTYPE[e.descr], name);
    assert.deepEqual(t.shape, e.shape, name);
    if (t.dtype === "I64") {
      assert.deepEqual(Array.from(t.data, String), e.values, name);
    } else {
      if (e.bits) assert.deepEqual(Array.from(t.data as Uint16Array), e.bits);
      sameFloats(tensorToFloat64(t), e.values, name);
    }
  }
});

Deno.test("readNpy() returns Fortran-order data in C order", () => {
  // np.asfortranarray(np.arange(24).reshape(2, 3, 4)): in C order the values are 0 … 23.
  const t = readNpy(fixtureBytes("f4_fortran_2x3x4.npy"));
  assert.deepEqual(t.shape, [2, 3, 4]);
  assert.deepEqual(
    Array.from(t.data as Float32Array),
    Array.from({ length: 24 }, (_, i) => i),
  );
});

Deno.test("writeNpy() output is byte-identical to np.save for C-order little-endian arrays", () => {
  for (
    const name of [
      "f4_2x3.npy",
      "f8_5.npy",
      "i8_4.npy",
      "i4_2x2.npy",
      "u1_5.npy",
      "f2_5.npy",
      "b1_3.npy",
      "f8_scalar.npy",
      "f4_0x3.npy",
    ]
  ) {
    const golden = fixtureBytes(name);
    assert.deepEqual(writeNpy(readNpy(golden)), golden, name);
  }
});

Deno.test("writeNpy() writes big-endian and version 2/3 inputs as little-endian version 1.0", () => {
  for (
    const name of [
      "f8_big_endian_2x2.npy",
      "i4_big_endian_3.npy",
      "f4_v2_2x3.npy",
      "f4_v3_2x3.npy",
      "f4_fortran_2x3x4.npy",
    ]
  ) {
    const t = readNpy(fixtureBytes(name));
    const bytes = writeNpy(t);
    assert.equal(bytes[6], 1);
    assert.deepEqual(readNpy(bytes), t, name);
  }
  assert.deepEqual(
    writeNpy(readNpy(fixtureBytes("f4_v2_2x3.npy"))),
    fixtureBytes("f4_2x3.npy"),
  );
});

Deno.test("writeNpy() switches to version 2.0 when the header exceeds 65535 bytes", () => {
  const shape = new Array<number>(30000).fill(1); // "1, " × 30000 > 65535 header bytes
  const t: Tensor = { dtype: "U8", shape, data: new Uint8Array([42]) };
  const bytes = writeNpy(t);
  assert.equal(bytes[6], 2);
  assert.equal((12 + new DataView(bytes.buffer).getUint32(8, true)) % 64, 0);
  const back = readNpy(bytes, { maxHeaderBytes: 1 << 20 });
  assert.deepEqual(back, t);
  // The default header limit is NumPy's 10 000 bytes.
  rejects(bytes, RangeError, /header length exceeds maxHeaderBytes/);
});

Deno.test("writeNpy() round-trips every NumPy dtype", () => {
  const tensors: Tensor[] = [
    { dtype: "BOOL", shape: [2], data: new Uint8Array([1, 0]) },
    { dtype: "I8", shape: [1], data: new Int8Array([-5]) },
    { dtype: "I16", shape: [1], data: new Int16Array([-300]) },
    { dtype: "U16", shape: [1], data: new Uint16Array([65000]) },
    { dtype: "U32", shape: [1], data: new Uint32Array([4e9]) },
    { dtype: "U64", shape: [1], data: new BigUint64Array([2n ** 64n - 1n]) },
    { dtype: "F64", shape: [2, 0, 3], data: new Float64Array(0) },
  ];
  for (const t of tensors) assert.deepEqual(readNpy(writeNpy(t)), t, t.dtype);
});

Deno.test("writeNpy() throws for BF16, wrong data class and length mismatch", () => {
  assert.throws(
    () => writeNpy({ dtype: "BF16", shape: [1], data: new Uint16Array(1) }),
    TypeError,
  );
  assert.throws(
    () => writeNpy({ dtype: "F32", shape: [2], data: new Float32Array(3) }),
    TypeError,
  );
  assert.throws(
    () =>
      writeNpy(
        {
          dtype: "F32",
          shape: [1],
          data: new Float64Array(1),
        } as unknown as Tensor,
      ),
    TypeError,
  );
  assert.throws(
    () => writeNpy({ dtype: "F32", shape: [-1], data: new Float32Array(0) }),
    RangeError,
  );
});

Deno.test("readNpy() accepts header variants NumPy and older writers produce", () => {
  const four = new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer);
  for (
    const header of [
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }",
      '{"descr": "<f4", "fortran_order": False, "shape": (2,2)}',
      "{'shape': (2L, 2L), 'fortran_order': False, 'descr': '<f4'}", // Python 2 longs, any key order
      "{'descr':'<f4','fortran_order':False,'shape':(4,)}",
    ]
  ) {
    const t = readNpy(npy(header, four));
    assert.deepEqual(Array.from(t.data as Float32Array).length, 4, header);
  }
  assert.deepEqual(
    readNpy(
      npy(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
        four.subarray(0, 4),
      ),
    ).shape,
    [],
  );
  assert.deepEqual(
    readNpy(
      npy(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }",
        four,
        2,
      ),
    ).shape,
    [2, 2],
  );
});

Deno.test("readNpy() rejects a bad magic, version or preamble", () => {
  const good = fixtureBytes("f4_2x3.npy");
  const badMagic = good.slice();
  badMagic[1] = 0x4d;
  rejects(badMagic, SyntaxError, /magic string is not/);
  const badVersion = good.slice();
  badVersion[6] = 4;
  rejects(
    badVersion,
    SyntaxError,
    /format version is not supported: version 4\.0/,
  );
  const badMinor = good.slice();
  badMinor[7] = 1;
  rejects(badMinor, SyntaxError, /version 1\.1/);
  rejects(good.subarray(0, 9), RangeError, /shorter than the 10-byte preamble/);
  rejects(
    npy("{}", new Uint8Array(0), 2).subarray(0, 11),
    RangeError,
    /shorter than the 12-byte preamble/,
  );
});

Deno.test("readNpy() rejects a header length beyond the file or above maxHeaderBytes", () => {
  const good = fixtureBytes("f4_2x3.npy");
  const lying = good.slice(0, 100);
  rejects(
    lying,
    RangeError,
    /header length exceeds the file: header length 118, 90 bytes/,
  );
  rejects(
    good,
    RangeError,
    /exceeds maxHeaderBytes: header length 118, maxHeaderBytes 100/,
    { maxHeaderBytes: 100 },
  );
  const huge = npy("{}", new Uint8Array(0), 2);
  new DataView(huge.buffer).setUint32(8, 0xffffffff, true);
  rejects(huge, RangeError, /header length 4294967295, maxHeaderBytes 10000/);
});

Deno.test("readNpy() rejects headers that are not NumPy's dict literal", () => {
  const d = new Uint8Array(4);
  for (
    const [header, pattern] of [
      ["{'descr': '<f4', 'fortran_order': False}", /exactly the keys/],
      [
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}",
        /unsupported value/,
      ],
      [
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': '1'}",
        /exactly the keys/,
      ],
      [
        "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}",
        /duplicate key 'descr'/,
      ],
      [
        "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}",
        /unsupported value/,
      ],
      [
        "{'descr': '<f4', 'fortran_order': 'False', 'shape': (1,)}",
        /fortran_order is not True or False/,
      ],
      [
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1)}",
        /1-tuple needs a trailing comma/,
      ],
      [
        "{'descr': '<f4', 'fortran_order': False, 'shape': [1]}",
        /unsupported value/,
      ],
      [
        "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}",
        /expected an integer/,
      ],
      [
        "{'descr': '<f4', 'fortran_order': False, 'shape': '1'}",
        /shape is not a tuple/,
      ],
      [
        "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}",
        /unsupported value/,
      ],
      [
        "{'descr': True, 'fortran_order': False, 'shape': (1,)}",
        /descr is not a string/,
      ],
      [
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } x",
        /trailing text/,
      ],
      [
        "{'descr': '<f4\\n', 'fortran_order': False, 'shape': (1,)}",
        /escape in string/,
      ],
      ["{'descr: '<f4'}", /expected ':'/],
      ["[1]", /expected '\{'/],
    ] as const
  ) {
    rejects(npy(header, d), SyntaxError, pattern);
  }
});

Deno.test("readNpy() rejects unsupported descr values", () => {
  for (
    const descr of [
      "<c8",
      "|O",
      "<U3",
      "|S4",
      "<f16",
      "=f4",
      "|f4",
      "<u1x",
      "<constructor",
      "f4",
      "<M8[ns]",
    ]
  ) {
    rejects(
      npy(
        `{'descr': '${descr}', 'fortran_order': False, 'shape': (1,), }`,
        new Uint8Array(4),
      ),
      SyntaxError,
      /descr is not a supported dtype/,
    );
  }
});

Deno.test("readNpy() rejects truncated data, trailing bytes and overflowing shapes", () => {
  const h = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
  rejects(
    npy(h, new Uint8Array(47)),
    RangeError,
    /data is truncated: shape \[2, 3\] of <f8 needs 48 bytes, file has 47/,
  );
  rejects(
    npy(h, new Uint8Array(49)),
    SyntaxError,
    /trailing bytes after the data/,
  );
  rejects(
    npy(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (1048576, 1048576, 1048576), }",
    ),
    RangeError,
    /size of the shape overflows/,
  );
  rejects(
    npy(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }",
    ),
    RangeError,
    /not a safe integer/,
  );
});

Deno.test("readNpy() rejects a version 3.0 header that is not UTF-8", () => {
  const bytes = npy(
    "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
    new Uint8Array(4),
    3,
  );
  bytes[12 + 11] = 0xff;
  rejects(bytes, SyntaxError, /not valid UTF-8/);
});
