/**
 * Reader and writer for NumPy's `.npz` archives (a zip of `.npy` files, as written by `np.savez` and
 * `np.savez_compressed`), using `fflate` with bounds on the entry count and the total uncompressed size.
 *
 * @module
 */
import { unzipSync, zipSync } from "fflate";
import { crc32 } from "./_crc32.ts";
import { readNpy, type ReadNpyOptions, writeNpy } from "./npy.ts";
import type { Tensor } from "./tensor.ts";

/** Options for {@linkcode readNpz}. */
export interface ReadNpzOptions extends ReadNpyOptions {
  /**
   * Largest accepted number of entries in the archive.
   *
   * @default {10_000}
   */
  readonly maxEntries?: number;
  /**
   * Largest accepted sum of the entries' uncompressed sizes, in bytes.
   *
   * @default {1_073_741_824} (1 GiB)
   */
  readonly maxTotalBytes?: number;
}

/** Options for {@linkcode writeNpz}. */
export interface WriteNpzOptions {
  /**
   * Deflate the entries (like `np.savez_compressed`) instead of storing them (like `np.savez`).
   *
   * @default {false}
   */
  readonly compress?: boolean;
}

/**
 * CRC-32 values of the central directory entries, in directory order (the order in which `unzipSync` visits
 * them), located the same way `fflate` does; `null` if the directory cannot be walked.
 */
function centralDirectoryCrcs(bytes: Uint8Array): number[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  let e = n - 22;
  for (; e > 0 && view.getUint32(e, true) !== 0x06054b50; e--) {
    if (n - e > 65558) return null;
  }
  if (e < 0 || view.getUint32(e, true) !== 0x06054b50) return null;
  let count = view.getUint16(e + 10, true);
  let o = view.getUint32(e + 16, true);
  if (e >= 20 && view.getUint32(e - 20, true) === 0x07064b50) {
    const z = Number(view.getBigUint64(e - 12, true));
    if (z + 56 <= n && view.getUint32(z, true) === 0x06064b50) {
      count = Number(view.getBigUint64(z + 32, true));
      o = Number(view.getBigUint64(z + 48, true));
    }
  }
  const crcs: number[] = [];
  for (let i = 0; i < count; i++) {
    if (o + 46 > n || view.getUint32(o, true) !== 0x02014b50) return null;
    crcs.push(view.getUint32(o + 16, true));
    o += 46 + view.getUint16(o + 28, true) + view.getUint16(o + 30, true) +
      view.getUint16(o + 32, true);
  }
  return crcs;
}

function checkLimit(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `Cannot read npz as ${name} must be a non-negative safe integer: ${name}=${value}`,
    );
  }
}

/**
 * Reads a `.npz` archive into tensors keyed by array name (the entry name without `.npy`, as `np.load` does).
 *
 * The entry count and the sum of declared uncompressed sizes are checked before anything is decompressed;
 * each entry's actual size and CRC-32 must equal those in the central directory; every entry must be a `.npy`
 * file with a unique name.
 * Each entry is then read with {@linkcode readNpy} (same validation).
 *
 * @param bytes The whole archive.
 * @param options Limits; see {@linkcode ReadNpzOptions}.
 * @returns Tensors by name, in archive order.
 * @throws {RangeError} When the entry count or total size exceeds its limit, or {@linkcode readNpy} reports a
 *   bounds error (its message is prefixed with the entry name).
 * @throws {SyntaxError} When the zip is malformed, an entry is not a `.npy` file, a name repeats, a size
 *   or CRC-32 does not match, or an entry is not a valid `.npy` file.
 *
 * @example Usage
 * ```ts
 * import { readNpz, writeNpz } from "./npz.ts";
 * import assert from "node:assert/strict";
 *
 * const bytes = writeNpz({
 *   x: { dtype: "F32", shape: [2], data: new Float32Array([0.5, 1]) },
 *   y: { dtype: "I64", shape: [1], data: new BigInt64Array([3n]) },
 * });
 * const arrays = readNpz(bytes);
 * assert.deepEqual([...arrays.keys()], ["x", "y"]);
 * const x = arrays.get("x")!;
 * assert.ok(x.dtype === "F32"); // narrows x.data to Float32Array
 * assert.deepEqual(Array.from(x.data), [0.5, 1]);
 * ```
 */
