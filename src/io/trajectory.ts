/**
 * Readers and writers of trajectory folders (format `sgd-limits-trajectory` v1): a manifest, per-step lean
 * statistics in float64 `.npy` chunks, log-spaced full checkpoints and a resume state. The readers are
 * size-bounded and validate everything they return; an unknown format or version is an error naming the file.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { readNpy, writeNpy } from "../formats/npy.ts";
import {
  readSafetensors,
  type Safetensors,
  writeSafetensors,
} from "../formats/safetensors.ts";
import { canonicalJson } from "../results/canonical_json.ts";
import { writeFileAtomic } from "./atomic_write.ts";

/** The `format` field of a trajectory manifest. */
export const TRAJECTORY_FORMAT = "sgd-limits-trajectory";
/** The supported manifest version. */
export const TRAJECTORY_VERSION = 1;
/** The lean-statistics columns every trajectory has, in this order (projection columns follow). */
export const BASE_LEAN_COLUMNS: readonly string[] = [
  "step",
  "dispSq",
  "stepSq",
  "normSq",
  "bufferNormSq",
  "loss",
];

/** Largest manifest accepted (bytes). */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** Largest lean chunk accepted (bytes). */
const MAX_LEAN_BYTES = 256 * 1024 * 1024;
/** Largest checkpoint accepted (bytes; a full-width ResNet-18 with momentum is ~94 MB). */
const MAX_CHECKPOINT_BYTES = 1024 * 1024 * 1024;
/** Largest total number of lean rows accepted. */
const MAX_LEAN_ROWS = 50_000_000;

const LEAN_FILE = /^(\d{9})\.npy$/;
const CHECKPOINT_FILE = /^step_(\d{9})\.safetensors$/;

/** SGD hyperparameters of one phase. */
export interface PhaseHyperparameters {
  /** Learning rate η (> 0). */
  readonly eta: number;
  /** Momentum β in [0, 1). */
  readonly beta: number;
  /** Batch size S (positive integer). */
  readonly batchSize: number;
  /** Coupled weight decay λ (≥ 0). */
  readonly weightDecay: number;
}

/** The model description of a manifest (the same fields as `ModelSpec` in src/nn/parallel/). */
export type TrajectoryModel =
  | {
    readonly kind: "resnet18";
    readonly width: number;
    readonly stem: "small" | "imagenet";
    readonly inChannels: number;
    readonly numClasses: number;
    readonly imageSize: number;
  }
  | {
    readonly kind: "mlp";
    readonly inputShape: readonly number[];
    readonly hidden: readonly number[];
    readonly numClasses: number;
  }
  | {
    readonly kind: "small_cnn";
    readonly inputShape: readonly [number, number, number];
    readonly width: number;
    readonly numClasses: number;
    readonly batchNorm: boolean;
  };

/** `manifest.json` of a trajectory folder (see /tmp/trajectory_format.md, v1). */
export interface TrajectoryManifest {
  readonly format: typeof TRAJECTORY_FORMAT;
  readonly version: 1;
  readonly name: string;
  readonly model: TrajectoryModel;
  readonly data: {
    readonly dataset: "mnist" | "fashion-mnist";
    readonly split: "train";
    readonly limit: number;
    readonly normalization: "standard" | "unit";
    readonly pad: number;
  };
  /** Phase 1 (0 steps when there is no pretraining). */
  readonly pretrain: PhaseHyperparameters & { readonly steps: number };
  /** Phase 2: the constant-η continuation. */
  readonly hyperparameters: PhaseHyperparameters;
  /** Base seed, u64 decimal. */
  readonly seed: string;
  /** Number K of continuation steps. */
  readonly steps: number;
  /** Continuation steps with a full checkpoint (log-spaced, 0 and K included). */
  readonly checkpointSteps: readonly number[];
  /** Number of trainable parameters P. */
  readonly parameterCount: number;
  readonly flattenOrder: string;
  /** Columns of the lean `.npy` chunks. */
  readonly leanColumns: readonly string[];
  /** Directions projected on every step (`proj<i>` = v_i·(θ_k − θ_0)), or null. */
  readonly projections: null | {
    readonly file: string;
    readonly count: number;
    readonly eigenvalues: readonly number[];
  };
  readonly backend: string;
  readonly simd: boolean;
  readonly kernels: readonly string[];
  /** Number of data-parallel workers (BatchNorm statistics are per worker shard). */
  readonly workers: number;
  readonly source: {
    readonly commit: string | null;
    readonly dirty: boolean | null;
    readonly lockSha256: string | null;
  };
  /** Number of continuation steps whose lean rows are on disk. */
  readonly completedSteps: number;
  /** True when all K steps and every checkpoint are on disk. */
  readonly complete: boolean;
}

