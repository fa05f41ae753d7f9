import assert from "node:assert/strict";
import { join } from "node:path";
import { writeNpy } from "../../src/formats/npy.ts";
import { writeSafetensors } from "../../src/formats/safetensors.ts";
import {
  checkpointPath,
  encodeLeanChunk,
  leanChunkPath,
  listCheckpoints,
  readCheckpointFile,
  readLeanStats,
  readTrajectoryManifest,
  type TrajectoryManifest,
  writeTrajectoryManifest,
} from "../../src/io/trajectory.ts";

function manifest(over: Partial<TrajectoryManifest> = {}): TrajectoryManifest {
  return {
    format: "sgd-limits-trajectory",
    version: 1,
    name: "toy",
    model: {
      kind: "mlp",
      inputShape: [28, 28, 1],
      hidden: [4],
      numClasses: 10,
    },
    data: {
      dataset: "mnist",
      split: "train",
      limit: 100,
      normalization: "standard",
      pad: 0,
    },
    pretrain: { steps: 0, eta: 0.1, beta: 0.9, batchSize: 10, weightDecay: 0 },
    hyperparameters: { eta: 0.1, beta: 0.9, batchSize: 10, weightDecay: 0 },
    seed: "1",
    steps: 6,
    checkpointSteps: [0, 1, 6],
    parameterCount: 3190,
    flattenOrder:
      "torch named_parameters order, tfjs layout (src/nn/flatten_params.ts)",
    leanColumns: ["step", "dispSq", "stepSq", "normSq", "bufferNormSq", "loss"],
    projections: null,
    backend: "wasm",
    simd: true,
    kernels: [],
    workers: 1,
    source: { commit: null, dirty: null, lockSha256: null },
    completedSteps: 6,
    complete: true,
    ...over,
  };
}

/** Rows for steps [first, first + n): column j of step k holds 10·k + j. */
function rows(first: number, n: number): Float64Array {
  const r = new Float64Array(n * 6);
  for (let i = 0; i < n; i++) {
    r[i * 6] = first + i;
    for (let j = 1; j < 6; j++) r[i * 6 + j] = 10 * (first + i) + j;
  }
  return r;
}

async function folder(
  m: TrajectoryManifest,
  chunks: [number, Uint8Array][],
): Promise<string> {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(join(dir, "lean"));
  await writeTrajectoryManifest(dir, m);
  for (const [first, bytes] of chunks) {
    await Deno.writeFile(leanChunkPath(dir, first), bytes);
  }
  return dir;
}

Deno.test("readLeanStats() concatenates the chunks in step order into float64 columns", async () => {
  const dir = await folder(manifest(), [[0, encodeLeanChunk(rows(0, 4), 6)], [
    4,
    encodeLeanChunk(rows(4, 2), 6),
  ]]);
  try {
    await Deno.writeFile(
      join(dir, "lean", ".000000006.npy.tmp-1-abc"),
      new Uint8Array([1]),
    ); // ignored
    const lean = await readLeanStats(dir);
    assert.equal(lean.steps, 6);
    assert.deepEqual(Array.from(lean.columns.get("step")!), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(Array.from(lean.columns.get("loss")!), [
      5,
      15,
      25,
      35,
      45,
      55,
    ]);
    assert.deepEqual(Array.from(lean.columns.get("dispSq")!), [
      1,
      11,
      21,
      31,
      41,
      51,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readLeanStats() stops at the manifest's completedSteps (a chunk written before the manifest update)", async () => {
  const m = manifest({ completedSteps: 4, complete: false });
  const dir = await folder(m, [[0, encodeLeanChunk(rows(0, 4), 6)], [
    4,
    encodeLeanChunk(rows(4, 2), 6),
  ]]);
  try {
    const lean = await readLeanStats(dir);
    assert.equal(lean.steps, 4);
    assert.deepEqual(Array.from(lean.columns.get("step")!), [0, 1, 2, 3]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readLeanStats() rejects a gap, a wrong step column, a wrong dtype and missing rows, naming the file", async () => {
  const cases: [string, [number, Uint8Array][], RegExp][] = [
    ["gap", [[0, encodeLeanChunk(rows(0, 3), 6)], [
      4,
      encodeLeanChunk(rows(4, 2), 6),
    ]], /000000004\.npy starts at step 4, expected 3/],
    [
      "step column",
      [[0, encodeLeanChunk(rows(1, 6), 6)]],
      /row 0 of .*000000000\.npy has step 1, expected 0/,
    ],
    [
      "dtype",
      [[
        0,
        writeNpy({
          dtype: "F32",
          shape: [6, 6],
          data: new Float32Array(rows(0, 6)),
        }),
      ]],
      /000000000\.npy is not float64 \[rows, 6\]/,
    ],
    [
      "missing",
      [[0, encodeLeanChunk(rows(0, 5), 6)]],
      /holds 5 steps but the manifest says 6/,
    ],
  ];
  for (const [what, chunks, re] of cases) {
    const dir = await folder(manifest(), chunks);
    try {
      await assert.rejects(readLeanStats(dir), re, what);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("readTrajectoryManifest() rejects an unknown format or version and invalid fields, naming the file", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "manifest.json");
  try {
    const bad: [unknown, RegExp][] = [
      [
        { ...manifest(), version: 2 },
        /manifest\.json as only version 1 is supported: version 2/,
      ],
      [
        { ...manifest(), format: "other" },
        /manifest\.json as its format is not "sgd-limits-trajectory"/,
      ],
      [
        { ...manifest(), completedSteps: 7 },
        /"completedSteps" is not an integer in \[0, 6\]/,
      ],
      [{ ...manifest(), checkpointSteps: [0, 3, 2] }, /"checkpointSteps"/],
      [{ ...manifest(), leanColumns: ["step", "loss"] }, /"leanColumns"/],
      [
        { ...manifest(), complete: true, completedSteps: 5 },
        /complete but completedSteps != steps/,
      ],
    ];
    for (const [value, re] of bad) {
      await Deno.writeTextFile(path, JSON.stringify(value));
      await assert.rejects(readTrajectoryManifest(dir), re);
    }
    await Deno.writeTextFile(path, "{not json");
    await assert.rejects(readTrajectoryManifest(dir), SyntaxError);
    await writeTrajectoryManifest(dir, manifest());
    assert.deepEqual(await readTrajectoryManifest(dir), manifest());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("listCheckpoints() lists step_<9 digits>.safetensors by step and readCheckpointFile() reads them", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(dir, "checkpoints"));
    const bytes = writeSafetensors({
      "fc.bias": { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) },
    }, {
      step: "10",
    });
    for (const s of [10, 2, 0]) {
      await Deno.writeFile(checkpointPath(dir, s), bytes);
    }
    await Deno.writeFile(join(dir, "checkpoints", "step_1.safetensors"), bytes); // wrong name: ignored
    const list = await listCheckpoints(dir);
    assert.deepEqual(list.map((c) => c.step), [0, 2, 10]);
    const ck = await readCheckpointFile(list[2]!.path);
    assert.equal(ck.metadata.step, "10");
    assert.deepEqual(
      Array.from(ck.tensors.get("fc.bias")!.data as Float32Array),
      [1, 2],
    );
    const broken = join(dir, "broken.safetensors");
    await Deno.writeFile(broken, new Uint8Array([1, 2, 3]));
    await assert.rejects(
      readCheckpointFile(broken),
      /Cannot read checkpoint .*broken\.safetensors/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
