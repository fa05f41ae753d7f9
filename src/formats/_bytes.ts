/**
 * Private byte-level helpers: typed-array construction per dtype and endian-aware copies between bytes and
 * typed arrays. Every decode copies, so results never alias the caller's buffer.
 *
 * @module
 */
import {
  type DType,
  DTYPE_ITEM_SIZE,
  type DTypeDataMap,
  type TensorData,
} from "./tensor.ts";

type Ctor = new (n: number | ArrayBuffer) => TensorData;

const CONSTRUCTORS: Readonly<Record<DType, Ctor>> = {
  BOOL: Uint8Array,
  U8: Uint8Array,
  I8: Int8Array,
  I16: Int16Array,
  U16: Uint16Array,
  I32: Int32Array,
  U32: Uint32Array,
  F16: Uint16Array,
  BF16: Uint16Array,
  F32: Float32Array,
  F64: Float64Array,
  I64: BigInt64Array,
  U64: BigUint64Array,
};

/** True on little-endian hosts (all current x86 and ARM hosts). */
export const HOST_LITTLE_ENDIAN: boolean =
  new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Allocates a zero-filled typed array of `length` elements for `dtype`. */
export function allocData<D extends DType>(
  dtype: D,
  length: number,
): DTypeDataMap[D] {
  return new CONSTRUCTORS[dtype](length) as DTypeDataMap[D];
}

/** Whether `data` is exactly the typed array class that holds `dtype`. */
export function isDataOf(dtype: DType, data: unknown): boolean {
  return data instanceof CONSTRUCTORS[dtype] &&
    (data as TensorData).constructor === CONSTRUCTORS[dtype];
}

function swapInPlace(bytes: Uint8Array, itemSize: number): void {
  if (itemSize === 1) return;
  for (let i = 0; i + itemSize <= bytes.length; i += itemSize) {
    for (let k = 0; k < itemSize >> 1; k++) {
      const a = i + k;
      const b = i + itemSize - 1 - k;
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/**
 * Copies `count` elements of `dtype` stored at `bytes[offset..]` with the given byte order into a new typed
 * array. The caller has already checked that the range lies inside `bytes`.
 */
export function decodeElements<D extends DType>(
  bytes: Uint8Array,
  offset: number,
  dtype: D,
  count: number,
  littleEndian: boolean,
): DTypeDataMap[D] {
  const size = DTYPE_ITEM_SIZE[dtype];
  const copy = bytes.slice(offset, offset + count * size);
  if (littleEndian !== HOST_LITTLE_ENDIAN) swapInPlace(copy, size);
  return new CONSTRUCTORS[dtype](copy.buffer) as DTypeDataMap[D];
}

/** Returns a new byte array holding the elements of `data` in the given byte order. */
export function encodeElements(
  data: TensorData,
  littleEndian: boolean,
): Uint8Array {
  const copy = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    .slice();
  if (littleEndian !== HOST_LITTLE_ENDIAN) {
    swapInPlace(copy, data.BYTES_PER_ELEMENT);
  }
  return copy;
}

/** Formats a shape for error messages, e.g. `[2, 3]`. */
export function formatShape(shape: readonly unknown[]): string {
  return `[${shape.map((d) => JSON.stringify(d) ?? String(d)).join(", ")}]`;
}

/** A short description of a JSON value's type for error messages. */
export function describeJson(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}
