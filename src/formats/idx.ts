/**
 * Reader and writer for the IDX format of MNIST and Fashion-MNIST: a big-endian magic `00 00 tt nn` (element
 * type `tt`, rank `nn`), `nn` big-endian uint32 dimensions, then the big-endian elements. Gzipped files
 * (`*.gz`) are detected and decompressed with a size bound.
 *
 * @module
 */
import { decodeElements, encodeElements, formatShape } from "./_bytes.ts";
import { gunzipBounded, isGzip } from "./gzip.ts";
import { DTYPE_ITEM_SIZE, type DTypeDataMap, shapeSize } from "./tensor.ts";

/** Element types IDX can store: ubyte 0x08, sbyte 0x09, short 0x0B, int 0x0C, float 0x0D, double 0x0E. */
export type IdxDType = "U8" | "I8" | "I16" | "I32" | "F32" | "F64";

/** An IDX array of one element type. */
export interface IdxArrayOf<D extends IdxDType> {
  /** Element type. */
  readonly dtype: D;
  /** Dimensions, outermost first (MNIST images: `[count, 28, 28]`; labels: `[count]`). */
  readonly dims: readonly number[];
  /** Elements in row-major order (host byte order). */
  readonly data: DTypeDataMap[D];
}

/** An IDX array of any element type; narrow on `dtype` to get the typed `data`. */
export type IdxArray = { [D in IdxDType]: IdxArrayOf<D> }[IdxDType];

/** Options for {@linkcode readIdx}. */
export interface ReadIdxOptions {
  /**
   * Largest accepted decompressed size of a gzipped file, in bytes.
   *
   * @default {1_073_741_824} (1 GiB)
   */
  readonly maxBytes?: number;
}

const CODE_TO_DTYPE: ReadonlyMap<number, IdxDType> = new Map([
  [0x08, "U8"],
  [0x09, "I8"],
  [0x0b, "I16"],
  [0x0c, "I32"],
  [0x0d, "F32"],
  [0x0e, "F64"],
]);

const DTYPE_TO_CODE: Readonly<Record<IdxDType, number>> = {
  U8: 0x08,
  I8: 0x09,
  I16: 0x0b,
  I32: 0x0c,
  F32: 0x0d,
  F64: 0x0e,
};

/**
 * Reads an IDX file (raw or gzipped), checking the magic number, the element type, and that the dimensions'
 * product times the element size equals the data length exactly.
 *
 * @param bytes The whole file; gzip data (starting `1f 8b`) is decompressed first.
 * @param options Limits; see {@linkcode ReadIdxOptions}.
 * @returns Element type, dimensions and a fresh copy of the elements. For MNIST (magic 0x00000803 /
 *   0x00000801) `dtype` is `"U8"` and `data` a `Uint8Array`.
 * @throws {RangeError} When the file is shorter than its header, the dimensions' size overflows, the data
 *   length does not match the dimensions, or gzip's declared size exceeds `maxBytes`.
 * @throws {SyntaxError} When the magic does not start with two zero bytes, the element type is unknown, the
 *   rank is 0, or the gzip stream is corrupt.
 *
 * @example Usage
 * ```ts
 * import { readIdx } from "./idx.ts";
 * import assert from "node:assert/strict";
 *
 * // magic 0x00000801 (ubyte, rank 1), one dimension of 3, then the labels 7 2 1
 * const bytes = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]);
 * const labels = readIdx(bytes);
 * assert.equal(labels.dtype, "U8");
 * assert.deepEqual(labels.dims, [3]);
 * assert.deepEqual(Array.from(labels.data), [7, 2, 1]);
 * ```
 */
