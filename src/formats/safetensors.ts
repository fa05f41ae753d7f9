/**
 * Reader and writer for the safetensors checkpoint format: an 8-byte little-endian header length N, N bytes
 * of UTF-8 JSON `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}`, then the
 * data section of little-endian tensor bytes, with offsets relative to its start.
 *
 * @module
 */
import {
  allocData,
  decodeElements,
  describeJson,
  encodeElements,
  formatShape,
  isDataOf,
} from "./_bytes.ts";
import { findDuplicateKey } from "./_json_keys.ts";
import { toBfloat16Bits, toFloat16Bits } from "./half.ts";
import {
  type DType,
  DTYPE_ITEM_SIZE,
  isDType,
  shapeSize,
  type Tensor,
  type TensorData,
} from "./tensor.ts";

/** Options for {@linkcode readSafetensors}. */
export interface ReadSafetensorsOptions {
  /**
   * Largest accepted JSON header in bytes (the reference Rust implementation's limit).
   *
   * @default {100_000_000}
   */
  readonly maxHeaderBytes?: number;
}

/** The contents of a safetensors file. */
export interface Safetensors {
  /** Tensors by name, in sorted name order; each `data` is a fresh copy. */
  readonly tensors: Map<string, Tensor>;
  /** The `__metadata__` string map (empty when absent). */
  readonly metadata: Record<string, string>;
}

/**
 * A tensor to write. `data` must be the typed array of {@linkcode DTypeDataMap} for `dtype`, except that float
 * dtypes also accept a `Float32Array` or `Float64Array` of values: `F32` rounds float64 values to nearest (ties
 * to even), `F64` widens float32 exactly, and `F16`/`BF16` round to nearest, ties to even (a `Uint16Array` is
 * taken as raw bit patterns).
 */
export type SafetensorsInput =
  | Tensor
  | {
    readonly dtype: "F16" | "BF16" | "F32" | "F64";
    readonly shape: readonly number[];
    readonly data: Float32Array | Float64Array;
  };

const DEFAULT_MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = "__metadata__";
const ENTRY_KEYS = new Set(["dtype", "shape", "data_offsets"]);

function malformed(reason: string, state: string): SyntaxError {
  return new SyntaxError(`Cannot read safetensors as ${reason}: ${state}`);
}

function outOfRange(reason: string, state: string): RangeError {
  return new RangeError(`Cannot read safetensors as ${reason}: ${state}`);
}

interface Entry {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: number[];
  readonly count: number;
  readonly begin: number;
  readonly end: number;
}

function parseEntry(name: string, value: unknown, dataLength: number): Entry {
  const t = JSON.stringify(name);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw malformed(
      `tensor ${t} is not described by an object`,
      `got ${describeJson(value)}`,
    );
  }
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!ENTRY_KEYS.has(key)) {
      throw malformed(
        `tensor ${t} has an unknown field`,
        `${JSON.stringify(key)}`,
      );
    }
  }
  for (const key of ENTRY_KEYS) {
    if (!Object.hasOwn(v, key)) {
      throw malformed(
        `tensor ${t} has no ${key} field`,
        `fields ${JSON.stringify(Object.keys(v))}`,
      );
    }
  }
  const dtype = v.dtype;
  if (typeof dtype !== "string" || !isDType(dtype)) {
    throw malformed(
      `tensor ${t} has an unknown or unsupported dtype`,
      `dtype ${JSON.stringify(dtype)}`,
    );
  }
  const shape = v.shape;
  if (!Array.isArray(shape)) {
    throw malformed(
      `tensor ${t} has a shape that is not an array`,
      `got ${describeJson(shape)}`,
    );
  }
  for (const d of shape) {
    if (typeof d !== "number") {
      throw malformed(
        `tensor ${t} has a non-numeric dimension`,
        `shape ${formatShape(shape)}`,
      );
    }
    if (!Number.isSafeInteger(d) || d < 0) {
      throw outOfRange(
        `tensor ${t} has a dimension that is not a non-negative safe integer`,
        `shape ${formatShape(shape)}`,
      );
    }
  }
  const itemSize = DTYPE_ITEM_SIZE[dtype];
  const count = shapeSize(shape);
  if (count === null || !Number.isSafeInteger(count * itemSize)) {
    throw outOfRange(
      `tensor ${t} has a size that overflows`,
      `shape ${formatShape(shape)} of ${dtype}`,
    );
  }
  const offsets = v.data_offsets;
  if (
    !Array.isArray(offsets) || offsets.length !== 2 ||
    offsets.some((o) => typeof o !== "number")
  ) {
    throw malformed(
      `tensor ${t} has data_offsets that are not two numbers`,
      `data_offsets ${JSON.stringify(offsets)}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (
    !Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin < 0 ||
    end < begin
  ) {
    throw outOfRange(
      `tensor ${t} has data_offsets that are not safe integers with 0 <= begin <= end`,
      `data_offsets ${JSON.stringify(offsets)}`,
    );
  }
  if (end > dataLength) {
    throw outOfRange(
      `tensor ${t} has data_offsets outside the data section`,
      `data_offsets [${begin}, ${end}], data section of ${dataLength} bytes`,
    );
  }
  if (end - begin !== count * itemSize) {
    throw malformed(
      `tensor ${t} has a shape that does not match its data_offsets`,
      `shape ${formatShape(shape)} of ${dtype} needs ${
        count * itemSize
      } bytes, data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, dtype, shape: shape as number[], count, begin, end };
}

