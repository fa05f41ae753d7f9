/**
 * Reader and writer for NumPy's `.npy` format: magic `\x93NUMPY`, version byte pair, a little-endian header
 * length (uint16 for 1.0, uint32 for 2.0/3.0), a Python dict literal
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` (latin-1, or UTF-8 for 3.0), then the raw
 * elements.
 *
 * @module
 */
import {
  decodeElements,
  encodeElements,
  formatShape,
  isDataOf,
} from "./_bytes.ts";
import { transposeND } from "./layout.ts";
import {
  type DType,
  DTYPE_ITEM_SIZE,
  shapeSize,
  type Tensor,
  type TensorData,
} from "./tensor.ts";

/** Options for {@linkcode readNpy}. */
export interface ReadNpyOptions {
  /**
   * Largest accepted header in bytes (NumPy's own default limit for `np.load`).
   *
   * @default {10_000}
   */
  readonly maxHeaderBytes?: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const DEFAULT_MAX_HEADER_BYTES = 10_000;

const KIND_TO_DTYPE: Readonly<Record<string, DType>> = {
  b1: "BOOL",
  u1: "U8",
  i1: "I8",
  i2: "I16",
  u2: "U16",
  i4: "I32",
  u4: "U32",
  f2: "F16",
  f4: "F32",
  f8: "F64",
  i8: "I64",
  u8: "U64",
};

const DTYPE_TO_KIND: Readonly<Partial<Record<DType, string>>> = Object
  .fromEntries(Object.entries(KIND_TO_DTYPE).map(([k, d]) => [d, k]));

function malformed(reason: string, state: string): SyntaxError {
  return new SyntaxError(`Cannot read npy as ${reason}: ${state}`);
}

type PyValue = string | boolean | number[];

/** Parses NumPy's header dict literal: string keys; values are strings, True/False or tuples of integers. */
function parseHeaderDict(text: string): Map<string, PyValue> {
  let i = 0;
  const fail = (what: string): never => {
    throw malformed(
      `the header is not a dict literal NumPy writes (${what})`,
      `header ${JSON.stringify(text)}`,
    );
  };
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
  };
  const expect = (c: string) => {
    ws();
    if (text[i] !== c) fail(`expected '${c}' at ${i}`);
    i++;
  };
  const str = (): string => {
    ws();
    const q = text[i];
    if (q !== "'" && q !== '"') fail(`expected a string at ${i}`);
    const end = text.indexOf(q!, i + 1);
    if (end < 0) fail("unterminated string");
    const s = text.slice(i + 1, end);
    if (s.includes("\\")) fail("escape in string");
    i = end + 1;
    return s;
  };
  const int = (): number => {
    ws();
    const m = /^[0-9]+/.exec(text.slice(i, i + 32));
    if (!m) fail(`expected an integer at ${i}`);
    i += m![0].length;
    if (text[i] === "L") i++; // Python 2 long suffix
    const v = Number(m![0]);
    if (!Number.isSafeInteger(v)) {
      throw new RangeError(
        `Cannot read npy as a shape dimension is not a safe integer: ${m![0]}`,
      );
    }
    return v;
  };
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if (c === "'" || c === '"') return str();
    if (text.startsWith("True", i)) {
      i += 4;
      return true;
    }
    if (text.startsWith("False", i)) {
      i += 5;
      return false;
    }
    if (c === "(") {
      i++;
      const dims: number[] = [];
      ws();
      if (text[i] === ")") {
        i++;
        return dims;
      }
      for (;;) {
        dims.push(int());
        ws();
        if (text[i] === ")") {
          // Python needs a trailing comma for a 1-tuple; (3) would be the integer 3.
          if (dims.length === 1) fail("a 1-tuple needs a trailing comma");
          i++;
          return dims;
        }
        expect(",");
        ws();
        if (text[i] === ")") {
          i++;
          return dims;
        }
      }
    }
    return fail(`unsupported value at ${i}`);
  };
  const out = new Map<string, PyValue>();
  expect("{");
  for (;;) {
    ws();
    if (text[i] === "}") {
      i++;
      break;
    }
    const key = str();
    if (out.has(key)) fail(`duplicate key '${key}'`);
    expect(":");
    out.set(key, value());
    ws();
    if (text[i] === ",") i++;
    else if (text[i] !== "}") fail(`expected ',' or '}' at ${i}`);
  }
  ws();
  if (i !== text.length) fail(`trailing text at ${i}`);
  return out;
}