/** The lean statistics of a trajectory, one Float64Array per column. */
export interface LeanStats {
  /** Column name → values for steps 0 … steps−1. */
  readonly columns: Map<string, Float64Array>;
  /** Number of rows. */
  readonly steps: number;
}

/** A checkpoint file of a trajectory. */
export interface CheckpointRef {
  /** Continuation step k. */
  readonly step: number;
  /** Path of the safetensors file. */
  readonly path: string;
}

async function readBounded(
  path: string,
  maxBytes: number,
  what: string,
): Promise<Uint8Array> {
  let size: number;
  try {
    const st = await Deno.stat(path);
    if (!st.isFile) throw new Error("not a file");
    size = st.size;
  } catch (cause) {
    throw new Error(`Cannot read ${what} as ${path} is not a readable file`, {
      cause,
    });
  }
  if (size > maxBytes) {
    throw new RangeError(
      `Cannot read ${what} as ${path} is larger than ${maxBytes} bytes: ${size} bytes`,
    );
  }
  return await Deno.readFile(path);
}

function fail(path: string, reason: string): never {
  throw new TypeError(`Cannot read trajectory manifest ${path} as ${reason}`);
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function posInt(v: unknown, allowZero = false): boolean {
  return typeof v === "number" && Number.isSafeInteger(v) &&
    (allowZero ? v >= 0 : v > 0);
}

function checkPhase(path: string, where: string, v: unknown): void {
  if (!isObj(v)) fail(path, `"${where}" is not an object`);
  const { eta, beta, batchSize, weightDecay } = v;
  if (!(typeof eta === "number" && Number.isFinite(eta) && eta > 0)) {
    fail(path, `"${where}.eta" is not a finite number > 0`);
  }
  if (!(typeof beta === "number" && beta >= 0 && beta < 1)) {
    fail(path, `"${where}.beta" is not in [0, 1)`);
  }
  if (!posInt(batchSize)) {
    fail(path, `"${where}.batchSize" is not a positive integer`);
  }
  if (
    !(typeof weightDecay === "number" && Number.isFinite(weightDecay) &&
      weightDecay >= 0)
  ) {
    fail(path, `"${where}.weightDecay" is not a finite number >= 0`);
  }
}

/**
 * Checks that a parsed JSON value is a valid v1 trajectory manifest.
 *
 * @param value The parsed JSON.
 * @param path The file name used in error messages.
 * @returns The value, typed.
 * @throws {SyntaxError} When the format or version is not `sgd-limits-trajectory` v1.
 * @throws {TypeError} Naming the first missing or invalid field.
 *
 * @example A wrong version is rejected
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateTrajectoryManifest } from "./trajectory.ts";
 *
 * assert.throws(
 *   () => validateTrajectoryManifest({ format: "sgd-limits-trajectory", version: 2 }, "m.json"),
 *   /m\.json .*version 2/,
 * );
 * ```
 */
export function validateTrajectoryManifest(
  value: unknown,
  path: string,
): TrajectoryManifest {
  if (!isObj(value) || value.format !== TRAJECTORY_FORMAT) {
    throw new SyntaxError(
      `Cannot read trajectory manifest ${path} as its format is not "${TRAJECTORY_FORMAT}": format=${
        JSON.stringify(isObj(value) ? value.format : value)
      }`,
    );
  }
  if (value.version !== TRAJECTORY_VERSION) {
    throw new SyntaxError(
      `Cannot read trajectory manifest ${path} as only version ${TRAJECTORY_VERSION} is supported: version ${
        JSON.stringify(value.version)
      }`,
    );
  }
  const v = value;
  if (typeof v.name !== "string" || v.name.length === 0) {
    fail(path, `"name" is not a non-empty string`);
  }
  const model = v.model;
  if (
    !isObj(model) ||
    !["resnet18", "mlp", "small_cnn"].includes(model.kind as string)
  ) {
    fail(path, `"model.kind" is not resnet18, mlp or small_cnn`);
  }
  if (!posInt(model.numClasses)) {
    fail(path, `"model.numClasses" is not a positive integer`);
  }
  const data = v.data;
  if (!isObj(data)) fail(path, `"data" is not an object`);
  if (data.dataset !== "mnist" && data.dataset !== "fashion-mnist") {
    fail(path, `"data.dataset" is not mnist or fashion-mnist`);
  }
  if (!posInt(data.limit)) fail(path, `"data.limit" is not a positive integer`);
  if (!posInt(data.pad, true)) {
    fail(path, `"data.pad" is not a non-negative integer`);
  }
  checkPhase(path, "hyperparameters", v.hyperparameters);
  const pre = v.pretrain;
  if (!isObj(pre) || !posInt(pre.steps, true)) {
    fail(path, `"pretrain.steps" is not a non-negative integer`);
  }
  if ((pre.steps as number) > 0) checkPhase(path, "pretrain", pre);
  if (typeof v.seed !== "string" || !/^\d{1,20}$/.test(v.seed)) {
    fail(path, `"seed" is not a u64 decimal string`);
  }
  if (!posInt(v.steps)) fail(path, `"steps" is not a positive integer`);
  const k = v.steps as number;
  const cps = v.checkpointSteps;
  if (
    !Array.isArray(cps) ||
    cps.some((s, i) => !posInt(s, true) || s > k || (i > 0 && s <= cps[i - 1]))
  ) {
    fail(
      path,
      `"checkpointSteps" is not an increasing list of steps in [0, ${k}]`,
    );
  }
  if (!posInt(v.parameterCount)) {
    fail(path, `"parameterCount" is not a positive integer`);
  }
  const cols = v.leanColumns;
  if (
    !Array.isArray(cols) ||
    BASE_LEAN_COLUMNS.some((c, i) => cols[i] !== c) ||
    cols.some((c) => typeof c !== "string") ||
    new Set(cols).size !== cols.length
  ) {
    fail(
      path,
      `"leanColumns" does not start with ${BASE_LEAN_COLUMNS.join(", ")}`,
    );
  }
  const proj = v.projections;
  if (proj !== null) {
    if (
      !isObj(proj) || typeof proj.file !== "string" || !posInt(proj.count) ||
      !Array.isArray(proj.eigenvalues) ||
      proj.eigenvalues.some((e) => typeof e !== "number")
    ) {
      fail(
        path,
        `"projections" is neither null nor { file, count, eigenvalues }`,
      );
    }
    if (cols.length !== BASE_LEAN_COLUMNS.length + (proj.count as number)) {
      fail(path, `"leanColumns" does not have one column per projection`);
    }
  } else if (cols.length !== BASE_LEAN_COLUMNS.length) {
    fail(
      path,
      `"leanColumns" has projection columns but "projections" is null`,
    );
  }
  if (!posInt(v.workers)) fail(path, `"workers" is not a positive integer`);
  if (!posInt(v.completedSteps, true) || (v.completedSteps as number) > k) {
    fail(path, `"completedSteps" is not an integer in [0, ${k}]`);
  }
  if (typeof v.complete !== "boolean") {
    fail(path, `"complete" is not a boolean`);
  }
  if (v.complete && v.completedSteps !== k) {
    fail(path, `it is complete but completedSteps != steps`);
  }
  if (
    typeof v.backend !== "string" || typeof v.simd !== "boolean" ||
    !Array.isArray(v.kernels)
  ) {
    fail(path, `"backend", "simd" or "kernels" is missing`);
  }
  if (!isObj(v.source)) fail(path, `"source" is not an object`);
  return v as unknown as TrajectoryManifest;
}

/**
 * Reads and validates `<dir>/manifest.json` (at most 4 MB).
 *
 * @param dir The trajectory folder.
 * @returns The manifest.
 * @throws {Error} When the file is missing; {SyntaxError} for bad JSON or an unknown format/version;
 *   {TypeError} for an invalid field (see {@linkcode validateTrajectoryManifest}).
 *
 * @example A missing folder
 * ```ts
 * import assert from "node:assert/strict";
 * import { readTrajectoryManifest } from "./trajectory.ts";
 *
 * await assert.rejects(readTrajectoryManifest("/nonexistent/trajectory"), /manifest\.json is not a readable file/);
 * ```
 */
export async function readTrajectoryManifest(
  dir: string,
): Promise<TrajectoryManifest> {
  const path = join(dir, "manifest.json");
  const bytes = await readBounded(
    path,
    MAX_MANIFEST_BYTES,
    "trajectory manifest",
  );
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new SyntaxError(
      `Cannot read trajectory manifest ${path} as it is not valid UTF-8 JSON`,
      { cause },
    );
  }
  return validateTrajectoryManifest(value, path);
}