function parseMetadata(value: unknown): Record<string, string> {
  if (value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw malformed(
      "__metadata__ is not an object",
      `got ${describeJson(value)}`,
    );
  }
  const out: Record<string, string> = {};
  for (const [k, s] of Object.entries(value as Record<string, unknown>)) {
    if (typeof s !== "string") {
      throw malformed(
        "a __metadata__ value is not a string",
        `key ${JSON.stringify(k)} has ${describeJson(s)}`,
      );
    }
    // defineProperty keeps a "__proto__" key as data instead of invoking the prototype setter.
    Object.defineProperty(out, k, {
      value: s,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * Reads a safetensors file, validating it completely before decoding any tensor.
 *
 * Checks: the 8-byte header length is within `maxHeaderBytes` and within the file; the header is UTF-8 JSON
 * starting with `{`, an object without duplicate keys; `__metadata__` (optional) maps strings to strings; every
 * tensor entry has exactly `dtype` (a supported {@linkcode DType}), `shape` (non-negative safe integers whose
 * product × item size is a safe integer) and `data_offsets` `[begin, end]` inside the data section with
 * `end − begin` equal to the tensor's byte size; ranges neither overlap nor leave gaps, and together cover the
 * data section exactly (as the reference implementation requires). NaN and ±∞ are accepted; see
 * {@linkcode assertFinite}.
 *
 * @param bytes The whole file.
 * @param options Limits; see {@linkcode ReadSafetensorsOptions}.
 * @returns Tensors (fresh copies, sorted by name) and metadata. `F16`/`BF16` data are raw bit patterns; use
 *   {@linkcode tensorToFloat32} for values.
 * @throws {RangeError} For out-of-bounds sizes: file shorter than 8 bytes, header length above
 *   `maxHeaderBytes` or beyond the file, negative/non-integer/overflowing dimensions or offsets, offsets past
 *   the end of the data section (truncated file).
 * @throws {SyntaxError} For malformed content: invalid UTF-8 or JSON, header not an object, duplicate keys,
 *   missing or unknown fields, unknown dtype, shape/offset size mismatch, overlapping ranges, uncovered bytes,
 *   non-string metadata. Messages name the tensor.
 *
 * @example Usage
 * ```ts
 * import { readSafetensors, writeSafetensors } from "./safetensors.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = writeSafetensors(
 *   new Map([["w", { dtype: "F32", shape: [2], data: new Float32Array([1.5, -2]) }]]),
 *   { format: "pt" },
 * );
 * const { tensors, metadata } = readSafetensors(bytes);
 * const w = tensors.get("w")!;
 * assert.ok(w.dtype === "F32"); // narrows w.data to Float32Array
 * assert.deepEqual(w.shape, [2]);
 * assert.deepEqual(Array.from(w.data), [1.5, -2]);
 * assert.deepEqual(metadata, { format: "pt" });
 * ```
 */
export function readSafetensors(
  bytes: Uint8Array,
  options: ReadSafetensorsOptions = {},
): Safetensors {
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (!Number.isSafeInteger(maxHeaderBytes) || maxHeaderBytes < 0) {
    throw new RangeError(
      `Cannot read safetensors as maxHeaderBytes must be a non-negative safe integer: maxHeaderBytes=${maxHeaderBytes}`,
    );
  }
  if (bytes.length < 8) {
    throw outOfRange(
      "the file is shorter than the 8-byte header length",
      `file has ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(maxHeaderBytes)) {
    throw outOfRange(
      "the header length exceeds maxHeaderBytes",
      `header length ${declared}, maxHeaderBytes ${maxHeaderBytes}`,
    );
  }
  if (declared > BigInt(bytes.length - 8)) {
    throw outOfRange(
      "the header length exceeds the file",
      `header length ${declared}, ${bytes.length - 8} bytes after the length`,
    );
  }
  const headerLength = Number(declared);
  const headerBytes = bytes.subarray(8, 8 + headerLength);
  if (headerBytes[0] !== 0x7b) {
    throw malformed(
      "the header does not start with '{'",
      headerLength === 0
        ? "header is empty"
        : `first byte 0x${headerBytes[0]!.toString(16).padStart(2, "0")}`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(
      headerBytes,
    );
  } catch (cause) {
    throw new SyntaxError(
      `Cannot read safetensors as the header is not valid UTF-8: header length ${headerLength}`,
      { cause },
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (cause) {
    throw new SyntaxError(
      `Cannot read safetensors as the header is not valid JSON: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw malformed(
      "the header is not a JSON object",
      `got ${describeJson(header)}`,
    );
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== null) {
    throw malformed(
      "the header has a duplicate key",
      JSON.stringify(duplicate),
    );
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === METADATA_KEY) metadata = parseMetadata(value);
    else entries.push(parseEntry(name, value, dataLength));
  }
  const byOffset = [...entries].sort((a, b) =>
    a.begin - b.begin || a.end - b.end
  );
  let cursor = 0;
  let previous: Entry | null = null;
  for (const e of byOffset) {
    if (e.begin < cursor && previous !== null) {
      throw malformed(
        `tensors ${JSON.stringify(previous.name)} and ${
          JSON.stringify(e.name)
        } overlap`,
        `data_offsets [${previous.begin}, ${previous.end}] and [${e.begin}, ${e.end}]`,
      );
    }
    if (e.begin > cursor) {
      throw malformed(
        `the data section has bytes not covered by any tensor before tensor ${
          JSON.stringify(e.name)
        }`,
        `bytes [${cursor}, ${e.begin}) are uncovered`,
      );
    }
    cursor = e.end;
    previous = e;
  }
  if (cursor !== dataLength) {
    throw malformed(
      "the data section has trailing bytes not covered by any tensor",
      `bytes [${cursor}, ${dataLength}) are uncovered`,
    );
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const tensors = new Map<string, Tensor>();
  for (const e of entries) {
    const data = decodeElements(
      bytes,
      dataStart + e.begin,
      e.dtype,
      e.count,
      true,
    );
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data } as Tensor);
  }
  return { tensors, metadata };
}

function writeError(
  ctor: typeof TypeError | typeof RangeError,
  reason: string,
  state: string,
): Error {
  return new ctor(`Cannot write safetensors as ${reason}: ${state}`);
}

function toStoredData(name: string, input: SafetensorsInput): TensorData {
  const t = JSON.stringify(name);
  const { dtype, data } = input as { dtype: unknown; data: unknown };
  if (typeof dtype !== "string" || !isDType(dtype)) {
    throw writeError(
      TypeError,
      `tensor ${t} has an unknown dtype`,
      `dtype ${JSON.stringify(dtype)}`,
    );
  }
  if (isDataOf(dtype, data)) {
    if (dtype === "BOOL") {
      const b = data as Uint8Array;
      const bad = b.findIndex((x) => x > 1);
      if (bad >= 0) {
        throw writeError(
          RangeError,
          `BOOL tensor ${t} has a value other than 0 or 1`,
          `element ${bad} is ${b[bad]}`,
        );
      }
    }
    return data as TensorData;
  }
  const isFloat = data instanceof Float32Array || data instanceof Float64Array;
  if (isFloat) {
    switch (dtype) {
      case "F32":
        return Float32Array.from(data);
      case "F64":
        return Float64Array.from(data);
      case "F16":
        return toFloat16Bits(data);
      case "BF16":
        return toBfloat16Bits(data);
    }
  }
  throw writeError(
    TypeError,
    `tensor ${t} has data of the wrong type for its dtype`,
    `dtype ${dtype}, data ${
      (data as { constructor?: { name?: string } } | null)?.constructor?.name ??
        describeJson(data)
    }`,
  );
}

/**
 * Writes tensors and metadata as a safetensors file that {@linkcode readSafetensors} and the reference
 * implementation accept.
 *
 * Layout is deterministic: header keys in the order `__metadata__` (if non-empty) then tensors by name; the
 * header is padded with spaces so the data section starts at a multiple of 8 bytes; tensors are stored
 * contiguously ordered by item size (largest first), then name, so each tensor's offset is a multiple of its
 * item size (the reference writer's convention).
 *
 * @param tensors Tensors by name (a `Map` or a plain object); see {@linkcode SafetensorsInput} for accepted
 *   data per dtype. Names must not be `"__metadata__"`.
 * @param metadata String-to-string metadata (optional).
 * @returns The file bytes.
 * @throws {TypeError} For an unknown dtype, data of the wrong type, or a data length that does not match the
 *   shape.
 * @throws {RangeError} For a dimension that is not a non-negative safe integer, a reserved name, or a BOOL
 *   value other than 0 or 1.
 *
 * @example Usage
 * ```ts
 * import { readSafetensors, writeSafetensors } from "./safetensors.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = writeSafetensors({
 *   "bn1.num_batches_tracked": { dtype: "I64", shape: [], data: new BigInt64Array([42n]) },
 *   "fc.bias": { dtype: "BF16", shape: [2], data: new Float32Array([1, 0.5]) },
 * });
 * const bias = readSafetensors(bytes).tensors.get("fc.bias")!;
 * assert.ok(bias.dtype === "BF16"); // data are raw bfloat16 bits
 * assert.deepEqual(Array.from(bias.data), [0x3f80, 0x3f00]);
 * ```
 */
export function writeSafetensors(
  tensors:
    | ReadonlyMap<string, SafetensorsInput>
    | Readonly<Record<string, SafetensorsInput>>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const list: [string, SafetensorsInput][] = tensors instanceof Map
    ? [...tensors.entries()]
    : Object.entries(tensors as Record<string, SafetensorsInput>);
  const items = list.map(([name, input]) => {
    if (name === METADATA_KEY) {
      throw writeError(
        RangeError,
        "a tensor name is reserved",
        JSON.stringify(name),
      );
    }
    const t = JSON.stringify(name);
    const shape = input.shape;
    if (!Array.isArray(shape)) {
      throw writeError(TypeError, `tensor ${t} has no shape array`, "");
    }
    const count = shapeSize(shape);
    if (count === null) {
      throw writeError(
        RangeError,
        `tensor ${t} has a dimension that is not a non-negative safe integer or an overflowing size`,
        `shape ${formatShape(shape)}`,
      );
    }
    const data = toStoredData(name, input);
    if (data.length !== count) {
      throw writeError(
        TypeError,
        `tensor ${t} has a data length that does not match its shape`,
        `shape ${formatShape(shape)} needs ${count}, got ${data.length}`,
      );
    }
    return { name, dtype: input.dtype, shape: [...shape], data };
  });
  const byName = (a: { name: string }, b: { name: string }) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  items.sort(byName);
  const stored = [...items].sort((a, b) =>
    DTYPE_ITEM_SIZE[b.dtype] - DTYPE_ITEM_SIZE[a.dtype] || byName(a, b)
  );
  const offsets = new Map<string, [number, number]>();
  let cursor = 0;
  for (const it of stored) {
    offsets.set(it.name, [cursor, cursor + it.data.byteLength]);
    cursor += it.data.byteLength;
  }
  const parts: string[] = [];
  const metaKeys = Object.keys(metadata).sort();
  if (metaKeys.length > 0) {
    const fields = metaKeys.map((k) => {
      const v = metadata[k];
      if (typeof v !== "string") {
        throw writeError(
          TypeError,
          "a metadata value is not a string",
          `key ${JSON.stringify(k)} has ${describeJson(v)}`,
        );
      }
      return `${JSON.stringify(k)}:${JSON.stringify(v)}`;
    });
    parts.push(`${JSON.stringify(METADATA_KEY)}:{${fields.join(",")}}`);
  }
  for (const it of items) {
    const [b, e] = offsets.get(it.name)!;
    parts.push(
      `${JSON.stringify(it.name)}:{"dtype":${
        JSON.stringify(it.dtype)
      },"shape":[${it.shape.join(",")}],"data_offsets":[${b},${e}]}`,
    );
  }
  let header = new TextEncoder().encode(`{${parts.join(",")}}`);
  const padded = Math.ceil((8 + header.length) / 8) * 8 - 8;
  if (padded !== header.length) {
    const h = new Uint8Array(padded).fill(0x20);
    h.set(header);
    header = h;
  }
  const out = allocData("U8", 8 + header.length + cursor);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  const dataStart = 8 + header.length;
  for (const it of stored) {
    out.set(
      encodeElements(it.data, true),
      dataStart + offsets.get(it.name)![0],
    );
  }
  return out;
}
