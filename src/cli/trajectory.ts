/**
 * `deno task trajectory`: trains a network with (data-parallel) momentum SGD in the paper's protocol and writes
 * a trajectory folder (format `sgd-limits-trajectory` v1, see src/io/trajectory.ts): pretraining, then a
 * constant-(η, S, β, λ) continuation from the pretrained point with the momentum buffer reset, per-step lean
 * statistics in float64, log-spaced full checkpoints, and a resume state so that a killed run continues
 * bit-identically with `--resume`.
 *
 * @module
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Batch, epochBatches, gatherBatch } from "../data/batches.ts";
import { normalizeImages } from "../data/normalize_images.ts";
import { padImages } from "../data/pad_images.ts";
import { readNpy } from "../formats/npy.ts";
import { tfConvToTorch, tfDenseToTorch } from "../formats/layout.ts";
import {
  readSafetensors,
  type SafetensorsInput,
  writeSafetensors,
} from "../formats/safetensors.ts";
import type { Tensor } from "../formats/tensor.ts";
import { tensorToFloat64 } from "../formats/to_float.ts";
import { type DatasetName, loadImageDataset } from "../io/datasets.ts";
import { sourceInfo } from "../io/environment.ts";
import {
  BASE_LEAN_COLUMNS,
  checkpointPath,
  copyPretrainLoss,
  encodeLeanChunk,
  leanChunkPath,
  type PhaseHyperparameters,
  pretrainChunkPath,
  readTrajectoryManifest,
  replaceFile,
  stripOptimizerState,
  TRAJECTORY_FORMAT,
  type TrajectoryManifest,
  type TrajectoryModel,
  writeOnce,
  writeTrajectoryManifest,
} from "../io/trajectory.ts";
import { initBackend } from "../nn/backend.ts";
import { loadStateDict, saveStateDict } from "../nn/checkpoint.ts";
import { flattenParams, unflattenParams } from "../nn/flatten_params.ts";
import type { Network } from "../nn/models/network.ts";
import { DataParallelSgd } from "../nn/parallel/data_parallel_sgd.ts";
import { createModel, type ModelSpec } from "../nn/parallel/model_spec.ts";
import { canonicalJson } from "../results/canonical_json.ts";
import { deriveSeed } from "../random/derive_seed.ts";
import { Rng } from "../random/rng.ts";
import { parsePositiveInt, parseSeed } from "./args.ts";
import { CliError, EXIT, exitWithError, log, out } from "./error.ts";

/** Usage text of `deno task trajectory`. */
export const TRAJECTORY_HELP =
  `Usage: deno task trajectory --name <n> --model resnet18|mlp|small_cnn --steps K --eta η [options]

Trains with momentum SGD (PyTorch semantics, coupled weight decay) on n data-parallel Workers (tfjs wasm SIMD),
pretraining for P steps, then continuing K steps at constant (η, S, β, λ) from the pretrained point with the
momentum buffer reset (the paper's protocol). Writes <out-dir>/<name>/ (trajectory format v1).

Model:
  --model <kind>            resnet18 (small 3×3 stem, 1 input channel, 28×28 images padded to 32×32),
                            mlp (28×28×1 input), small_cnn (2 convs with BatchNorm, 28×28×1)
  --width <n>               resnet18 width (default 16), small_cnn width (default 8)
  --hidden <a,b,…>          mlp hidden widths (default 128; "" = logistic regression)
Data:
  --dataset <d>             mnist | fashion-mnist (default fashion-mnist); training split
  --limit <N>               first N training images (default 10000)
  --normalization <n>       standard | unit (default standard)
Pretraining (phase 1):
  --pretrain-steps <P>      default 0
  --pretrain-eta <η>        default: --eta
  --pretrain-beta <β>, --pretrain-batch-size <S>, --pretrain-weight-decay <λ>   default: the continuation's
Continuation (phase 2):
  --steps <K>               number of continuation steps (required)
  --eta <η>                 learning rate (required)
  --beta <β>                momentum (default 0.9)
  --batch-size <S>          global batch size, a multiple of --workers (default 64)
  --weight-decay <λ>        default 1e-4
Run:
  --seed <u64>              default 1 (initialisation and data order derive from it)
  --checkpoints <c>         number of log-spaced full checkpoints incl. steps 0 and K (default 12)
  --workers <n>             data-parallel Workers; BatchNorm statistics are per worker shard (default 2)
  --chunk-steps <n>         lean rows per .npy chunk = resume granularity (default 100)
  --directions <file.npy>   project θ_k − θ_0 on these rows ([k, P], float32/64) every step
  --eigenvalues <a,b,…>     eigenvalues of the directions (required with --directions)
  --pretrained-from <dir>   take the pretrained point from another trajectory folder with the same model, data,
                            pretraining, seed and workers (its pretrained.safetensors is what this run would
                            compute; saves re-running phase 1 in a sweep)
  --out-dir <dir>           default results/trajectories
  --resume                  continue an interrupted run (same flags) bit-identically
  --verbose                 print error causes
  -h, --help
`;