export function readNpz(
  bytes: Uint8Array,
  options: ReadNpzOptions = {},
): Map<string, Tensor> {
  const maxEntries = options.maxEntries ?? 10_000;
  const maxTotalBytes = options.maxTotalBytes ?? 1 << 30;
  checkLimit("maxEntries", maxEntries);
  checkLimit("maxTotalBytes", maxTotalBytes);
  const declared = new Map<string, number>();
  let total = 0;
  let files: Record<string, Uint8Array>;
  let rejection: Error | null = null;
  const reject = (e: Error): never => {
    rejection = e;
    throw e;
  };
  try {
    files = unzipSync(bytes, {
      filter(file) {
        if (declared.size + 1 > maxEntries) {
          reject(
            new RangeError(
              `Cannot read npz as the archive has more entries than maxEntries: maxEntries ${maxEntries}`,
            ),
          );
        }
        if (!file.name.endsWith(".npy")) {
          reject(
            new SyntaxError(
              `Cannot read npz as an entry is not a .npy file: ${
                JSON.stringify(file.name)
              }`,
            ),
          );
        }
        if (declared.has(file.name)) {
          reject(
            new SyntaxError(
              `Cannot read npz as an entry name repeats: ${
                JSON.stringify(file.name)
              }`,
            ),
          );
        }
        total += file.originalSize;
        if (total > maxTotalBytes) {
          reject(
            new RangeError(
              `Cannot read npz as the total uncompressed size exceeds maxTotalBytes: at least ${total} bytes, maxTotalBytes ${maxTotalBytes}`,
            ),
          );
        }
        if (file.compression !== 0 && file.compression !== 8) {
          reject(
            new SyntaxError(
              `Cannot read npz as an entry uses an unsupported compression method: ${
                JSON.stringify(file.name)
              } uses method ${file.compression}`,
            ),
          );
        }
        declared.set(file.name, file.originalSize);
        return true;
      },
    });
  } catch (cause) {
    if (cause === rejection) throw cause;
    throw new SyntaxError(
      `Cannot read npz as the zip archive is malformed: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
  }
  const crcs = centralDirectoryCrcs(bytes);
  if (crcs === null || crcs.length !== declared.size) {
    throw new SyntaxError(
      `Cannot read npz as the central directory cannot be walked: ${declared.size} entries extracted`,
    );
  }
  const out = new Map<string, Tensor>();
  let index = 0;
  for (const [name, size] of declared) {
    const entry = files[name];
    if (entry === undefined || entry.length !== size) {
      throw new SyntaxError(
        `Cannot read npz as an entry's size does not match its declared size: ${
          JSON.stringify(name)
        } declares ${size} bytes, got ${entry?.length ?? 0}`,
      );
    }
    const crc = crc32(entry);
    if (crc !== crcs[index]) {
      throw new SyntaxError(
        `Cannot read npz as an entry's CRC-32 does not match the archive: ${
          JSON.stringify(name)
        } has 0x${crc.toString(16)}, archive says 0x${
          crcs[index]!.toString(16)
        }`,
      );
    }
    index++;
    let tensor: Tensor;
    try {
      tensor = readNpy(
        entry,
        options.maxHeaderBytes === undefined
          ? {}
          : { maxHeaderBytes: options.maxHeaderBytes },
      );
    } catch (cause) {
      const ctor = cause instanceof RangeError ? RangeError : SyntaxError;
      throw new ctor(
        `Cannot read npz as entry ${
          JSON.stringify(name)
        } is not a valid npy file: ${
          cause instanceof Error ? cause.message : String(cause)
        }`,
        { cause },
      );
    }
    out.set(name.slice(0, -4), tensor);
  }
  return out;
}

/**
 * Writes tensors as a `.npz` archive of `<name>.npy` entries (see {@linkcode writeNpy}), readable by `np.load`.
 * The output is deterministic: entries in the given order, and a fixed timestamp (1980-01-01) instead of the
 * current time.
 *
 * @param tensors Tensors by array name (a `Map` or a plain object).
 * @param options See {@linkcode WriteNpzOptions}.
 * @returns The archive bytes.
 * @throws {TypeError} As {@linkcode writeNpy} does, for a tensor that cannot be written.
 * @throws {RangeError} As {@linkcode writeNpy} does.
 *
 * @example Usage
 * ```ts
 * import { readNpz, writeNpz } from "./npz.ts";
 * import assert from "node:assert/strict";
 *
 * const tensors = new Map([["w", { dtype: "F64" as const, shape: [3], data: new Float64Array([1, 2, 3]) }]]);
 * const a = writeNpz(tensors, { compress: true });
 * assert.deepEqual(a, writeNpz(tensors, { compress: true }));
 * const w = readNpz(a).get("w")!;
 * assert.ok(w.dtype === "F64");
 * assert.deepEqual(Array.from(w.data), [1, 2, 3]);
 * ```
 */
export function writeNpz(
  tensors: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>,
  options: WriteNpzOptions = {},
): Uint8Array {
  const list: [string, Tensor][] = tensors instanceof Map
    ? [...tensors.entries()]
    : Object.entries(tensors as Record<string, Tensor>);
  const zippable: Record<string, Uint8Array> = {};
  for (const [name, tensor] of list) zippable[`${name}.npy`] = writeNpy(tensor);
  return zipSync(zippable, {
    level: options.compress ? 6 : 0,
    mtime: new Date(1980, 0, 1, 12),
  });
}
