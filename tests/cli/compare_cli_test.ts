import assert from "node:assert/strict";
import { cellDigest } from "../../src/results/digest.ts";
import type { StoredCell } from "../../src/results/types.ts";
import {
  costBenchmark,
  makeDocument,
  noisyBenchmark,
} from "../compare/_docs.ts";
import {
  listDir,
  oneErrorLine,
  quickBenchArgs,
  readJson,
  ROOT,
  runTaskEnv,
  withScratch,
  writeDoc,
} from "../_util/cli.ts";

const COMPARE = "src/cli/compare.ts";

Deno.test("compare --help documents the exit codes", async () => {
  const r = await runTaskEnv("compare", COMPARE, ["--help"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /EXIT CODES:/);
  for (
    const c of [
      "0 pass",
      "3 accuracy regression",
      "4 cost regression",
      "5 incomparable",
    ]
  ) {
    assert.ok(r.stdout.includes(c), c);
  }
});

Deno.test("compare grades outcomes with exit codes 0, 3, 4 and 5", async () => {
  await withScratch(async (dir) => {
    await writeDoc(
      `${dir}/base.json`,
      await makeDocument([noisyBenchmark(), costBenchmark()]),
    );
    await writeDoc(
      `${dir}/theory.json`,
      await makeDocument([
        noisyBenchmark({ theory: 1.01 }),
        costBenchmark({ factor: 2, noiseSeed: 3n }),
      ]),
    );
    await writeDoc(
      `${dir}/slow.json`,
      await makeDocument([
        noisyBenchmark(),
        costBenchmark({ factor: 2, noiseSeed: 3n }),
      ]),
    );
    await writeDoc(
      `${dir}/other.json`,
      await makeDocument([noisyBenchmark(), costBenchmark({ factor: 2 })], {
        env: { cpuModel: "Other CPU" },
      }),
    );
    const run = (cand: string, extra: string[] = []) =>
      runTaskEnv("compare", COMPARE, [
        `${dir}/base.json`,
        `${dir}/${cand}`,
        ...extra,
      ]);

    const same = await run("base.json");
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /result: pass \(exit 0\)/);

    const theory = await run("theory.json");
    assert.equal(theory.code, 3, theory.stdout);
    assert.match(
      theory.stdout,
      /accuracy-regression\s+noisy \/ a=1 mean\.exact: .*predicted value changed/,
    );

    const slow = await run("slow.json");
    assert.equal(slow.code, 4, slow.stdout);
    assert.match(slow.stdout, /cost-regression\s+timed \/ k=0 ms/);

    const other = await run("other.json");
    assert.equal(other.code, 5, other.stdout);
    assert.match(other.stdout, /incomparable \(different machine: cpuModel\)/);

    const missing = await run("../nope.json");
    assert.equal(missing.code, 2);
    assert.match(
      oneErrorLine(missing.stderr),
      /candidate: Cannot read results ".*nope\.json" as it cannot be opened/,
    );
  });
});

