import assert from "node:assert/strict";
import { zipSync } from "fflate";
import { writeNpy } from "../../src/formats/npy.ts";
import { readNpz, writeNpz } from "../../src/formats/npz.ts";
import type { Tensor } from "../../src/formats/tensor.ts";
import { tensorToFloat64 } from "../../src/formats/to_float.ts";
import {
  fixtureBytes,
  fixtureJson,
  type JsonValue,
  sameFloats,
} from "./_fixtures.ts";

interface Expected {
  npz: Record<
    string,
    Record<string, { descr: string; shape: number[]; values: JsonValue[] }>
  >;
}

const EXPECTED = fixtureJson<Expected>("expected.json").npz;

const A: Tensor = { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) };

function rejects(
  bytes: Uint8Array,
  kind: typeof RangeError | typeof SyntaxError,
  pattern: RegExp,
  options: { maxEntries?: number; maxTotalBytes?: number } = {},
): void {
  assert.throws(() => readNpz(bytes, options), (e: unknown) => {
    assert.ok(e instanceof kind, `expected ${kind.name}, got ${e}`);
    assert.equal(e.constructor, kind);
    assert.match(e.message, /^Cannot read npz as /);
    assert.match(e.message, pattern);
    return true;
  });
}

/** Offset of the first central directory header (signature PK\x01\x02), read from the end record. */
function centralHeader(zip: Uint8Array): number {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const end = zip.length - 22; // no archive comment
  assert.equal(view.getUint32(end, true), 0x06054b50);
  return view.getUint32(end + 16, true);
}

/** Overwrites the uncompressed size of the first entry in the central directory. */
function withDeclaredSize(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  new DataView(out.buffer).setUint32(centralHeader(out) + 24, size, true);
  return out;
}

Deno.test("readNpz() reads np.savez and np.savez_compressed archives", () => {
  for (const [file, arrays] of Object.entries(EXPECTED)) {
    const got = readNpz(fixtureBytes(file));
    assert.deepEqual([...got.keys()].sort(), Object.keys(arrays).sort(), file);
    for (const [name, e] of Object.entries(arrays)) {
      const t = got.get(name)!;
      assert.deepEqual(t.shape, e.shape, `${file}/${name}`);
      if (t.dtype === "I64") {
        assert.deepEqual(Array.from(t.data, String), e.values);
      } else sameFloats(tensorToFloat64(t), e.values, `${file}/${name}`);
    }
  }
});

Deno.test("writeNpz() round-trips through readNpz(), stored and deflated, deterministically", () => {
  const tensors = readNpz(fixtureBytes("savez.npz"));
  for (const compress of [false, true]) {
    const bytes = writeNpz(tensors, { compress });
    assert.deepEqual(readNpz(bytes), tensors);
    assert.deepEqual(writeNpz(tensors, { compress }), bytes);
  }
  assert.ok(
    writeNpz(tensors, { compress: true }).length <
      writeNpz(tensors).length,
  );
});

Deno.test("readNpz() enforces maxEntries and maxTotalBytes before decompressing", () => {
  const three = writeNpz({ a: A, b: A, c: A });
  assert.equal(readNpz(three, { maxEntries: 3 }).size, 3);
  rejects(three, RangeError, /more entries than maxEntries: maxEntries 2/, {
    maxEntries: 2,
  });
  const entry = writeNpy(A).length; // 136 bytes per entry
  assert.equal(readNpz(three, { maxTotalBytes: 3 * entry }).size, 3);
  rejects(three, RangeError, /total uncompressed size exceeds maxTotalBytes/, {
    maxTotalBytes: 3 * entry - 1,
  });
  assert.throws(() => readNpz(three, { maxEntries: -1 }), RangeError);
  assert.throws(() => readNpz(three, { maxTotalBytes: NaN }), RangeError);
});

Deno.test("readNpz() rejects a deflated entry whose declared size is a zip bomb", () => {
  const zip = writeNpz({ a: A }, { compress: true });
  rejects(
    withDeclaredSize(zip, 0xfffffff0),
    RangeError,
    /exceeds maxTotalBytes: at least 4294967280 bytes/,
  );
});

Deno.test("readNpz() rejects entries whose real size differs from the declared size", () => {
  const real = writeNpy(A).length;
  // Stored entry declared larger than it is.
  rejects(
    withDeclaredSize(writeNpz({ a: A }), real + 4),
    SyntaxError,
    /"a\.npy" declares 140 bytes, got 136/,
  );
  // Deflated entry declared larger than its stream inflates to.
  rejects(
    withDeclaredSize(writeNpz({ a: A }, { compress: true }), real + 4),
    SyntaxError,
    /declares 140 bytes, got 136/,
  );
  // Declared smaller: the output stops at the declared size, which the CRC-32 check catches.
  rejects(
    withDeclaredSize(writeNpz({ a: A }, { compress: true }), real - 4),
    SyntaxError,
    /"a\.npy" has 0x[0-9a-f]+, archive says 0x[0-9a-f]+/,
  );
});

Deno.test("readNpz() rejects non-.npy entries, repeated names and corrupt archives", () => {
  rejects(
    zipSync({ "a.npy": writeNpy(A), "notes.txt": new Uint8Array(3) }),
    SyntaxError,
    /entry is not a \.npy file: "notes\.txt"/,
  );
  rejects(zipSync({ dir: {} }), SyntaxError, /not a \.npy file: "dir\/"/);
  const zip = zipSync({ "a.npy": writeNpy(A), "b.npy": writeNpy(A) });
  // Rename b.npy to a.npy everywhere (local and central headers): same length, so offsets stay valid.
  const dup = zip.slice();
  for (let i = 0; i + 5 <= dup.length; i++) {
    if (String.fromCharCode(...dup.subarray(i, i + 5)) === "b.npy") {
      dup[i] = 0x61;
    }
  }
  rejects(dup, SyntaxError, /entry name repeats: "a\.npy"/);
  rejects(new Uint8Array(100), SyntaxError, /zip archive is malformed/);
  rejects(new Uint8Array(5), SyntaxError, /zip archive is malformed/);
  rejects(
    zip.subarray(0, zip.length - 30),
    SyntaxError,
    /zip archive is malformed/,
  );
  rejects(
    zipSync({ "a.npy": new Uint8Array([1, 2, 3]) }),
    RangeError,
    /entry "a\.npy" is not a valid npy file/,
  );
  rejects(
    zipSync({ "a.npy": writeNpy(A).fill(0x41, 0, 6) }),
    SyntaxError,
    /entry "a\.npy" is not a valid npy file: Cannot read npy as the magic/,
  );
});

Deno.test("readNpz() rejects a stored entry whose bytes were altered (CRC-32 check)", () => {
  const golden = fixtureBytes("savez.npz"); // np.savez stores entries uncompressed
  const magic = golden.findIndex((b, i) =>
    b === 0x93 && golden[i + 1] === 0x4e && golden[i + 5] === 0x59
  );
  assert.ok(magic > 0);
  const bad = golden.slice();
  bad[magic + 128 + 5]! ^= 0x10; // a data byte of the first array (header is 128 bytes)
  rejects(
    bad,
    SyntaxError,
    /CRC-32 does not match the archive: "weights\.npy"/,
  );
});

Deno.test("readNpz() reads an empty archive as no arrays", () => {
  assert.equal(readNpz(zipSync({})).size, 0);
});