/** Parsed flags of `deno task trajectory`. */
export interface TrajectoryArgs {
  readonly name: string;
  readonly model: ModelSpec;
  readonly dataset: DatasetName;
  readonly limit: number;
  readonly normalization: "standard" | "unit";
  readonly pretrain: PhaseHyperparameters & { readonly steps: number };
  readonly hyperparameters: PhaseHyperparameters;
  readonly steps: number;
  readonly seed: bigint;
  readonly checkpoints: number;
  readonly workers: number;
  readonly chunkSteps: number;
  readonly directions: string | null;
  readonly eigenvalues: readonly number[];
  readonly outDir: string;
  readonly pretrainedFrom: string | null;
  readonly resume: boolean;
  readonly verbose: boolean;
  readonly help: boolean;
}

function parseNumber(
  flag: string,
  text: string,
  min: number,
  max: number,
  open = false,
): number {
  const v = Number(text);
  if (
    text.trim() === "" || !Number.isFinite(v) || v < min || v > max ||
    (open && (v === min || v === max))
  ) {
    throw new CliError(
      `invalid ${flag} "${text}": expected a number in ${
        open ? "(" : "["
      }${min}, ${max}${open ? ")" : "]"}`,
    );
  }
  return v;
}

function parseIntList(flag: string, text: string): number[] {
  if (text.trim() === "") return [];
  return text.split(",").map((s) => parsePositiveInt(flag, s.trim(), 1 << 20));
}

/**
 * Parses the flags of `deno task trajectory`.
 *
 * @param argv Arguments after the command.
 * @returns Typed flags (with defaults filled in).
 * @throws {CliError} (exit code 2) For unknown flags, missing required flags or malformed values.
 *
 * @example Defaults
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTrajectoryArgs } from "./trajectory.ts";
 *
 * const a = parseTrajectoryArgs(["--name", "t", "--model", "mlp", "--steps", "10", "--eta", "0.1"]);
 * assert.equal(a.hyperparameters.batchSize, 64);
 * assert.equal(a.pretrain.eta, 0.1);
 * assert.throws(() => parseTrajectoryArgs(["--name", "t"]), /--model/);
 * ```
 */