Deno.test("compare writes --summary, --gab-json and appends to GITHUB_STEP_SUMMARY", async () => {
  await withScratch(async (dir) => {
    await writeDoc(`${dir}/base.json`, await makeDocument([costBenchmark()]));
    await writeDoc(
      `${dir}/cand.json`,
      await makeDocument([costBenchmark({ factor: 2, noiseSeed: 3n })]),
    );
    await Deno.writeTextFile(`${ROOT}${dir}/step.md`, "# earlier step\n");
    const r = await runTaskEnv("compare", COMPARE, [
      `${dir}/base.json`,
      `${dir}/cand.json`,
      "--summary",
      `${dir}/summary.md`,
      "--gab-json",
      `${dir}/gab.json`,
    ], { GITHUB_STEP_SUMMARY: `${ROOT}${dir}/step.md` });
    assert.equal(r.code, 4, r.stderr);
    const md = await Deno.readTextFile(`${ROOT}${dir}/summary.md`);
    assert.match(md, /^## sgd-limits compare: cost regression \(exit 4\)/);
    assert.match(md, /### Cost regressions \(1\)/);
    const step = await Deno.readTextFile(`${ROOT}${dir}/step.md`);
    assert.equal(step, "# earlier step\n" + md);
    const gab = await readJson(`${dir}/gab.json`) as {
      name: string;
      unit: string;
      value: number;
    }[];
    assert.equal(gab.length, 1);
    assert.equal(gab[0]!.name, "timed/k=0/ms");
    assert.equal(gab[0]!.unit, "ms");
    assert.ok(gab[0]!.value > 15);
  });
});

Deno.test("compare with a missing baseline exits 5 with one line and still writes the summary", async () => {
  await withScratch(async (dir) => {
    await writeDoc(`${dir}/cand.json`, await makeDocument([noisyBenchmark()]));
    const r = await runTaskEnv("compare", COMPARE, [
      `${dir}/none.json`,
      `${dir}/cand.json`,
      "--summary",
      `${dir}/s.md`,
    ]);
    assert.equal(r.code, 5);
    assert.match(
      oneErrorLine(r.stderr),
      /baseline results ".*none\.json" not found: nothing to compare against/,
    );
    assert.match(
      await Deno.readTextFile(`${ROOT}${dir}/s.md`),
      /no baseline \(exit 5\)/,
    );
  });
});

Deno.test("compare rejects bad input with one line naming the file, exit 2, nothing written", async (t) => {
  await withScratch(async (dir) => {
    const good = await makeDocument([noisyBenchmark()]);
    await writeDoc(`${dir}/good.json`, good);
    await writeDoc(`${dir}/v2.json`, { ...good, schemaVersion: 2 });
    await writeDoc(`${dir}/suite.json`, {
      ...good,
      suite: { name: "other-suite", version: "1" },
    });
    await Deno.writeTextFile(
      `${ROOT}${dir}/corrupt.json`,
      '{"schemaVersion": 1,',
    );
    await Deno.writeTextFile(`${ROOT}${dir}/empty.json`, "");
    await Deno.mkdir(`${ROOT}${dir}/folder`);
    await Deno.writeTextFile(`${ROOT}${dir}/exists.md`, "keep\n");
    const before = await listDir(dir);
    const cases: [string, string[], RegExp][] = [
      [
        "newer schema",
        [`${dir}/good.json`, `${dir}/v2.json`],
        /v2\.json" as its schemaVersion is 2, newer/,
      ],
      [
        "other suite",
        [`${dir}/suite.json`, `${dir}/good.json`],
        /baseline: .*suite\.json" as it does not match the schema at \/suite\/name/,
      ],
      [
        "corrupt JSON",
        [`${dir}/good.json`, `${dir}/corrupt.json`],
        /corrupt\.json" as it is not valid JSON/,
      ],
      [
        "empty file",
        [`${dir}/empty.json`, `${dir}/good.json`],
        /empty\.json" as it is not valid JSON/,
      ],
      [
        "a folder",
        [`${dir}/good.json`, `${dir}/folder`],
        /folder" as it cannot be read/,
      ],
      ["one file", [`${dir}/good.json`], /expected two results files, got 1/],
      [
        "unknown flag",
        [`${dir}/good.json`, `${dir}/good.json`, "--bogus"],
        /bogus/,
      ],
      [
        "bad alpha",
        [`${dir}/good.json`, `${dir}/good.json`, "--alpha", "2"],
        /invalid --alpha "2"/,
      ],
      ["existing summary", [
        `${dir}/good.json`,
        `${dir}/good.json`,
        "--summary",
        `${dir}/exists.md`,
      ], /refusing to overwrite/],
    ];
    for (const [name, args, re] of cases) {
      await t.step(name, async () => {
        const r = await runTaskEnv("compare", COMPARE, [
          ...args,
          "--gab-json",
          `${dir}/g-${name.replace(/\W/g, "")}.json`,
        ]);
        assert.equal(r.code, 2, `${name}: exit ${r.code}\n${r.stderr}`);
        assert.match(oneErrorLine(r.stderr), re);
        assert.equal(r.stdout, "");
        assert.deepEqual(await listDir(dir), before);
      });
    }
    assert.equal(await Deno.readTextFile(`${ROOT}${dir}/exists.md`), "keep\n");
  });
});

Deno.test("compare catches an edited prediction in a real quick run as a theory change (exit 3)", async () => {
  await withScratch(async (dir) => {
    const bench = await runTaskEnv(
      "bench",
      "src/cli/bench.ts",
      quickBenchArgs(4, `${dir}/run.json`),
    );
    assert.ok(bench.code === 0 || bench.code === 3, bench.stderr);
    const doc = await readJson(`${dir}/run.json`) as {
      benchmarks: { cells: StoredCell[] }[];
    };
    // Edit the exact prediction of the first ok cell by 0.1 % and recompute its digest, so the file still
    // validates: only the prediction differs.
    const cell = doc.benchmarks[0]!.cells.find((c) => c.status === "ok")! as {
      -readonly [K in keyof StoredCell]: StoredCell[K];
    };
    const ref = cell.metrics.speed!.references.exact! as { value: number };
    ref.value *= 1.001;
    const { digest: _old, ...rest } = cell;
    cell.digest = cellDigest(rest);
    await writeDoc(`${dir}/edited.json`, doc);
    const v = await runTaskEnv("validate", "src/cli/validate.ts", [
      `${dir}/edited.json`,
    ]);
    assert.equal(v.code, 0, v.stderr);

    const same = await runTaskEnv("compare", COMPARE, [
      `${dir}/run.json`,
      `${dir}/run.json`,
    ]);
    assert.equal(same.code, 0, same.stdout);
    assert.match(same.stdout, /identical/);
    const r = await runTaskEnv("compare", COMPARE, [
      `${dir}/run.json`,
      `${dir}/edited.json`,
    ]);
    assert.equal(r.code, 3, r.stdout);
    assert.match(
      r.stdout,
      new RegExp(
        `accuracy-regression\\s+sgd_quadratic_speed / ${
          cell.key.replace(/\./g, "\\.")
        } speed\\.exact: .*predicted value changed`,
      ),
    );
    assert.match(r.stdout, /result: accuracy regression \(exit 3\)/);
  });
});