export function readIdx(
  bytes: Uint8Array,
  options: ReadIdxOptions = {},
): IdxArray {
  const raw = isGzip(bytes)
    ? gunzipBounded(
      bytes,
      options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes },
    )
    : bytes;
  if (raw.length < 4) {
    throw new RangeError(
      `Cannot read IDX as the file is shorter than the 4-byte magic number: ${raw.length} bytes`,
    );
  }
  if (raw[0] !== 0 || raw[1] !== 0) {
    throw new SyntaxError(
      `Cannot read IDX as the magic number does not start with two zero bytes: 0x${
        Array.from(raw.subarray(0, 4), (b) => b.toString(16).padStart(2, "0"))
          .join("")
      }`,
    );
  }
  const dtype = CODE_TO_DTYPE.get(raw[2]!);
  if (dtype === undefined) {
    throw new SyntaxError(
      `Cannot read IDX as the element type code is unknown: 0x${
        raw[2]!.toString(16).padStart(2, "0")
      }`,
    );
  }
  const rank = raw[3]!;
  if (rank === 0) {
    throw new SyntaxError(
      "Cannot read IDX as the rank is 0: magic number has no dimensions",
    );
  }
  const dataStart = 4 + 4 * rank;
  if (raw.length < dataStart) {
    throw new RangeError(
      `Cannot read IDX as the file is shorter than its header: rank ${rank} needs ${dataStart} bytes, file has ${raw.length}`,
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const dims: number[] = [];
  for (let k = 0; k < rank; k++) dims.push(view.getUint32(4 + 4 * k, false));
  const count = shapeSize(dims);
  const itemSize = DTYPE_ITEM_SIZE[dtype];
  if (count === null || !Number.isSafeInteger(count * itemSize)) {
    throw new RangeError(
      `Cannot read IDX as the size of the dimensions overflows: dims ${
        formatShape(dims)
      }`,
    );
  }
  if (raw.length - dataStart !== count * itemSize) {
    throw new RangeError(
      `Cannot read IDX as the data length does not match the dimensions: dims ${
        formatShape(dims)
      } of ${dtype} need ${count * itemSize} bytes, file has ${
        raw.length - dataStart
      }`,
    );
  }
  const data = decodeElements(raw, dataStart, dtype, count, false);
  return { dtype, dims, data } as IdxArray;
}

/**
 * Writes an IDX file (uncompressed; wrap with `fflate`'s `gzipSync` for `.gz`).
 *
 * @param array Element type, dimensions (1 to 255 of them, each < 2^32) and elements.
 * @returns The file bytes.
 * @throws {RangeError} When the rank is not in [1, 255] or a dimension is not an integer in [0, 2^32).
 * @throws {TypeError} When the element type is not an IDX type, `data` has the wrong class, or its length
 *   does not match the dimensions.
 *
 * @example Usage
 * ```ts
 * import { readIdx, writeIdx } from "./idx.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = writeIdx({ dtype: "U8", dims: [3], data: new Uint8Array([7, 2, 1]) });
 * assert.deepEqual(Array.from(bytes.subarray(0, 8)), [0, 0, 8, 1, 0, 0, 0, 3]);
 * assert.deepEqual(Array.from(readIdx(bytes).data), [7, 2, 1]);
 * ```
 */
export function writeIdx(array: IdxArray): Uint8Array {
  const { dtype, dims, data } = array;
  const code = Object.hasOwn(DTYPE_TO_CODE, dtype)
    ? DTYPE_TO_CODE[dtype]
    : undefined;
  const ctor = {
    U8: Uint8Array,
    I8: Int8Array,
    I16: Int16Array,
    I32: Int32Array,
    F32: Float32Array,
    F64: Float64Array,
  }[dtype];
  if (code === undefined || ctor === undefined) {
    throw new TypeError(
      `Cannot write IDX as the element type is not an IDX type: ${
        JSON.stringify(dtype)
      }`,
    );
  }
  if (data.constructor !== ctor) {
    throw new TypeError(
      `Cannot write IDX as data has the wrong class for its dtype: dtype ${dtype}, data ${data.constructor.name}`,
    );
  }
  if (dims.length < 1 || dims.length > 255) {
    throw new RangeError(
      `Cannot write IDX as the rank must be in [1, 255]: rank ${dims.length}`,
    );
  }
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0 || d >= 2 ** 32) {
      throw new RangeError(
        `Cannot write IDX as a dimension is not an integer in [0, 2^32): dims ${
          formatShape(dims)
        }`,
      );
    }
  }
  const count = shapeSize(dims);
  if (count !== data.length) {
    throw new TypeError(
      `Cannot write IDX as the data length does not match the dimensions: dims ${
        formatShape(dims)
      }, data length ${data.length}`,
    );
  }
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + data.byteLength);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = dims.length;
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  out.set(encodeElements(data, false), header);
  return out;
}
