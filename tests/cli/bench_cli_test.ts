import assert from "node:assert/strict";
import {
  listDir,
  oneErrorLine,
  quickBenchArgs,
  ROOT,
  runTask,
  taskFlags,
  withScratch,
} from "../_util/cli.ts";

const BENCH = "src/cli/bench.ts";
const FILTER = "sgd_quadratic_speed";

Deno.test("bench --help prints usage and exits 0", async () => {
  const r = await runTask("bench", BENCH, ["--help"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /USAGE:/);
});

Deno.test("bench --list lists the registry", async () => {
  const r = await runTask("bench", BENCH, ["--list"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /sgd_quadratic_speed/);
});

Deno.test("bench rejects bad input with one line, exit 2 and nothing written", async (t) => {
  await withScratch(async (dir) => {
    await Deno.writeTextFile(`${ROOT}${dir}/existing.json`, "keep\n");
    const cases: [string, string[], RegExp][] = [
      ["unknown flag", ["--bogus"], /bogus/],
      ["positional", ["extra"], /positional|Unexpected argument/i],
      ["negative seed", ["--seed", "-3"], /--seed/],
      ["fractional seed", ["--seed", "1.5"], /invalid --seed "1.5"/],
      ["huge seed", ["--seed", "18446744073709551616"], /invalid --seed/],
      ["zero repeats", ["--repeats", "0"], /invalid --repeats "0"/],
      ["unknown backend", ["--backend", "gpu"], /invalid --backend "gpu"/],
      ["bad shard", ["--shard", "3/2"], /invalid --shard "3\/2"/],
      [
        "unknown filter id",
        ["--filter", "no_such_benchmark"],
        /"no_such_benchmark" matches no benchmark id/,
      ],
      [
        "empty filter pattern",
        ["--filter", "sgd_quadratic_speed,"],
        /empty pattern/,
      ],
      [
        "existing --out",
        ["--out", `${dir}/existing.json`],
        /refusing to overwrite/,
      ],
      [
        "--out in a missing folder",
        ["--out", `${dir}/missing/x.json`],
        /cannot write results/,
      ],
      [
        "--out outside results/",
        ["--out", "/tmp/sgd-limits-test-out.json"],
        /not permitted/,
      ],
    ];
    for (const [name, args, re] of cases) {
      await t.step(name, async () => {
        // Cases that set their own --filter replace the default one.
        const base = args.includes("--filter")
          ? ["--quick"]
          : ["--quick", "--filter", FILTER];
        const r = await runTask("bench", BENCH, [...base, ...args]);
        assert.equal(r.code, 2, `${name}: exit ${r.code}\n${r.stderr}`);
        assert.match(oneErrorLine(r.stderr), re);
        assert.equal(r.stdout, "");
        assert.deepEqual(await listDir(dir), ["existing.json"]);
        assert.equal(
          await Deno.readTextFile(`${ROOT}${dir}/existing.json`),
          "keep\n",
        );
      });
    }
  });
});

async function digestsOf(path: string): Promise<Map<string, string>> {
  const doc = JSON.parse(await Deno.readTextFile(`${ROOT}${path}`));
  const m = new Map<string, string>();
  for (const b of doc.benchmarks) {
    for (const c of b.cells) m.set(`${b.id}/${c.key}`, c.digest);
  }
  return m;
}

Deno.test("bench writes a valid wasm SIMD result; same seed ⇒ same digests; shards match", async () => {
  await withScratch(async (dir) => {
    const a = await runTask(
      "bench",
      BENCH,
      quickBenchArgs(42, `${dir}/a.json`),
    );
    assert.ok(a.code === 0 || a.code === 3, a.stderr);
    assert.equal(a.stdout.trim().split("\n").at(-1), `${dir}/a.json`);
    assert.match(a.stderr, /\[1\/\d+\] sgd_quadratic_speed/);
    const doc = JSON.parse(await Deno.readTextFile(`${ROOT}${dir}/a.json`));
    assert.equal(doc.environment.backend, "wasm");
    assert.equal(doc.environment.simd, true);
    assert.equal(doc.run.seed, "42");

    const v = await runTask("validate", "src/cli/validate.ts", [
      `${dir}/a.json`,
    ]);
    assert.equal(v.code, 0, v.stderr);

    const b = await runTask(
      "bench",
      BENCH,
      quickBenchArgs(42, `${dir}/b.json`),
    );
    assert.ok(b.code === 0 || b.code === 3, b.stderr);
    const da = await digestsOf(`${dir}/a.json`);
    assert.deepEqual(await digestsOf(`${dir}/b.json`), da);

    const s1 = await runTask(
      "bench",
      BENCH,
      quickBenchArgs(42, `${dir}/s.json`, ["--shard", "2/3"]),
    );
    assert.ok(s1.code === 0 || s1.code === 3, s1.stderr);
    const ds = await digestsOf(`${dir}/s.json`);
    assert.ok(ds.size > 0 && ds.size < da.size);
    for (const [k, d] of ds) assert.equal(d, da.get(k), k);

    const c = await runTask(
      "bench",
      BENCH,
      quickBenchArgs(43, `${dir}/c.json`),
    );
    assert.ok(c.code === 0 || c.code === 3, c.stderr);
    const dc = await digestsOf(`${dir}/c.json`);
    assert.ok(
      [...dc].some(([k, d]) => da.get(k) !== d),
      "another seed must change some digest",
    );
  });
});

Deno.test("bench killed mid-run leaves no results file and no temporary file", async () => {
  await withScratch(async (dir) => {
    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--quiet",
          ...taskFlags("bench"),
          BENCH,
          "--filter",
          FILTER,
          "--out",
          `${dir}/k.json`,
        ],
        cwd: ROOT,
        stdout: "null",
        stderr: "piped",
      }).spawn();
      // Wait until the run has started its first cell, then kill it.
      const reader = child.stderr.getReader();
      let seen = "";
      while (!seen.includes("[1/")) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += new TextDecoder().decode(value);
      }
      child.kill(signal);
      reader.releaseLock();
      await child.stderr.cancel();
      const status = await child.status;
      assert.equal(status.success, false);
      assert.deepEqual(await listDir(dir), [], `after ${signal}`);
    }
  });
});

Deno.test("validate rejects a corrupt results file with one line naming it", async () => {
  await withScratch(async (dir) => {
    await Deno.writeTextFile(
      `${ROOT}${dir}/bad.json`,
      '{"schemaVersion": 1, "suite": 3}',
    );
    const r = await runTask("validate", "src/cli/validate.ts", [
      `${dir}/bad.json`,
    ]);
    assert.equal(r.code, 2);
    assert.match(oneErrorLine(r.stderr), new RegExp(`${dir}/bad.json`));
    const missing = await runTask("validate", "src/cli/validate.ts", [
      `${dir}/none.json`,
    ]);
    assert.equal(missing.code, 2);
    assert.match(oneErrorLine(missing.stderr), /cannot be opened/);
  });
});
