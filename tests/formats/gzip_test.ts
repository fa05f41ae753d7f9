import assert from "node:assert/strict";
import { gzipSync } from "fflate";
import { gunzipBounded, isGzip } from "../../src/formats/gzip.ts";
import { fixtureBytes } from "./_fixtures.ts";

function rejects(
  bytes: Uint8Array,
  kind: typeof RangeError | typeof SyntaxError,
  pattern: RegExp,
  options: { maxBytes?: number } = {},
): void {
  assert.throws(() => gunzipBounded(bytes, options), (e: unknown) => {
    assert.ok(e instanceof kind, `expected ${kind.name}, got ${e}`);
    assert.equal(e.constructor, kind);
    assert.match(e.message, /^Cannot decompress gzip as /);
    assert.match(e.message, pattern);
    return true;
  });
}

Deno.test("gunzipBounded() decompresses Python's gzip output", () => {
  // images-idx3-ubyte.gz = gzip.compress(images-idx3-ubyte, mtime=0) in gen_formats.py.
  const gz = fixtureBytes("images-idx3-ubyte.gz");
  assert.ok(isGzip(gz));
  assert.deepEqual(gunzipBounded(gz), fixtureBytes("images-idx3-ubyte"));
});

Deno.test("gunzipBounded() rejects a declared size above maxBytes before decompressing", () => {
  const gz = gzipSync(new Uint8Array(5000), { mtime: 0 });
  assert.equal(gunzipBounded(gz, { maxBytes: 5000 }).length, 5000);
  rejects(gz, RangeError, /declared 5000 bytes, maxBytes 4999/, {
    maxBytes: 4999,
  });
  assert.throws(() => gunzipBounded(gz, { maxBytes: -1 }), RangeError);
  // A trailer claiming 4 GiB − 1 is refused by the default 1 GiB limit without allocating.
  const lying = gz.slice();
  new DataView(lying.buffer).setUint32(lying.length - 4, 0xffffffff, true);
  rejects(lying, RangeError, /declared 4294967295 bytes, maxBytes 1073741824/);
});

Deno.test("gunzipBounded() rejects a trailer size that does not match the stream", () => {
  const gz = gzipSync(new Uint8Array(5000).map((_, i) => i % 251), {
    mtime: 0,
  });
  const smaller = gz.slice();
  new DataView(smaller.buffer).setUint32(smaller.length - 4, 4000, true);
  rejects(
    smaller,
    SyntaxError,
    /CRC-32 does not match|output size does not match/,
  );
  const larger = gz.slice();
  new DataView(larger.buffer).setUint32(larger.length - 4, 6000, true);
  rejects(
    larger,
    SyntaxError,
    /output size does not match the trailer: got 5000 bytes, trailer says 6000/,
  );
});

Deno.test("gunzipBounded() rejects corrupt data, a wrong CRC and non-gzip input", () => {
  const gz = gzipSync(new Uint8Array(5000).map((_, i) => (i * 7) % 256), {
    mtime: 0,
  });
  const crc = gz.slice();
  crc[crc.length - 8]! ^= 1;
  rejects(crc, SyntaxError, /CRC-32 does not match the trailer/);
  // Cut 20 bytes out of the deflate stream but keep the 8-byte trailer.
  const cut = new Uint8Array([
    ...gz.subarray(0, gz.length - 28),
    ...gz.subarray(gz.length - 8),
  ]);
  rejects(
    cut,
    SyntaxError,
    /stream is invalid|output size does not match|CRC-32 does not match/,
  );
  // Without its trailer, a truncated file's last 4 bytes are read as the size: bounded by maxBytes.
  rejects(
    gz.subarray(0, gz.length - 20),
    RangeError,
    /declared size exceeds maxBytes/,
  );
  rejects(
    gz.subarray(0, 17),
    SyntaxError,
    /shorter than a gzip header and trailer: 17 bytes/,
  );
  const badMethod = gz.slice();
  badMethod[2] = 7;
  rejects(badMethod, SyntaxError, /stream is invalid/);
  rejects(
    new Uint8Array([0, 0, 8, 1]),
    SyntaxError,
    /does not start with the gzip magic/,
  );
  assert.equal(isGzip(new Uint8Array([0x1f])), false);
});