async function listMatching(
  dir: string,
  re: RegExp,
): Promise<[number, string][]> {
  const out: [number, string][] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      const m = re.exec(e.name);
      if (m && e.isFile) out.push([Number(m[1]), join(dir, e.name)]);
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/**
 * Reads every lean chunk (`lean/<first step>.npy`, float64 `[rows, columns]`) in file-name order and checks
 * that together they hold the steps 0 … completedSteps−1 exactly once (the `step` column is checked).
 *
 * @param dir The trajectory folder.
 * @returns Column name → values, and the number of rows (= the manifest's completedSteps).
 * @throws {SyntaxError} For a malformed `.npy`; {TypeError} naming the file for a wrong dtype, shape, step
 *   column, gap or overlap; {RangeError} when a file or the total is too large.
 *
 * @example A missing folder
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLeanStats } from "./trajectory.ts";
 *
 * await assert.rejects(readLeanStats("/nonexistent/trajectory"), /manifest\.json/);
 * ```
 */
export async function readLeanStats(dir: string): Promise<LeanStats> {
  const manifest = await readTrajectoryManifest(dir);
  const cols = manifest.leanColumns;
  const nc = cols.length;
  const steps = manifest.completedSteps;
  const data = await readStepChunks(
    join(dir, "lean"),
    nc,
    steps,
    "lean statistics",
  );
  if (data.length / nc < steps) {
    throw new TypeError(
      `Cannot read lean statistics as ${dir}/lean holds ${
        data.length / nc
      } steps but the manifest says ${steps}`,
    );
  }
  const columns = new Map<string, Float64Array>();
  cols.forEach((c, j) => {
    const v = new Float64Array(steps);
    for (let r = 0; r < steps; r++) v[r] = data[r * nc + j]!;
    columns.set(c, v);
  });
  return { columns, steps };
}

/**
 * Reads the consecutive float64 `[rows, columns]` chunks `<9 digits>.npy` of a folder whose first column is the
 * step (0, 1, 2, … without gaps), stopping once `limit` rows are read.
 *
 * @returns Row-major values of at most `limit` rows (fewer when the chunks end early; empty for a missing
 *   folder).
 */
async function readStepChunks(
  folder: string,
  nc: number,
  limit: number,
  what: string,
): Promise<Float64Array> {
  const chunks = await listMatching(folder, LEAN_FILE);
  const parts: Float64Array[] = [];
  let next = 0;
  for (const [first, path] of chunks) {
    if (next >= limit) break; // rows written after the manifest's last update
    if (first !== next) {
      throw new TypeError(
        `Cannot read ${what} as ${path} starts at step ${first}, expected ${next}`,
      );
    }
    const t = readNpy(await readBounded(path, MAX_LEAN_BYTES, what));
    if (t.dtype !== "F64" || t.shape.length !== 2 || t.shape[1] !== nc) {
      throw new TypeError(
        `Cannot read ${what} as ${path} is not float64 [rows, ${nc}]: ${t.dtype} [${t.shape}]`,
      );
    }
    const rows = t.shape[0]!;
    const data = t.data as Float64Array;
    for (let r = 0; r < rows; r++) {
      if (data[r * nc] !== next + r) {
        throw new TypeError(
          `Cannot read ${what} as row ${r} of ${path} has step ${
            data[r * nc]
          }, expected ${next + r}`,
        );
      }
    }
    next += rows;
    if (next > MAX_LEAN_ROWS) {
      throw new RangeError(
        `Cannot read ${what} as ${folder} has more than ${MAX_LEAN_ROWS} rows`,
      );
    }
    parts.push(data);
  }
  const rows = Math.min(next, limit);
  const out = new Float64Array(rows * nc);
  let at = 0;
  for (const p of parts) {
    const n = Math.min(p.length, out.length - at);
    out.set(p.subarray(0, n), at);
    at += n;
  }
  return out;
}

/** Batch losses of the pretraining phase, one per pretraining step. */
export interface PretrainLoss {
  /** Pretraining steps 0, 1, …, P − 1. */
  readonly step: Float64Array;
  /** Mean batch loss of each step (before its update). */
  readonly loss: Float64Array;
}

/**
 * Reads the pretraining batch losses `pretrain/<9 digits>.npy` (float64 `[rows, 2]`: step, loss) that the
 * generator writes since format v1 gained them; trajectories written before, or with
 * `--pretrained-from` a folder without them, have none.
 *
 * @param dir The trajectory folder.
 * @returns The losses of all `manifest.pretrain.steps` steps, or null when the folder holds none.
 * @throws {TypeError} Naming the file for a wrong dtype, shape, step column, gap, or fewer rows than the
 *   manifest's pretraining steps; {RangeError} when a file is too large.
 *
 * @example A trajectory without pretraining losses
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPretrainLoss } from "./trajectory.ts";
 *
 * await assert.rejects(readPretrainLoss("/nonexistent/trajectory"), /manifest\.json/);
 * ```
 */
export async function readPretrainLoss(
  dir: string,
): Promise<PretrainLoss | null> {
  const manifest = await readTrajectoryManifest(dir);
  const steps = manifest.pretrain.steps;
  const data = await readStepChunks(
    join(dir, "pretrain"),
    2,
    steps,
    "pretraining losses",
  );
  if (data.length === 0) return null;
  if (data.length / 2 < steps) {
    throw new TypeError(
      `Cannot read pretraining losses as ${dir}/pretrain holds ${
        data.length / 2
      } steps but the manifest says ${steps}`,
    );
  }
  const step = new Float64Array(steps);
  const loss = new Float64Array(steps);
  for (let r = 0; r < steps; r++) {
    step[r] = data[2 * r]!;
    loss[r] = data[2 * r + 1]!;
  }
  return { step, loss };
}

/**
 * Lists the checkpoint files `checkpoints/step_<9 digits>.safetensors` by step (other files are ignored).
 *
 * @param dir The trajectory folder.
 * @returns Steps and paths, in increasing step order (empty when there is no checkpoint folder).
 *
 * @example An empty list for a missing folder
 * ```ts
 * import assert from "node:assert/strict";
 * import { listCheckpoints } from "./trajectory.ts";
 *
 * assert.deepEqual(await listCheckpoints("/nonexistent/trajectory"), []);
 * ```
 */
export async function listCheckpoints(dir: string): Promise<CheckpointRef[]> {
  return (await listMatching(join(dir, "checkpoints"), CHECKPOINT_FILE)).map((
    [step, path],
  ) => ({ step, path }));
}

/**
 * Reads a checkpoint (or `pretrained.safetensors`) with a size bound of 1 GB: the state dict in PyTorch layout
 * plus `optimizer.<name>.momentum_buffer` tensors, and `__metadata__` (`step`, `phase`, `hyperparameters`,
 * `seed`, …).
 *
 * @param path The safetensors file.
 * @returns Tensors by name and metadata.
 * @throws {Error} When unreadable; {RangeError} when too large; {SyntaxError}/{RangeError} from the
 *   safetensors reader for malformed bytes.
 *
 * @example A missing file
 * ```ts
 * import assert from "node:assert/strict";
 * import { readCheckpointFile } from "./trajectory.ts";
 *
 * await assert.rejects(readCheckpointFile("/nonexistent.safetensors"), /not a readable file/);
 * ```
 */
export async function readCheckpointFile(path: string): Promise<Safetensors> {
  const bytes = await readBounded(path, MAX_CHECKPOINT_BYTES, "checkpoint");
  try {
    return readSafetensors(bytes);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new SyntaxError(`Cannot read checkpoint ${path} as ${msg}`, {
      cause: e,
    });
  }
}

/**
 * Writes `<dir>/manifest.json` (canonical JSON) by writing a temporary file and renaming it over the old one.
 *
 * @param dir The trajectory folder (must exist).
 * @param manifest The manifest (validated first).
 * @returns When the manifest is on disk.
 * @throws {TypeError} / {SyntaxError} When the manifest is invalid.
 *
 * @example An invalid manifest is rejected before anything is written
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeTrajectoryManifest } from "./trajectory.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await assert.rejects(writeTrajectoryManifest(dir, {} as never), /format/);
 * assert.deepEqual([...Deno.readDirSync(dir)], []);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeTrajectoryManifest(
  dir: string,
  manifest: TrajectoryManifest,
): Promise<void> {
  const path = join(dir, "manifest.json");
  validateTrajectoryManifest(manifest, path);
  await replaceFile(path, new TextEncoder().encode(canonicalJson(manifest)));
}

/**
 * Writes a file by writing a temporary file in the same folder, syncing it and renaming it over `path` (for
 * files that are rewritten: the manifest and the resume state).
 *
 * @param path Destination.
 * @param data Bytes.
 * @returns When the file is on disk.
 *
 * @example Replace a file
 * ```ts
 * import assert from "node:assert/strict";
 * import { replaceFile } from "./trajectory.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await replaceFile(`${dir}/a`, new Uint8Array([1]));
 * await replaceFile(`${dir}/a`, new Uint8Array([2]));
 * assert.deepEqual(await Deno.readFile(`${dir}/a`), new Uint8Array([2]));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function replaceFile(
  path: string,
  data: Uint8Array,
): Promise<void> {
  const tmp = join(
    dirname(path),
    `.${basename(path)}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`,
  );
  try {
    const f = await Deno.open(tmp, { write: true, createNew: true });
    try {
      let off = 0;
      while (off < data.length) off += await f.write(data.subarray(off));
      await f.sync();
    } finally {
      f.close();
    }
    await Deno.rename(tmp, path);
  } catch (e) {
    try {
      await Deno.remove(tmp);
    } catch { /* not created or already renamed */ }
    throw e;
  }
}