export function parseTrajectoryArgs(argv: readonly string[]): TrajectoryArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: "boolean", short: "h" },
        verbose: { type: "boolean" },
        resume: { type: "boolean" },
        name: { type: "string" },
        model: { type: "string" },
        width: { type: "string" },
        hidden: { type: "string" },
        dataset: { type: "string" },
        limit: { type: "string" },
        normalization: { type: "string" },
        "pretrain-steps": { type: "string" },
        "pretrain-eta": { type: "string" },
        "pretrain-beta": { type: "string" },
        "pretrain-batch-size": { type: "string" },
        "pretrain-weight-decay": { type: "string" },
        steps: { type: "string" },
        eta: { type: "string" },
        beta: { type: "string" },
        "batch-size": { type: "string" },
        "weight-decay": { type: "string" },
        seed: { type: "string" },
        checkpoints: { type: "string" },
        workers: { type: "string" },
        "chunk-steps": { type: "string" },
        directions: { type: "string" },
        eigenvalues: { type: "string" },
        "out-dir": { type: "string" },
        "pretrained-from": { type: "string" },
      },
    }));
  } catch (e) {
    throw new CliError(`${(e as Error).message.split("\n")[0]} (see --help)`);
  }
  const help = values.help ?? false;
  const need = (flag: string, v: string | undefined): string => {
    if (v === undefined) throw new CliError(`missing --${flag} (see --help)`);
    return v;
  };
  if (help) {
    values.name ??= "help";
    values.model ??= "mlp";
    values.steps ??= "1";
    values.eta ??= "1";
  }
  const name = need("name", values.name);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) {
    throw new CliError(
      `invalid --name "${name}": expected letters, digits, ".", "_" or "-" (at most 100, not starting with a dot)`,
    );
  }
  const kind = need("model", values.model);
  const dataset = (values.dataset ?? "fashion-mnist") as DatasetName;
  if (dataset !== "mnist" && dataset !== "fashion-mnist") {
    throw new CliError(
      `invalid --dataset "${dataset}": expected mnist or fashion-mnist`,
    );
  }
  let model: ModelSpec;
  if (kind === "resnet18") {
    model = {
      kind,
      width: parsePositiveInt("--width", values.width ?? "16", 512),
      stem: "small",
      inChannels: 1,
      numClasses: 10,
      imageSize: 32,
    };
  } else if (kind === "mlp") {
    model = {
      kind,
      inputShape: [28, 28, 1],
      hidden: parseIntList("--hidden", values.hidden ?? "128"),
      numClasses: 10,
    };
  } else if (kind === "small_cnn") {
    model = {
      kind,
      inputShape: [28, 28, 1],
      width: parsePositiveInt("--width", values.width ?? "8", 512),
      numClasses: 10,
      batchNorm: true,
    };
  } else {
    throw new CliError(
      `invalid --model "${kind}": expected resnet18, mlp or small_cnn`,
    );
  }
  if (kind !== "mlp" && values.hidden !== undefined) {
    throw new CliError(`--hidden applies to --model mlp only`);
  }
  if (kind === "mlp" && values.width !== undefined) {
    throw new CliError(`--width applies to --model resnet18 or small_cnn only`);
  }
  const limit = parsePositiveInt("--limit", values.limit ?? "10000", 60000);
  const normalization = values.normalization ?? "standard";
  if (normalization !== "standard" && normalization !== "unit") {
    throw new CliError(
      `invalid --normalization "${normalization}": expected standard or unit`,
    );
  }
  const eta = parseNumber("--eta", need("eta", values.eta), 0, 1e3, true);
  const beta = parseNumber("--beta", values.beta ?? "0.9", 0, 1);
  if (beta >= 1) {
    throw new CliError(
      `invalid --beta "${values.beta}": expected a number in [0, 1)`,
    );
  }
  const batchSize = parsePositiveInt(
    "--batch-size",
    values["batch-size"] ?? "64",
    65536,
  );
  const weightDecay = parseNumber(
    "--weight-decay",
    values["weight-decay"] ?? "1e-4",
    0,
    1e3,
  );
  const steps = parsePositiveInt("--steps", need("steps", values.steps), 1e9);
  const pSteps =
    values["pretrain-steps"] === undefined || values["pretrain-steps"] === "0"
      ? 0
      : parsePositiveInt("--pretrain-steps", values["pretrain-steps"], 1e9);
  const pBeta = parseNumber(
    "--pretrain-beta",
    values["pretrain-beta"] ?? String(beta),
    0,
    1,
  );
  if (pBeta >= 1) {
    throw new CliError(`invalid --pretrain-beta: expected a number in [0, 1)`);
  }
  const pretrain = {
    steps: pSteps,
    eta: parseNumber(
      "--pretrain-eta",
      values["pretrain-eta"] ?? String(eta),
      0,
      1e3,
      true,
    ),
    beta: pBeta,
    batchSize: parsePositiveInt(
      "--pretrain-batch-size",
      values["pretrain-batch-size"] ?? String(batchSize),
      65536,
    ),
    weightDecay: parseNumber(
      "--pretrain-weight-decay",
      values["pretrain-weight-decay"] ?? String(weightDecay),
      0,
      1e3,
    ),
  };
  const workers = parsePositiveInt("--workers", values.workers ?? "2", 16);
  for (
    const [flag, s] of [["--batch-size", batchSize], [
      "--pretrain-batch-size",
      pretrain.batchSize,
    ]] as const
  ) {
    if (s % workers !== 0) {
      throw new CliError(
        `invalid ${flag} ${s}: must be a multiple of --workers ${workers}`,
      );
    }
    if (s > limit) {
      throw new CliError(`invalid ${flag} ${s}: larger than --limit ${limit}`);
    }
  }
  const directions = values.directions ?? null;
  const eigenvalues = values.eigenvalues === undefined
    ? []
    : values.eigenvalues.split(",").map((s) =>
      parseNumber("--eigenvalues", s, -1e300, 1e300)
    );
  if ((directions === null) !== (values.eigenvalues === undefined)) {
    throw new CliError(`--directions and --eigenvalues must be given together`);
  }
  return {
    name,
    model,
    dataset,
    limit,
    normalization,
    pretrain,
    hyperparameters: { eta, beta, batchSize, weightDecay },
    steps,
    seed: parseSeed(values.seed ?? "1"),
    checkpoints: parsePositiveInt(
      "--checkpoints",
      values.checkpoints ?? "12",
      100000,
    ),
    workers,
    chunkSteps: parsePositiveInt(
      "--chunk-steps",
      values["chunk-steps"] ?? "100",
      1e6,
    ),
    directions,
    eigenvalues,
    outDir: values["out-dir"] ?? "results/trajectories",
    pretrainedFrom: values["pretrained-from"] ?? null,
    resume: values.resume ?? false,
    verbose: values.verbose ?? false,
    help,
  };
}

