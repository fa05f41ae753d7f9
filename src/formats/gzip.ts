/**
 * Bounded gzip decompression (via `fflate`), with the declared size checked before any allocation and the
 * CRC-32 and size in the gzip trailer verified afterwards.
 *
 * @module
 */
import { gunzipSync } from "fflate";
import { crc32 } from "./_crc32.ts";

/** Options for {@linkcode gunzipBounded}. */
export interface GunzipBoundedOptions {
  /**
   * Largest accepted decompressed size in bytes.
   *
   * @default {1_073_741_824} (1 GiB)
   */
  readonly maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 1 << 30;

/**
 * Tells whether bytes start with the gzip magic number `1f 8b`.
 *
 * @param bytes Any bytes.
 * @returns `true` for gzip data.
 *
 * @example Usage
 * ```ts
 * import { isGzip } from "./gzip.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isGzip(new Uint8Array([0x1f, 0x8b, 8])), true);
 * assert.equal(isGzip(new Uint8Array([0, 0, 8, 3])), false);
 * ```
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses a single-member gzip stream without letting a crafted file allocate more than `maxBytes`.
 *
 * The trailer's declared size (ISIZE) is checked against `maxBytes` before decompression, the output buffer is
 * exactly that size, and afterwards the output length and CRC-32 must match the trailer (so a lying ISIZE, a
 * truncated stream or corrupt data is rejected rather than silently truncated).
 *
 * @param bytes A complete gzip file.
 * @param options Limits; see {@linkcode GunzipBoundedOptions}.
 * @returns The decompressed bytes.
 * @throws {RangeError} When the declared size exceeds `maxBytes`, or `maxBytes` is not a non-negative safe
 *   integer.
 * @throws {SyntaxError} When the data is not gzip, is truncated or corrupt, or fails the size/CRC check
 *   (multi-member files also fail this check).
 *
 * @example Usage
 * ```ts
 * import { gunzipBounded } from "./gzip.ts";
 * import { gzipSync } from "fflate";
 * import assert from "node:assert/strict";
 *
 * const packed = gzipSync(new Uint8Array(1000).fill(7), { mtime: 0 });
 * assert.equal(gunzipBounded(packed).length, 1000);
 * assert.throws(() => gunzipBounded(packed, { maxBytes: 999 }), RangeError);
 * ```
 */
export function gunzipBounded(
  bytes: Uint8Array,
  options: GunzipBoundedOptions = {},
): Uint8Array {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new RangeError(
      `Cannot decompress gzip as maxBytes must be a non-negative safe integer: maxBytes=${maxBytes}`,
    );
  }
  if (!isGzip(bytes)) {
    throw new SyntaxError(
      "Cannot decompress gzip as the data does not start with the gzip magic 1f 8b: " +
        `first bytes ${
          Array.from(bytes.subarray(0, 2), (b) => b.toString(16)).join(" ")
        }`,
    );
  }
  if (bytes.length < 18) {
    throw new SyntaxError(
      `Cannot decompress gzip as the data is shorter than a gzip header and trailer: ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declaredCrc = view.getUint32(bytes.length - 8, true);
  const declaredSize = view.getUint32(bytes.length - 4, true);
  if (declaredSize > maxBytes) {
    throw new RangeError(
      `Cannot decompress gzip as the declared size exceeds maxBytes: declared ${declaredSize} bytes, maxBytes ${maxBytes}`,
    );
  }
  let out: Uint8Array;
  try {
    out = gunzipSync(bytes, { out: new Uint8Array(declaredSize) });
  } catch (cause) {
    throw new SyntaxError(
      `Cannot decompress gzip as the stream is invalid: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
  }
  if (out.length !== declaredSize) {
    throw new SyntaxError(
      `Cannot decompress gzip as the output size does not match the trailer: got ${out.length} bytes, trailer says ${declaredSize}`,
    );
  }
  const crc = crc32(out);
  if (crc !== declaredCrc) {
    throw new SyntaxError(
      `Cannot decompress gzip as the CRC-32 does not match the trailer: got 0x${
        crc.toString(16)
      }, trailer says 0x${declaredCrc.toString(16)}`,
    );
  }
  return out;
}