/**
 * Writes a write-once file: atomically when absent; when it already exists (a resumed run recomputing the same
 * steps), checks that the bytes are identical instead.
 *
 * @param path Destination.
 * @param data Bytes.
 * @returns When the file is on disk.
 * @throws {Error} When an existing file has different bytes (the run is not reproducing the earlier one).
 *
 * @example Writing the same bytes twice is fine
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeOnce } from "./trajectory.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await writeOnce(`${dir}/a`, new Uint8Array([1]));
 * await writeOnce(`${dir}/a`, new Uint8Array([1]));
 * await assert.rejects(writeOnce(`${dir}/a`, new Uint8Array([2])), /differs/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeOnce(path: string, data: Uint8Array): Promise<void> {
  let existing: Uint8Array | null = null;
  try {
    existing = await Deno.readFile(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (existing === null) {
    await writeFileAtomic(path, data);
    return;
  }
  if (
    existing.length !== data.length || existing.some((b, i) => b !== data[i])
  ) {
    throw new Error(
      `Cannot write ${path} as it exists and differs from the recomputed bytes (not a reproduction of the earlier run)`,
    );
  }
}

/**
 * Encodes lean rows as the float64 `.npy` chunk the readers expect.
 *
 * @param rows Row-major values, `rows.length / columns` rows.
 * @param columns Number of columns.
 * @returns The `.npy` bytes.
 * @throws {TypeError} When `rows.length` is not a multiple of `columns`.
 *
 * @example Two rows of two columns
 * ```ts
 * import assert from "node:assert/strict";
 * import { readNpy } from "../formats/npy.ts";
 * import { encodeLeanChunk } from "./trajectory.ts";
 *
 * assert.deepEqual(readNpy(encodeLeanChunk(new Float64Array([0, 1, 1, 2]), 2)).shape, [2, 2]);
 * ```
 */