/**
 * Log-spaced checkpoint steps in [0, K]: 0, K, and round(K^(i/(m−1))) for i = 0 … m−1 with the smallest m
 * that gives `count` distinct steps (or all steps 0 … K when count > K).
 *
 * @param steps K (≥ 1).
 * @param count Number of checkpoints wanted (≥ 1; 1 gives [K]).
 * @returns Increasing distinct steps.
 *
 * @example Ten steps
 * ```ts
 * import assert from "node:assert/strict";
 * import { logSpacedSteps } from "./trajectory.ts";
 *
 * assert.deepEqual(logSpacedSteps(10, 4), [0, 1, 3, 10]);
 * assert.deepEqual(logSpacedSteps(3, 10), [0, 1, 2, 3]);
 * ```
 */
export function logSpacedSteps(steps: number, count: number): number[] {
  if (count <= 1) return [steps];
  if (count > steps) return Array.from({ length: steps + 1 }, (_, i) => i);
  for (let m = count - 1;; m++) {
    const s = new Set<number>([0, steps]);
    for (let i = 0; i < m; i++) {
      s.add(Math.round(steps ** (m === 1 ? 1 : i / (m - 1))));
    }
    if (s.size >= count) return [...s].sort((a, b) => a - b);
  }
}

interface Prepared {
  readonly source: {
    inputs: Float32Array;
    labels: Uint8Array;
    exampleSize: number;
    numClasses: number;
  };
  readonly pad: number;
}

async function prepareData(args: TrajectoryArgs): Promise<Prepared> {
  let ds = await loadImageDataset(args.dataset, {
    split: "train",
    limit: args.limit,
  });
  const pad = args.model.kind === "resnet18"
    ? (args.model.imageSize - 28) / 2
    : 0;
  if (pad > 0) ds = padImages(ds, pad);
  const inputs = normalizeImages(ds, args.normalization);
  return {
    source: {
      inputs,
      labels: ds.labels,
      exampleSize: ds.height * ds.width * ds.channels,
      numClasses: ds.numClasses,
    },
    pad,
  };
}

type Phase = "pretrain" | "continuation";

/** Seeded epoch shuffling: step j of a phase is batch j mod N_b of that phase's epoch ⌊j/N_b⌋. */
class DataOrder {
  #cache = new Map<string, Uint32Array[]>();
  constructor(readonly seed: bigint, readonly n: number) {}
  indices(phase: Phase, j: number, batchSize: number): Uint32Array {
    const perEpoch = Math.floor(this.n / batchSize);
    const epoch = Math.floor(j / perEpoch);
    const key = `${phase}/${epoch}`;
    let batches = this.#cache.get(key);
    if (batches === undefined) {
      this.#cache.clear();
      batches = epochBatches(
        this.n,
        Rng.fromSeed(
          deriveSeed(this.seed, ["trajectory", "data", phase, String(epoch)]),
        ),
        { batchSize, dropLast: true, shuffle: true },
      );
      this.#cache.set(key, batches);
    }
    return batches[j % perEpoch]!;
  }
}

