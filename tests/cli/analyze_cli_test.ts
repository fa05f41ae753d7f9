import assert from "node:assert/strict";
import { join } from "node:path";
import { readNpy } from "../../src/formats/npy.ts";
import {
  readSafetensors,
  writeSafetensors,
} from "../../src/formats/safetensors.ts";
import type { SafetensorsInput } from "../../src/formats/safetensors.ts";
import { parseResults } from "../../src/results/validate.ts";
import { listDir, ROOT, runTask, scratchDir } from "../_util/cli.ts";
import { useBackend } from "../nn/models/_torch_fixture.ts";
import { TINY, writeTinyTrajectory } from "./_trajectory_writer.ts";

const ANALYZE = "src/cli/analyze.ts";
const FAST = [
  "--hessian-k",
  "3",
  "--hessian-images",
  "128",
  "--hutchinson-samples",
  "4",
];

await useBackend("cpu");

function assertCloseRel(a: number, b: number): void {
  assert.ok(
    Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(b), 1e-300),
    `${a} vs ${b}`,
  );
}

function oneErrorLine(stderr: string): string {
  const lines = stderr.trim().split("\n").filter((l) =>
    l.startsWith("error: ") || !/^\s*$|tfjs-node|TensorFlow\.js|====/.test(l)
  );
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${stderr}`);
  assert.match(lines[0]!, /^error: /);
  return lines[0]!;
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyDir(join(from, e.name), join(to, e.name));
    else await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}

Deno.test("analyze --help prints usage and exits 0", async () => {
  const r = await runTask("analyze", ANALYZE, ["--help"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /USAGE:/);
});

Deno.test("analyze writes a valid document for two trajectories; speed plateau matches the lean files", async () => {
  const dir = await scratchDir();
  try {
    await writeTinyTrajectory(`${ROOT}${dir}/a`, "tiny_a", 3n);
    await writeTinyTrajectory(`${ROOT}${dir}/b`, "tiny_b", 4n, {
      eta: 0.02,
      batchSize: 64,
    });
    const out = `${dir}/doc.json`;
    const r = await runTask("analyze", ANALYZE, [
      `${dir}/a`,
      `${dir}/b`,
      ...FAST,
      "--out",
      out,
    ]);
    // 0 (verdicts pass) or 3 (a verdict failed) are both a completed analysis; 1 would be an analysis error.
    assert.ok(r.code === 0 || r.code === 3, `exit ${r.code}: ${r.stderr}`);
    assert.equal(r.stdout.trim().split("\n").at(-1), out);
    const doc = parseResults(await Deno.readTextFile(`${ROOT}${out}`), out);
    const ids = doc.benchmarks.map((b) => b.id);
    assert.deepEqual(ids, [
      "analyze_speed",
      "analyze_exponent",
      "analyze_hessian",
      "analyze_projections",
      "analyze_loss_plateau",
      "analyze_collapse",
    ]);
    for (const b of doc.benchmarks) {
      for (const c of b.cells) {
        assert.equal(c.status, "ok", `${b.id} ${c.key}: ${c.message}`);
      }
    }
    // Independent route: the plateau is the mean of the last half of stepSq in the .npy chunks.
    const rows: number[] = [];
    for (const f of (await listDir(`${dir}/a/lean`))) {
      const t = readNpy(await Deno.readFile(`${ROOT}${dir}/a/lean/${f}`));
      const d = t.data as Float64Array;
      for (let i = 0; i < t.shape[0]!; i++) rows.push(d[i * 6 + 2]!);
    }
    assert.equal(rows.length, TINY.steps);
    const tail = rows.slice(rows.length - Math.ceil(rows.length / 2));
    const mean = tail.reduce((x, y) => x + y, 0) / tail.length;
    const speed = doc.benchmarks[0]!.cells[0]!.metrics.speedPlateau!;
    assert.ok(
      Math.abs(speed.value! - mean) <= 1e-12 * mean,
      `${speed.value} vs ${mean}`,
    );
    assert.ok(speed.references.continuous !== undefined);
    const exp = doc.benchmarks[1]!.cells[0]!.metrics;
    assert.ok(
      exp.exponentCiLow!.value! <= exp.exponent!.value! &&
        exp.exponent!.value! <= exp.exponentCiHigh!.value!,
    );
    const hess = doc.benchmarks[2]!.cells[0]!.metrics;
    // float32 HVPs: Lanczos residuals stay near float32 round-off relative to λ₁.
    assert.ok(
      hess.maxRelResidual!.value! < 1e-3,
      `residual ${hess.maxRelResidual!.value}`,
    );
    assert.ok(hess.lambdaMax!.value! >= hess.lambdaK!.value!);
    // Loss plateau: the continuation's last two tenths of the lean loss column (independent sums); the
    // synthetic folder records no pretraining losses.
    const losses: number[] = [];
    for (const f of (await listDir(`${dir}/a/lean`))) {
      const t = readNpy(await Deno.readFile(`${ROOT}${dir}/a/lean/${f}`));
      const d = t.data as Float64Array;
      for (let i = 0; i < t.shape[0]!; i++) losses.push(d[i * 6 + 5]!);
    }
    const w = Math.max(1, Math.floor(losses.length / 10));
    const avg = (xs: number[]) => xs.reduce((p, q) => p + q, 0) / xs.length;
    const prev = avg(losses.slice(losses.length - 2 * w, losses.length - w));
    const plateau = doc.benchmarks[4]!.cells[0]!.metrics;
    assertCloseRel(
      plateau.continuationLossChange!.value!,
      (avg(losses.slice(losses.length - w)) - prev) / prev,
    );
    assert.equal(plateau.pretrainLossChange!.value, null);
    assert.equal(doc.benchmarks[5]!.cells.length, 1);
    assert.ok(
      doc.benchmarks[3]!.cells[0]!.plots.some((p) => p.type === "scatter"),
    );
  } finally {
    await Deno.remove(`${ROOT}${dir}`, { recursive: true });
  }
});

Deno.test("analyze rejects bad input with one line naming the file, exit 2 and nothing written", async (t) => {
  const dir = await scratchDir();
  try {
    const good = `${ROOT}${dir}/good`;
    const manifest = await writeTinyTrajectory(good, "tiny", 5n);
    await Deno.writeTextFile(`${ROOT}${dir}/existing.json`, "keep\n");
    const ck3 = join("checkpoints", "step_000000003.safetensors");
    const rewriteCheckpoint = async (
      root: string,
      edit: (m: Map<string, SafetensorsInput>) => void,
    ) => {
      const path = join(root, ck3);
      const { tensors, metadata } = readSafetensors(await Deno.readFile(path));
      const m = new Map<string, SafetensorsInput>(tensors);
      edit(m);
      await Deno.writeFile(path, writeSafetensors(m, metadata));
    };
    const cases: [string, (root: string) => Promise<void>, string[], RegExp][] =
      [
        [
          "not a trajectory",
          async (root) => {
            await Deno.remove(join(root, "manifest.json"));
          },
          [],
          /manifest\.json is not a readable file/,
        ],
        [
          "wrong format",
          async (root) => {
            await Deno.writeTextFile(
              join(root, "manifest.json"),
              JSON.stringify({ ...manifest, format: "other" }),
            );
          },
          [],
          /manifest\.json as its format is not "sgd-limits-trajectory"/,
        ],
        [
          "wrong version",
          async (root) => {
            await Deno.writeTextFile(
              join(root, "manifest.json"),
              JSON.stringify({ ...manifest, version: 2 }),
            );
          },
          [],
          /manifest\.json as only version 1 is supported: version 2/,
        ],
        [
          "wrong tensor shape",
          (root) =>
            rewriteCheckpoint(root, (m) => {
              m.set("fc1.weight", {
                dtype: "F32",
                shape: [16, 783],
                data: new Float32Array(16 * 783),
              });
            }),
          [],
          /step_000000003\.safetensors .*"fc1\.weight" has shape \[16,783\], expected \[16,784\]/,
        ],
        [
          "missing momentum buffer",
          (root) =>
            rewriteCheckpoint(root, (m) => {
              m.delete("optimizer.fc2.bias.momentum_buffer");
            }),
          [],
          /step_000000003\.safetensors .*missing "optimizer\.fc2\.bias\.momentum_buffer"/,
        ],
        [
          "NaN in a checkpoint",
          (root) =>
            rewriteCheckpoint(root, (m) => {
              m.set("fc2.bias", {
                dtype: "F32",
                shape: [10],
                data: new Float32Array(10).fill(NaN),
              });
            }),
          [],
          /step_000000003\.safetensors as tensor "fc2\.bias" has a non-finite value/,
        ],
        [
          "Inf in the lean statistics",
          async (root) => {
            const path = join(root, "lean", "000000000.npy");
            const bytes = await Deno.readFile(path);
            // Overwrite the last float64 of the file (row 47, column "loss") with +Inf.
            new DataView(bytes.buffer).setFloat64(
              bytes.length - 8,
              Infinity,
              true,
            );
            await Deno.writeFile(path, bytes);
          },
          [],
          /lean column "loss" has a non-finite value at step 47/,
        ],
        [
          "missing checkpoint",
          async (root) => {
            await Deno.remove(join(root, ck3));
          },
          [],
          /checkpoint of step 3 listed in manifest\.json is missing/,
        ],
        [
          "existing --out",
          async () => {},
          ["--out", `${dir}/existing.json`],
          /refusing to overwrite/,
        ],
        [
          "bad --hessian-k",
          async () => {},
          ["--hessian-k", "0"],
          /invalid --hessian-k "0"/,
        ],
        [
          "bad --workers",
          async () => {},
          ["--workers", "65"],
          /invalid --workers "65"/,
        ],
      ];
    for (const [name, corrupt, extra, pattern] of cases) {
      await t.step(name, async () => {
        const root = `${dir}/case`;
        await copyDir(good, `${ROOT}${root}`);
        try {
          await corrupt(`${ROOT}${root}`);
          const before = await listDir(dir);
          const args = [
            root,
            ...FAST,
            ...(extra.includes("--out") ? [] : ["--out", `${dir}/out.json`]),
            ...extra,
          ];
          const r = await runTask("analyze", ANALYZE, args);
          assert.equal(r.code, 2, `exit ${r.code}: ${r.stderr}`);
          assert.match(oneErrorLine(r.stderr), pattern);
          assert.deepEqual(await listDir(dir), before, "nothing written");
          assert.equal(
            await Deno.readTextFile(`${ROOT}${dir}/existing.json`),
            "keep\n",
          );
        } finally {
          await Deno.remove(`${ROOT}${root}`, { recursive: true });
        }
      });
    }
  } finally {
    await Deno.remove(`${ROOT}${dir}`, { recursive: true });
  }
});

Deno.test("analyze takes θ₀ from pretrained.safetensors when a run kept no step-0 checkpoint", async () => {
  // Trajectory format v1: pretrained.safetensors is continuation step 0; `--checkpoints 1` runs keep only the
  // final checkpoint (the η-sweep fixtures do).
  const dir = await scratchDir();
  try {
    const root = `${ROOT}${dir}/a`;
    await writeTinyTrajectory(root, "tiny_a", 3n);
    const manifestPath = join(root, "manifest.json");
    const manifest = JSON.parse(await Deno.readTextFile(manifestPath));
    const last = manifest.checkpointSteps.at(-1);
    for (const s of manifest.checkpointSteps) {
      if (s !== last) {
        await Deno.remove(
          join(
            root,
            "checkpoints",
            `step_${String(s).padStart(9, "0")}.safetensors`,
          ),
        );
      }
    }
    manifest.checkpointSteps = [last];
    await Deno.writeTextFile(manifestPath, JSON.stringify(manifest));
    const out = `${dir}/doc.json`;
    const r = await runTask("analyze", ANALYZE, [
      `${dir}/a`,
      ...FAST,
      "--out",
      out,
    ]);
    assert.ok(r.code === 0 || r.code === 3, `exit ${r.code}: ${r.stderr}`);
    const doc = parseResults(await Deno.readTextFile(`${ROOT}${out}`), out);
    for (const b of doc.benchmarks) {
      for (const c of b.cells) {
        assert.equal(c.status, "ok", `${b.id}: ${c.message}`);
      }
    }
    // Without pretrained.safetensors the missing θ₀ is one clear error.
    await Deno.remove(join(root, "pretrained.safetensors"));
    const bad = await runTask("analyze", ANALYZE, [
      `${dir}/a`,
      ...FAST,
      "--out",
      `${dir}/doc2.json`,
    ]);
    assert.equal(bad.code, 2);
    assert.match(
      oneErrorLine(bad.stderr),
      /step-0 checkpoint \(θ₀\) is missing/,
    );
  } finally {
    await Deno.remove(`${ROOT}${dir}`, { recursive: true });
  }
});

Deno.test("analyze --eigenvectors-out writes orthonormal top-k eigenvectors with the document's eigenvalues", async () => {
  const dir = await scratchDir();
  try {
    await writeTinyTrajectory(`${ROOT}${dir}/a`, "tiny_a", 3n);
    const npy = `${dir}/dirs.npy`;
    const args = [`${dir}/a`, ...FAST, "--eigenvectors-out", npy];
    const r = await runTask("analyze", ANALYZE, [
      ...args,
      "--out",
      `${dir}/doc.json`,
    ]);
    assert.ok(r.code === 0 || r.code === 3, `exit ${r.code}: ${r.stderr}`);
    const doc = parseResults(
      await Deno.readTextFile(`${ROOT}${dir}/doc.json`),
      "doc",
    );
    const t = readNpy(await Deno.readFile(`${ROOT}${npy}`));
    assert.equal(t.dtype, "F32");
    assert.equal(t.shape[0], 3);
    const p = t.shape[1]!;
    const v = t.data as Float32Array;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j <= i; j++) {
        let dot = 0;
        for (let q = 0; q < p; q++) dot += v[i * p + q]! * v[j * p + q]!;
        assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-5, `${i}·${j}`);
      }
    }
    const m = /--eigenvalues ([^\s]+)/.exec(r.stderr);
    assert.ok(m, r.stderr);
    const values = m[1]!.split(",").map(Number);
    const hess = doc.benchmarks[2]!.cells[0]!.metrics;
    assert.equal(values.length, 3);
    assert.ok(
      Math.abs(values[0]! - hess.lambdaMax!.value!) <=
        1e-6 * Math.abs(hess.lambdaMax!.value!),
    );
    assert.ok(
      Math.abs(values[2]! - hess.lambdaK!.value!) <=
        1e-6 * Math.abs(hess.lambdaMax!.value!),
    );
    // An existing file is refused before any work; two folders are refused.
    const again = await runTask("analyze", ANALYZE, [
      ...args,
      "--out",
      `${dir}/doc2.json`,
    ]);
    assert.equal(again.code, 2);
    assert.match(
      oneErrorLine(again.stderr),
      /refusing to overwrite.*dirs\.npy/,
    );
    const two = await runTask("analyze", ANALYZE, [
      `${dir}/a`,
      `${dir}/a`,
      "--eigenvectors-out",
      `${dir}/other.npy`,
    ]);
    assert.equal(two.code, 2);
    assert.match(oneErrorLine(two.stderr), /exactly one trajectory/);
    assert.deepEqual((await listDir(dir)).sort(), [
      "a",
      "dirs.npy",
      "doc.json",
    ]);
  } finally {
    await Deno.remove(`${ROOT}${dir}`, { recursive: true });
  }
});