export function encodeLeanChunk(
  rows: Float64Array,
  columns: number,
): Uint8Array {
  if (!posInt(columns) || rows.length % columns !== 0) {
    throw new TypeError(
      `Cannot encode lean rows as ${rows.length} values do not split into rows of ${columns}`,
    );
  }
  return writeNpy({
    dtype: "F64",
    shape: [rows.length / columns, columns],
    data: rows,
  });
}

/**
 * The file name of the lean chunk that starts at `firstStep` (`lean/<9 digits>.npy`).
 *
 * @param dir The trajectory folder.
 * @param firstStep First continuation step of the chunk (≥ 0).
 * @returns The path.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { leanChunkPath } from "./trajectory.ts";
 *
 * assert.equal(leanChunkPath("t", 100), "t/lean/000000100.npy");
 * ```
 */
export function leanChunkPath(dir: string, firstStep: number): string {
  return join(dir, "lean", `${String(firstStep).padStart(9, "0")}.npy`);
}

/**
 * The file name of the pretraining-loss chunk that starts at pretraining step `firstStep`
 * (`pretrain/<9 digits>.npy`, float64 `[rows, 2]`: step, loss).
 *
 * @param dir The trajectory folder.
 * @param firstStep First pretraining step of the chunk (≥ 0).
 * @returns The path.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { pretrainChunkPath } from "./trajectory.ts";
 *
 * assert.equal(pretrainChunkPath("t", 100), "t/pretrain/000000100.npy");
 * ```
 */
