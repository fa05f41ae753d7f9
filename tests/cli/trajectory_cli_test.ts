import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import {
  listCheckpoints,
  readCheckpointFile,
  readLeanStats,
  readPretrainLoss,
  readTrajectoryManifest,
} from "../../src/io/trajectory.ts";
import { writeNpy } from "../../src/formats/npy.ts";
import {
  logSpacedSteps,
  parseTrajectoryArgs,
} from "../../src/cli/trajectory.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CLI = join(ROOT, "src/cli/trajectory.ts");

function command(outDir: string, extra: string[]): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-check",
      `--allow-read=${ROOT},/usr/share/datasets,${dirname(outDir)}`,
      `--allow-write=${outDir}`,
      "--allow-run=git",
      "--allow-sys=systemMemoryInfo",
      CLI,
      "--out-dir",
      outDir,
      ...extra,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  });
}

// A small CNN with BatchNorm on an MNIST subset, 2 data-parallel workers: a few dozen steps.
const RUN = [
  "--name",
  "t",
  "--model",
  "small_cnn",
  "--width",
  "2",
  "--dataset",
  "mnist",
  "--limit",
  "256",
  "--pretrain-steps",
  "12",
  "--pretrain-eta",
  "0.1",
  "--steps",
  "40",
  "--eta",
  "0.02",
  "--batch-size",
  "16",
  "--workers",
  "2",
  "--chunk-steps",
  "8",
  "--checkpoints",
  "6",
];

async function run(
  outDir: string,
  extra: string[] = [],
): Promise<Deno.CommandOutput> {
  return await command(outDir, [...RUN, ...extra]).output();
}

async function filesOf(dir: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const sub of ["lean", "checkpoints", "pretrain"]) {
    for await (const e of Deno.readDir(join(dir, sub))) {
      if (!e.name.startsWith(".")) {
        out.set(
          `${sub}/${e.name}`,
          await Deno.readFile(join(dir, sub, e.name)),
        );
      }
    }
  }
  out.set(
    "pretrained.safetensors",
    await Deno.readFile(join(dir, "pretrained.safetensors")),
  );
  return out;
}

function sumSq(a: ArrayLike<number>, b?: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - (b ? b[i]! : 0);
    s += d * d;
  }
  return s;
}

const decode = (o: Deno.CommandOutput) => new TextDecoder().decode(o.stderr);