/**
 * Reads a `.npy` file (format versions 1.0, 2.0 and 3.0).
 *
 * Supported `descr`: `b1`, `u1`, `i1`, `i2`, `u2`, `i4`, `u4`, `i8`, `u8`, `f2`, `f4`, `f8` with byte order
 * `<` or `>` (`|` for one-byte types). Big-endian data is converted to host order; `fortran_order: True` data
 * is transposed, so the result is always row-major (C order) with the header's shape. Structured and object
 * dtypes are rejected.
 *
 * @param bytes The whole file.
 * @param options Limits; see {@linkcode ReadNpyOptions}.
 * @returns A tensor with a fresh copy of the elements (`f2` as raw bit patterns, dtype `F16`).
 * @throws {RangeError} When the file is shorter than its header or data, the header length exceeds
 *   `maxHeaderBytes`, or the shape's size overflows.
 * @throws {SyntaxError} For a bad magic, unsupported version, undecodable header, a header that is not
 *   NumPy's dict literal with exactly `descr`, `fortran_order` and `shape`, an unsupported `descr`, or
 *   trailing bytes after the data.
 *
 * @example Usage
 * ```ts
 * import { readNpy, writeNpy } from "./npy.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = writeNpy({ dtype: "F64", shape: [2, 2], data: new Float64Array([1, 2, 3, 4]) });
 * const t = readNpy(bytes);
 * assert.ok(t.dtype === "F64");
 * assert.deepEqual(t.shape, [2, 2]);
 * assert.deepEqual(Array.from(t.data), [1, 2, 3, 4]);
 * ```
 */