export function pretrainChunkPath(dir: string, firstStep: number): string {
  return join(dir, "pretrain", `${String(firstStep).padStart(9, "0")}.npy`);
}

/**
 * Copies the pretraining-loss chunks (`pretrain/<9 digits>.npy`) of one trajectory folder into another (used by
 * `--pretrained-from`: the pretraining is the same, so its losses are too). Existing identical files are
 * fine ({@linkcode writeOnce}); folders written before the losses were recorded have none to copy.
 *
 * @param from The source trajectory folder.
 * @param to The destination trajectory folder.
 * @returns The number of chunks copied.
 * @throws {Error} When a destination file exists with other bytes, or a file cannot be read or written.
 *
 * @example A source without pretraining losses copies nothing
 * ```ts
 * import assert from "node:assert/strict";
 * import { copyPretrainLoss } from "./trajectory.ts";
 *
 * assert.equal(await copyPretrainLoss("/nonexistent/a", "/nonexistent/b"), 0);
 * ```
 */
export async function copyPretrainLoss(
  from: string,
  to: string,
): Promise<number> {
  const chunks = await listMatching(join(from, "pretrain"), LEAN_FILE);
  if (chunks.length > 0) {
    await Deno.mkdir(join(to, "pretrain"), { recursive: true });
  }
  for (const [step, path] of chunks) {
    await writeOnce(pretrainChunkPath(to, step), await Deno.readFile(path));
  }
  return chunks.length;
}