Deno.test("trajectory CLI: same flags give the same bytes; lean stats match the checkpoints; a complete run is not overwritten", async () => {
  const a = await Deno.makeTempDir();
  const b = await Deno.makeTempDir();
  try {
    const ra = await run(a);
    assert.equal(ra.code, 0, decode(ra));
    assert.match(decode(ra), /continuation step 40\/40 loss/);
    const rb = await run(b);
    assert.equal(rb.code, 0, decode(rb));
    const fa = await filesOf(join(a, "t"));
    const fb = await filesOf(join(b, "t"));
    assert.deepEqual([...fa.keys()].sort(), [...fb.keys()].sort());
    for (const [k, v] of fa) assert.deepEqual(v, fb.get(k), k);

    const dir = join(a, "t");
    const m = await readTrajectoryManifest(dir);
    assert.equal(m.complete, true);
    assert.equal(m.workers, 2);
    assert.deepEqual(m.checkpointSteps, logSpacedSteps(40, 6));
    const lean = await readLeanStats(dir);
    assert.equal(lean.steps, 40);
    assert.deepEqual(
      Array.from(lean.columns.get("step")!),
      Array.from({ length: 40 }, (_, i) => i),
    );
    // Independent route: recompute the statistics from the checkpoint files (PyTorch layout; the sums of
    // squares do not depend on the layout) in float64.
    const cps = await listCheckpoints(dir);
    assert.deepEqual(cps.map((c) => c.step), m.checkpointSteps);
    const params = (
      s: Awaited<ReturnType<typeof readCheckpointFile>>,
      momentum: boolean,
    ) => {
      const names = [...s.tensors.keys()].filter((n) =>
        momentum
          ? n.endsWith(".momentum_buffer")
          : !n.startsWith("optimizer.") && !n.includes("running_") &&
            !n.includes("num_batches")
      ).sort();
      return names.flatMap((n) =>
        Array.from(s.tensors.get(n)!.data as Float32Array)
      );
    };
    // Pretraining batch losses: one per pretraining step, starting near ln 10 for the fresh 10-class network.
    const preLoss = await readPretrainLoss(dir);
    assert.ok(preLoss !== null);
    assert.deepEqual(Array.from(preLoss.step), [...Array(12).keys()]);
    assert.ok(
      Math.abs(preLoss.loss[0]! - Math.log(10)) < 1,
      `${preLoss.loss[0]}`,
    );
    assert.ok(preLoss.loss.every((l) => l > 0 && l < 5));
    const pre = await readCheckpointFile(join(dir, "pretrained.safetensors"));
    const theta0 = params(pre, false);
    assert.equal(theta0.length, m.parameterCount);
    assert.equal(sumSq(params(pre, true)), 0); // momentum reset
    const byStep = new Map<number, { theta: number[]; b: number[] }>();
    for (const c of cps) {
      const s = await readCheckpointFile(c.path);
      assert.equal(s.metadata.step, String(c.step));
      assert.equal(s.metadata.phase, "continuation");
      byStep.set(c.step, { theta: params(s, false), b: params(s, true) });
    }
    assert.deepEqual(byStep.get(0)!.theta, theta0);
    for (const [k, { theta, b: buf }] of byStep) {
      if (k === 40) continue;
      // Exact in float64 up to summation order: relative 1e-12.
      const rel = (x: number, y: number) =>
        Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(y), 1e-300);
      assert.ok(
        rel(lean.columns.get("dispSq")![k]!, sumSq(theta, theta0)),
        `dispSq at ${k}`,
      );
      assert.ok(
        rel(lean.columns.get("normSq")![k]!, sumSq(theta)),
        `normSq at ${k}`,
      );
      assert.ok(
        rel(lean.columns.get("bufferNormSq")![k]!, sumSq(buf)),
        `bufferNormSq at ${k}`,
      );
      const next = byStep.get(k + 1);
      if (next) {
        assert.ok(
          rel(lean.columns.get("stepSq")![k]!, sumSq(next.theta, theta)),
          `stepSq at ${k}`,
        );
      }
    }
    assert.ok(lean.columns.get("loss")!.every((l) => l > 0 && l < 5));

    // --pretrained-from another trajectory of the same protocol and --directions: same trajectory, and the
    // projection columns equal v_i·(θ_k − θ_0) read off the checkpoints. Directions are unit vectors on
    // fc.bias[0] (flat index 2062 of the small CNN of width 2) and bn1.weight[1] (index 19).
    const c = await Deno.makeTempDir();
    try {
      const p = m.parameterCount;
      assert.equal(p, 2072);
      const dirs = new Float32Array(2 * p);
      dirs[2062] = 1;
      dirs[p + 19] = 1;
      const npy = join(c, "dirs.npy");
      await Deno.writeFile(
        npy,
        writeNpy({ dtype: "F32", shape: [2, p], data: dirs }),
      );
      const rc = await command(c, [
        ...RUN,
        "--pretrained-from",
        dir,
        "--directions",
        npy,
        "--eigenvalues",
        "3,2",
      ])
        .output();
      assert.equal(rc.code, 0, decode(rc));
      const dc = join(c, "t");
      assert.deepEqual(
        await Deno.readFile(join(dc, "pretrained.safetensors")),
        fa.get("pretrained.safetensors"),
      );
      assert.deepEqual(await readPretrainLoss(dc), preLoss);
      const mc = await readTrajectoryManifest(dc);
      assert.deepEqual(mc.projections, {
        file: "directions.npy",
        count: 2,
        eigenvalues: [3, 2],
      });
      const lc = await readLeanStats(dc);
      for (
        const col of ["dispSq", "stepSq", "normSq", "bufferNormSq", "loss"]
      ) {
        assert.deepEqual(lc.columns.get(col), lean.columns.get(col), col);
      }
      const pick = async (k: number, name: string, i: number) => {
        const s = await readCheckpointFile(
          join(
            dc,
            "checkpoints",
            `step_${String(k).padStart(9, "0")}.safetensors`,
          ),
        );
        return (s.tensors.get(name)!.data as Float32Array)[i]!;
      };
      for (const k of m.checkpointSteps.filter((k) => k < 40)) {
        assert.equal(
          lc.columns.get("proj0")![k],
          (await pick(k, "fc.bias", 0)) - (await pick(0, "fc.bias", 0)),
        );
        assert.equal(
          lc.columns.get("proj1")![k],
          (await pick(k, "bn1.weight", 1)) - (await pick(0, "bn1.weight", 1)),
        );
      }
    } finally {
      await Deno.remove(c, { recursive: true });
    }

    const again = await run(a);
    assert.equal(again.code, 2);
    const lines = decode(again).trim().split("\n");
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^error: .*complete trajectory exists/);
  } finally {
    await Deno.remove(a, { recursive: true });
    await Deno.remove(b, { recursive: true });
  }
});