interface ResumeState {
  readonly phase: Phase;
  readonly step: number;
  readonly params: Float32Array;
  readonly momentum: Float32Array;
  readonly buffers: Float32Array;
  readonly theta0: Float32Array | null;
}

const RESUME_FORMAT = "sgd-limits-trajectory-resume";

function encodeResume(s: ResumeState): Uint8Array {
  const tensors: Record<string, SafetensorsInput> = {
    params: { dtype: "F32", shape: [s.params.length], data: s.params },
    momentum: { dtype: "F32", shape: [s.momentum.length], data: s.momentum },
    buffers: { dtype: "F32", shape: [s.buffers.length], data: s.buffers },
  };
  if (s.theta0) {
    tensors.theta0 = { dtype: "F32", shape: [s.theta0.length], data: s.theta0 };
  }
  return writeSafetensors(tensors, {
    format: RESUME_FORMAT,
    version: "1",
    phase: s.phase,
    step: String(s.step),
  });
}

function decodeResume(
  bytes: Uint8Array,
  p: number,
  q: number,
  path: string,
): ResumeState {
  const { tensors, metadata } = readSafetensors(bytes);
  const bad = (why: string): never => {
    throw new CliError(`Cannot resume as ${path} ${why}`, EXIT.usage);
  };
  if (metadata.format !== RESUME_FORMAT || metadata.version !== "1") {
    bad("is not a v1 resume state");
  }
  const phase = metadata.phase;
  if (phase !== "pretrain" && phase !== "continuation") {
    bad(`has phase ${phase}`);
  }
  const step = Number(metadata.step);
  if (!Number.isSafeInteger(step) || step < 0) bad(`has step ${metadata.step}`);
  const vec = (name: string, len: number): Float32Array => {
    const t = tensors.get(name);
    if (t === undefined || t.dtype !== "F32" || t.data.length !== len) {
      return bad(`has no F32 "${name}" of length ${len}`);
    }
    return t.data as Float32Array;
  };
  return {
    phase: phase as Phase,
    step,
    params: vec("params", p),
    momentum: vec("momentum", p),
    buffers: vec("buffers", q),
    theta0: phase === "continuation" ? vec("theta0", p) : null,
  };
}

function setNetState(
  net: Network,
  params: Float32Array,
  buffers: Float32Array,
  counter: number,
): void {
  unflattenParams(params, net.params);
  if (buffers.length > 0) unflattenParams(buffers, net.buffers);
  for (const k of net.counters.keys()) net.counters.set(k, counter);
}

function toTorch(layout: string, t: Tensor): Tensor {
  return layout === "conv"
    ? tfConvToTorch(t)
    : layout === "dense"
    ? tfDenseToTorch(t)
    : t;
}

/** A state dict plus `optimizer.<name>.momentum_buffer` tensors (PyTorch layout), as one safetensors file. */
function checkpointBytes(
  net: Network,
  momentum: Float32Array,
  step: number,
  phase: string,
  hyper: PhaseHyperparameters,
  seed: bigint,
): Uint8Array {
  const base = readSafetensors(saveStateDict(net, {
    step,
    hyperparameters: { ...hyper },
    metadata: { phase, seed: seed.toString() },
  }));
  const all = new Map<string, SafetensorsInput>(base.tensors);
  let off = 0;
  for (const e of net.entries) {
    if (e.role !== "param") continue;
    const size = e.shape.reduce((a, b) => a * b, 1);
    const t: Tensor = {
      dtype: "F32",
      shape: [...e.shape],
      data: momentum.slice(off, off + size),
    };
    all.set(`optimizer.${e.name}.momentum_buffer`, toTorch(e.layout, t));
    off += size;
  }
  return writeSafetensors(all, base.metadata);
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "?";
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0
    ? `${h}h${String(m).padStart(2, "0")}m`
    : `${m}m${String(s % 60).padStart(2, "0")}s`;
}