/**
 * The file name of the checkpoint at continuation step k (`checkpoints/step_<9 digits>.safetensors`).
 *
 * @param dir The trajectory folder.
 * @param step Continuation step k (≥ 0).
 * @returns The path.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkpointPath } from "./trajectory.ts";
 *
 * assert.equal(checkpointPath("t", 8), "t/checkpoints/step_000000008.safetensors");
 * ```
 */
export function checkpointPath(dir: string, step: number): string {
  return join(
    dir,
    "checkpoints",
    `step_${String(step).padStart(9, "0")}.safetensors`,
  );
}

/**
 * Removes the `optimizer.*` tensors (momentum buffers) from checkpoint bytes, leaving a plain state dict that
 * `loadStateDict` (src/nn/checkpoint.ts) accepts; metadata is kept.
 *
 * @param bytes A trajectory checkpoint (safetensors).
 * @returns Safetensors bytes without the optimizer tensors.
 * @throws {SyntaxError} / {RangeError} From the safetensors reader for malformed bytes.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSafetensors, writeSafetensors } from "../formats/safetensors.ts";
 * import { stripOptimizerState } from "./trajectory.ts";
 *
 * const f32 = { dtype: "F32", shape: [1], data: new Float32Array([1]) } as const;
 * const bytes = writeSafetensors({ "fc.bias": f32, "optimizer.fc.bias.momentum_buffer": f32 }, { step: "3" });
 * const plain = readSafetensors(stripOptimizerState(bytes));
 * assert.deepEqual([...plain.tensors.keys()], ["fc.bias"]);
 * assert.equal(plain.metadata.step, "3");
 * ```
 */
export function stripOptimizerState(bytes: Uint8Array): Uint8Array {
  const { tensors, metadata } = readSafetensors(bytes);
  for (const name of [...tensors.keys()]) {
    if (name.startsWith("optimizer.")) tensors.delete(name);
  }
  return writeSafetensors(tensors, metadata);
}