Deno.test("trajectory CLI: a run killed with SIGKILL mid-way resumes bit-identically", async () => {
  const full = await Deno.makeTempDir();
  const killed = await Deno.makeTempDir();
  const extra = ["--steps", "120", "--checkpoints", "12"];
  try {
    const ref = await run(full, extra);
    assert.equal(ref.code, 0, decode(ref));
    const child = command(killed, [...RUN, ...extra]).spawn();
    const marker = join(killed, "t", "lean", "000000040.npy");
    for (;;) {
      try {
        await Deno.stat(marker);
        break;
      } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill("SIGKILL");
    await child.output();
    const mid = await readTrajectoryManifest(join(killed, "t"));
    assert.equal(mid.complete, false, "the run finished before it was killed");
    const refused = await run(killed, extra);
    assert.equal(refused.code, 2);
    assert.match(decode(refused), /--resume/);
    const resumed = await run(killed, [...extra, "--resume"]);
    assert.equal(resumed.code, 0, decode(resumed));
    const fa = await filesOf(join(full, "t"));
    const fb = await filesOf(join(killed, "t"));
    assert.deepEqual([...fb.keys()].sort(), [...fa.keys()].sort());
    for (const [k, v] of fa) assert.deepEqual(fb.get(k), v, k);
    const la = await readLeanStats(join(full, "t"));
    const lb = await readLeanStats(join(killed, "t"));
    for (const [c, v] of la.columns) assert.deepEqual(lb.columns.get(c), v, c);
  } finally {
    await Deno.remove(full, { recursive: true });
    await Deno.remove(killed, { recursive: true });
  }
});

Deno.test("trajectory CLI: bad flags give one error line and exit code 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (
      const bad of [
        ["--name", "t", "--model", "vgg", "--steps", "3", "--eta", "0.1"],
        ["--name", "t", "--model", "mlp", "--steps", "3"],
        [
          "--name",
          "t",
          "--model",
          "mlp",
          "--steps",
          "3",
          "--eta",
          "0.1",
          "--batch-size",
          "5",
          "--workers",
          "2",
        ],
        ["--name", "../x", "--model", "mlp", "--steps", "3", "--eta", "0.1"],
        ["--bogus"],
      ]
    ) {
      const o = await command(dir, bad).output();
      assert.equal(o.code, 2, bad.join(" "));
      const lines = decode(o).trim().split("\n");
      assert.equal(lines.length, 1, decode(o));
      assert.match(lines[0]!, /^error: /);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseTrajectoryArgs() fills pretraining defaults from the continuation and checks --directions/--eigenvalues", () => {
  const a = parseTrajectoryArgs([
    "--name",
    "x",
    "--model",
    "resnet18",
    "--steps",
    "5",
    "--eta",
    "0.01",
    "--beta",
    "0.5",
  ]);
  assert.equal(a.model.kind, "resnet18");
  assert.equal(a.pretrain.beta, 0.5);
  assert.equal(a.pretrain.steps, 0);
  assert.throws(
    () =>
      parseTrajectoryArgs([
        "--name",
        "x",
        "--model",
        "mlp",
        "--steps",
        "5",
        "--eta",
        "0.1",
        "--directions",
        "d.npy",
      ]),
    /together/,
  );
});

Deno.test("logSpacedSteps() gives the requested number of distinct increasing steps including 0 and K", () => {
  for (const [k, c] of [[1000, 12], [40, 6], [5, 3], [100000, 30]] as const) {
    const s = logSpacedSteps(k, c);
    assert.equal(s.length, c);
    assert.equal(s[0], 0);
    assert.equal(s.at(-1), k);
    for (let i = 1; i < s.length; i++) assert.ok(s[i]! > s[i - 1]!);
  }
});