export function readNpy(
  bytes: Uint8Array,
  options: ReadNpyOptions = {},
): Tensor {
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (!Number.isSafeInteger(maxHeaderBytes) || maxHeaderBytes < 0) {
    throw new RangeError(
      `Cannot read npy as maxHeaderBytes must be a non-negative safe integer: maxHeaderBytes=${maxHeaderBytes}`,
    );
  }
  if (bytes.length < 10) {
    throw new RangeError(
      `Cannot read npy as the file is shorter than the 10-byte preamble: ${bytes.length} bytes`,
    );
  }
  if (MAGIC.some((b, k) => bytes[k] !== b)) {
    throw malformed(
      "the magic string is not \\x93NUMPY",
      `first bytes ${
        Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, "0"))
          .join(" ")
      }`,
    );
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (![1, 2, 3].includes(major) || minor !== 0) {
    throw malformed(
      "the format version is not supported",
      `version ${major}.${minor}, supported 1.0, 2.0, 3.0`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prefix = major === 1 ? 10 : 12;
  if (bytes.length < prefix) {
    throw new RangeError(
      `Cannot read npy as the file is shorter than the ${prefix}-byte preamble: ${bytes.length} bytes`,
    );
  }
  const headerLength = major === 1
    ? view.getUint16(8, true)
    : view.getUint32(8, true);
  if (headerLength > maxHeaderBytes) {
    throw new RangeError(
      `Cannot read npy as the header length exceeds maxHeaderBytes: header length ${headerLength}, maxHeaderBytes ${maxHeaderBytes}`,
    );
  }
  if (headerLength > bytes.length - prefix) {
    throw new RangeError(
      `Cannot read npy as the header length exceeds the file: header length ${headerLength}, ${
        bytes.length - prefix
      } bytes after the preamble`,
    );
  }
  const headerBytes = bytes.subarray(prefix, prefix + headerLength);
  let text: string;
  if (major === 3) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(headerBytes);
    } catch (cause) {
      throw new SyntaxError(
        "Cannot read npy as the version 3.0 header is not valid UTF-8: " +
          `header length ${headerLength}`,
        { cause },
      );
    }
  } else {
    text = "";
    for (const b of headerBytes) text += String.fromCharCode(b); // latin-1
  }
  const dict = parseHeaderDict(text);
  const keys = [...dict.keys()].sort();
  if (keys.join(",") !== "descr,fortran_order,shape") {
    throw malformed(
      "the header does not have exactly the keys descr, fortran_order and shape",
      `keys ${JSON.stringify(keys)}`,
    );
  }
  const descr = dict.get("descr");
  const fortran = dict.get("fortran_order");
  const shape = dict.get("shape");
  if (typeof descr !== "string") {
    throw malformed("descr is not a string", `descr ${JSON.stringify(descr)}`);
  }
  if (typeof fortran !== "boolean") {
    throw malformed(
      "fortran_order is not True or False",
      `fortran_order ${JSON.stringify(fortran)}`,
    );
  }
  if (!Array.isArray(shape)) {
    throw malformed("shape is not a tuple", `shape ${JSON.stringify(shape)}`);
  }
  const order = descr[0];
  const dtype = KIND_TO_DTYPE[descr.slice(1)];
  if (
    dtype === undefined || !Object.hasOwn(KIND_TO_DTYPE, descr.slice(1)) ||
    !(order === "<" || order === ">" ||
      (order === "|" && DTYPE_ITEM_SIZE[dtype] === 1))
  ) {
    throw malformed(
      "descr is not a supported dtype",
      `descr ${JSON.stringify(descr)}`,
    );
  }
  const count = shapeSize(shape);
  const itemSize = DTYPE_ITEM_SIZE[dtype];
  if (count === null || !Number.isSafeInteger(count * itemSize)) {
    throw new RangeError(
      `Cannot read npy as the size of the shape overflows: shape ${
        formatShape(shape)
      } of ${descr}`,
    );
  }
  const dataStart = prefix + headerLength;
  const available = bytes.length - dataStart;
  if (available < count * itemSize) {
    throw new RangeError(
      `Cannot read npy as the data is truncated: shape ${
        formatShape(shape)
      } of ${descr} needs ${count * itemSize} bytes, file has ${available}`,
    );
  }
  if (available > count * itemSize) {
    throw malformed(
      "the file has trailing bytes after the data",
      `shape ${formatShape(shape)} of ${descr} needs ${
        count * itemSize
      } bytes, file has ${available}`,
    );
  }
  let data: TensorData = decodeElements(
    bytes,
    dataStart,
    dtype,
    count,
    order !== ">",
  );
  if (fortran && shape.length > 1) {
    // Fortran order stores the C-order array of the reversed shape; reverse the axes back.
    const reversed = [...shape].reverse();
    data = transposeND(
      data,
      reversed,
      reversed.map((_, k) => reversed.length - 1 - k),
    ).data;
  }
  return { dtype, shape, data } as Tensor;
}

/**
 * Writes a tensor as a `.npy` file: format 1.0 (2.0 if the header would exceed 65535 bytes), little-endian
 * `descr`, C order, header padded with spaces and a newline so the data starts at a multiple of 64 bytes, as
 * NumPy does.
 *
 * @param tensor The tensor (`BF16` has no NumPy dtype and is rejected; `F16` data are raw bit patterns).
 * @returns The file bytes.
 * @throws {TypeError} For `BF16`, data of the wrong class for the dtype, or a data length that does not match
 *   the shape.
 * @throws {RangeError} For a dimension that is not a non-negative safe integer.
 *
 * @example Usage
 * ```ts
 * import { writeNpy } from "./npy.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = writeNpy({ dtype: "U8", shape: [3], data: new Uint8Array([1, 2, 3]) });
 * const header = new TextDecoder().decode(bytes.subarray(10, 128));
 * assert.ok(header.startsWith("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }"));
 * assert.ok(header.endsWith(" \n"));
 * assert.equal(bytes.length, 128 + 3); // data start padded to a multiple of 64
 * ```
 */
export function writeNpy(tensor: Tensor): Uint8Array {
  const { dtype, shape, data } = tensor;
  const kind = DTYPE_TO_KIND[dtype];
  if (kind === undefined) {
    throw new TypeError(
      `Cannot write npy as the dtype has no NumPy equivalent: ${dtype}`,
    );
  }
  if (!isDataOf(dtype, data)) {
    throw new TypeError(
      `Cannot write npy as data has the wrong class for its dtype: dtype ${dtype}, data ${data.constructor.name}`,
    );
  }
  const count = shapeSize(shape);
  if (count === null) {
    throw new RangeError(
      `Cannot write npy as a dimension is not a non-negative safe integer or the size overflows: shape ${
        formatShape(shape)
      }`,
    );
  }
  if (count !== data.length) {
    throw new TypeError(
      `Cannot write npy as the data length does not match the shape: shape ${
        formatShape(shape)
      } needs ${count}, got ${data.length}`,
    );
  }
  const descr = (DTYPE_ITEM_SIZE[dtype] === 1 ? "|" : "<") + kind;
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  const dict =
    `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  let major = 1;
  let prefix = 10;
  let total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  if (total - prefix > 0xffff) {
    major = 2;
    prefix = 12;
    total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  }
  const headerLength = total - prefix;
  const out = new Uint8Array(total + data.byteLength);
  out.set(MAGIC);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  const header = dict.padEnd(headerLength - 1, " ") + "\n";
  for (let k = 0; k < header.length; k++) {
    out[prefix + k] = header.charCodeAt(k);
  }
  out.set(encodeElements(data, true), total);
  return out;
}