const IDENTITY_KEYS = [
  "name",
  "model",
  "data",
  "pretrain",
  "hyperparameters",
  "seed",
  "steps",
  "checkpointSteps",
  "parameterCount",
  "flattenOrder",
  "leanColumns",
  "projections",
  "workers",
  "backend",
  "simd",
  "kernels",
] as const;

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/**
 * Runs `deno task trajectory` with the given arguments.
 *
 * @param argv Arguments after the command.
 * @returns The exit code (0 when the trajectory is complete).
 * @throws {CliError} For bad flags (exit 2), an existing complete trajectory, or a resume that does not match.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseTrajectoryArgs(argv);
  if (args.help) {
    out(TRAJECTORY_HELP);
    return EXIT.ok;
  }
  const dir = join(args.outDir, args.name);
  const manifestPath = join(dir, "manifest.json");
  let previous: TrajectoryManifest | null = null;
  if (await exists(manifestPath)) {
    try {
      previous = await readTrajectoryManifest(dir);
    } catch (e) {
      throw new CliError(`Cannot continue ${dir} as ${(e as Error).message}`);
    }
    if (previous.complete) {
      throw new CliError(
        `Cannot write trajectory ${dir} as a complete trajectory exists there (refusing to overwrite it)`,
      );
    }
    if (!args.resume) {
      throw new CliError(
        `Cannot write trajectory ${dir} as an incomplete trajectory exists there: pass --resume to continue it`,
      );
    }
  } else if ((await exists(dir)) && !args.resume) {
    throw new CliError(
      `Cannot write trajectory ${dir} as the folder exists (pass --resume to reuse it)`,
    );
  }

  const data = await prepareData(args);
  await initBackend("wasm");
  const net = createModel(
    args.model,
    Rng.fromSeed(deriveSeed(args.seed, ["trajectory", "init"])),
  );
  const p = net.parameterCount;
  let directions: Float64Array[] = [];
  let directionBytes: Uint8Array | null = null;
  if (args.directions !== null) {
    const st = await Deno.stat(args.directions).catch(() => null);
    if (st === null || st.size > 2 ** 31) {
      throw new CliError(
        `Cannot read --directions ${args.directions} (missing or larger than 2 GB)`,
      );
    }
    directionBytes = await Deno.readFile(args.directions);
    let t: Tensor;
    try {
      t = readNpy(directionBytes);
    } catch (e) {
      throw new CliError(
        `Cannot read --directions ${args.directions} as ${
          (e as Error).message
        }`,
      );
    }
    if (
      t.shape.length !== 2 || t.shape[1] !== p ||
      (t.dtype !== "F32" && t.dtype !== "F64")
    ) {
      throw new CliError(
        `Cannot use --directions ${args.directions} as it must be float32/64 [k, ${p}]: ${t.dtype} [${t.shape}]`,
      );
    }
    const all = tensorToFloat64(t);
    const k = t.shape[0]!;
    if (args.eigenvalues.length !== k) {
      throw new CliError(
        `--eigenvalues has ${args.eigenvalues.length} values but --directions has ${k} rows`,
      );
    }
    directions = Array.from(
      { length: k },
      (_, i) => all.slice(i * p, (i + 1) * p),
    );
  }
  const leanColumns = [
    ...BASE_LEAN_COLUMNS,
    ...directions.map((_, i) => `proj${i}`),
  ];
  const nc = leanColumns.length;
  const checkpointSteps = logSpacedSteps(args.steps, args.checkpoints);
  const contHyper = args.hyperparameters;
  const preHyper: PhaseHyperparameters = {
    eta: args.pretrain.eta,
    beta: args.pretrain.beta,
    batchSize: args.pretrain.batchSize,
    weightDecay: args.pretrain.weightDecay,
  };

  let resume: ResumeState | null = null;
  const resumePath = join(dir, "state", "resume.safetensors");
  if (await exists(resumePath)) {
    resume = decodeResume(
      await Deno.readFile(resumePath),
      p,
      flattenParams(net.buffers).length,
      resumePath,
    );
  }
  const trainer = await DataParallelSgd.create(args.model, {
    params: resume?.params ?? flattenParams(net.params),
    buffers: resume?.buffers ?? flattenParams(net.buffers),
    momentum: resume?.momentum ?? new Float32Array(p),
  }, {
    workers: args.workers,
    ...(resume?.phase === "continuation" || args.pretrain.steps === 0
      ? contHyper
      : preHyper),
  });
  try {
    const manifest: TrajectoryManifest = {
      format: TRAJECTORY_FORMAT,
      version: 1,
      name: args.name,
      model: args.model as TrajectoryModel,
      data: {
        dataset: args.dataset,
        split: "train",
        limit: args.limit,
        normalization: args.normalization,
        pad: data.pad,
      },
      pretrain: { steps: args.pretrain.steps, ...preHyper },
      hyperparameters: contHyper,
      seed: args.seed.toString(),
      steps: args.steps,
      checkpointSteps,
      parameterCount: p,
      flattenOrder:
        "torch named_parameters order, tfjs layout (src/nn/flatten_params.ts)",
      leanColumns,
      projections: directions.length === 0 ? null : {
        file: "directions.npy",
        count: directions.length,
        eigenvalues: args.eigenvalues,
      },
      backend: trainer.backendInfo.backend,
      simd: trainer.backendInfo.simd,
      kernels: trainer.backendInfo.kernels,
      workers: args.workers,
      source: await sourceInfo("."),
      completedSteps: 0,
      complete: false,
    };
    if (previous !== null) {
      for (const key of IDENTITY_KEYS) {
        if (canonicalJson(previous[key]) !== canonicalJson(manifest[key])) {
          throw new CliError(
            `Cannot resume ${dir} as "${key}" differs from the interrupted run: ${
              canonicalJson(previous[key], 0)
            } vs ${canonicalJson(manifest[key], 0)}`,
          );
        }
      }
    }
    for (const sub of ["lean", "checkpoints", "state"]) {
      await Deno.mkdir(join(dir, sub), { recursive: true });
    }
    let completed = resume?.phase === "continuation" ? resume.step : 0;
    const saveManifest = (complete: boolean) =>
      writeTrajectoryManifest(dir, {
        ...manifest,
        completedSteps: completed,
        complete,
      });
    await saveManifest(false);
    if (directionBytes !== null) {
      await writeOnce(join(dir, "directions.npy"), directionBytes);
    }

    const order = new DataOrder(args.seed, args.limit);
    const batchOf = (phase: Phase, j: number, s: number): Batch =>
      gatherBatch(data.source, order.indices(phase, j, s));
    const pSteps = args.pretrain.steps;
    const saveResume = async (
      phase: Phase,
      step: number,
      theta0: Float32Array | null,
    ) => {
      await replaceFile(
        resumePath,
        encodeResume({
          phase,
          step,
          params: trainer.params.slice(),
          momentum: trainer.momentum.slice(),
          buffers: trainer.buffers.slice(),
          theta0,
        }),
      );
    };
    let t0 = performance.now();
    let lastLog = -Infinity;
    const progress = (
      phase: Phase,
      i: number,
      total: number,
      done: number,
      loss: number,
    ) => {
      const now = performance.now();
      if (now - lastLog < 2000 && i !== total) return;
      lastLog = now;
      const eta = done > 0 ? (now - t0) / done * (total - i) : NaN;
      log(
        `${phase} step ${i}/${total} loss ${loss.toPrecision(5)} ETA ${
          formatDuration(eta)
        }`,
      );
    };

    // Phase 1: pretraining (or its result taken from another trajectory of the same protocol).
    if (resume === null && args.pretrainedFrom !== null) {
      const other = await readTrajectoryManifest(args.pretrainedFrom).catch(
        (e) => {
          throw new CliError(
            `Cannot use --pretrained-from as ${(e as Error).message}`,
          );
        },
      );
      for (
        const key of [
          "model",
          "data",
          "pretrain",
          "seed",
          "workers",
          "backend",
          "simd",
          "kernels",
        ] as const
      ) {
        if (canonicalJson(other[key]) !== canonicalJson(manifest[key])) {
          throw new CliError(
            `Cannot use --pretrained-from ${args.pretrainedFrom} as its "${key}" differs from this run's`,
          );
        }
      }
      const bytes = await Deno.readFile(
        join(args.pretrainedFrom, "pretrained.safetensors"),
      );
      // Its pretraining losses are this run's too (same protocol, same bits).
      await copyPretrainLoss(args.pretrainedFrom, dir);
      loadStateDict(net, stripOptimizerState(bytes));
      trainer.params.set(flattenParams(net.params));
      trainer.buffers.set(flattenParams(net.buffers));
      trainer.resetMomentum();
      trainer.setHyperparameters(
        contHyper.eta,
        contHyper.beta,
        contHyper.weightDecay,
      );
    } else if (resume === null || resume.phase === "pretrain") {
      const start = resume?.step ?? 0;
      let lossRows: number[] = [];
      let lossStart = start;
      await Deno.mkdir(join(dir, "pretrain"), { recursive: true });
      for (let j = start; j < pSteps; j++) {
        const b = batchOf("pretrain", j, preHyper.batchSize);
        const loss = await trainer.step(b.x, b.y, b.size);
        if (!Number.isFinite(loss)) {
          throw new Error(
            `Cannot pretrain as the loss is ${loss} at step ${j}`,
          );
        }
        lossRows.push(j, loss);
        progress("pretrain", j + 1, pSteps, j + 1 - start, loss);
        if ((j + 1) % args.chunkSteps === 0 || j + 1 === pSteps) {
          await writeOnce(
            pretrainChunkPath(dir, lossStart),
            encodeLeanChunk(Float64Array.from(lossRows), 2),
          );
          lossRows = [];
          lossStart = j + 1;
          if (j + 1 < pSteps) await saveResume("pretrain", j + 1, null);
        }
      }
      trainer.resetMomentum();
      trainer.setHyperparameters(
        contHyper.eta,
        contHyper.beta,
        contHyper.weightDecay,
      );
      resume = null;
    }
    const theta0 = resume?.theta0 ?? trainer.params.slice();
    setNetState(net, theta0, trainer.buffers.slice(), pSteps);
    if (resume === null) {
      await writeOnce(
        join(dir, "pretrained.safetensors"),
        checkpointBytes(
          net,
          new Float32Array(p),
          0,
          "pretrained",
          preHyper,
          args.seed,
        ),
      );
      await saveResume("continuation", 0, theta0);
    }

    // Phase 2: the constant-η continuation.
    const k0 = completed;
    t0 = performance.now();
    const cpSet = new Set(checkpointSteps);
    const writeCheckpoint = async (k: number) => {
      setNetState(net, trainer.params, trainer.buffers, pSteps + k);
      await writeOnce(
        checkpointPath(dir, k),
        checkpointBytes(
          net,
          trainer.momentum,
          k,
          "continuation",
          contHyper,
          args.seed,
        ),
      );
    };
    let rows: number[] = [];
    let chunkStart = k0;
    const theta = trainer.params;
    const prev = new Float32Array(p);
    for (let k = k0; k < args.steps; k++) {
      if (cpSet.has(k)) await writeCheckpoint(k);
      let dispSq = 0;
      let normSq = 0;
      let bufSq = 0;
      const bk = trainer.momentum;
      for (let i = 0; i < p; i++) {
        const t = theta[i]!;
        const d = t - theta0[i]!;
        dispSq += d * d;
        normSq += t * t;
        bufSq += bk[i]! * bk[i]!;
      }
      const proj = directions.map((v) => {
        let s = 0;
        for (let i = 0; i < p; i++) s += v[i]! * (theta[i]! - theta0[i]!);
        return s;
      });
      prev.set(theta);
      const b = batchOf("continuation", k, contHyper.batchSize);
      const loss = await trainer.step(b.x, b.y, b.size);
      if (!Number.isFinite(loss)) {
        throw new Error(
          `Cannot continue the trajectory as the loss is ${loss} at step ${k}`,
        );
      }
      let stepSq = 0;
      for (let i = 0; i < p; i++) {
        const d = theta[i]! - prev[i]!;
        stepSq += d * d;
      }
      rows.push(k, dispSq, stepSq, normSq, bufSq, loss, ...proj);
      progress("continuation", k + 1, args.steps, k + 1 - k0, loss);
      if ((k + 1) % args.chunkSteps === 0 || k + 1 === args.steps) {
        await writeOnce(
          leanChunkPath(dir, chunkStart),
          encodeLeanChunk(Float64Array.from(rows), nc),
        );
        await saveResume("continuation", k + 1, theta0);
        completed = k + 1;
        await saveManifest(false);
        rows = [];
        chunkStart = k + 1;
      }
    }
    if (cpSet.has(args.steps)) await writeCheckpoint(args.steps);
    await saveManifest(true);
    // A complete trajectory needs no resume state (it is 3–4× the parameter vector).
    await Deno.remove(join(dir, "state"), { recursive: true });
    out(`${dir}: ${args.steps} steps, ${checkpointSteps.length} checkpoints`);
    return EXIT.ok;
  } finally {
    trainer.terminate();
    net.dispose();
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (e) {
    exitWithError(e, Deno.args.includes("--verbose"));
  }
}
