import assert from "node:assert/strict";
import { MergeError, mergeShards } from "../../src/cli/_merge_shards.ts";
import type { ResultsDocument, StoredCell } from "../../src/results/types.ts";
import { validateResults } from "../../src/results/validate.ts";
import { makeDocument, noisyBenchmark } from "../compare/_docs.ts";
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

const REGISTRY = [
  noisyBenchmark({ id: "first", grid: [1, 2, 3, 4, 5] }),
  noisyBenchmark({ id: "second", grid: [1, 2] }),
];

function withoutTiming(doc: ResultsDocument): unknown {
  return doc.benchmarks.map((b) => ({
    ...b,
    cells: b.cells.map((c: StoredCell) => ({ ...c, timing: null })),
  }));
}

async function shards(count: number, o: { argv?: string[] } = {}) {
  const out = [];
  for (let i = 1; i <= count; i++) {
    out.push({
      path: `s${i}.json`,
      doc: await makeDocument(REGISTRY, {
        shard: { index: i, count },
        runId: `shard-${i}`,
        startedAt: `2026-01-01T00:00:0${i}.000Z`,
        argv: o.argv ??
          ["--quick", "--shard", `${i}/${count}`, "--out", `s${i}.json`],
      }),
    });
  }
  return out;
}

Deno.test("mergeShards() rebuilds the single-run document from its shards", async () => {
  const single = await makeDocument(REGISTRY);
  for (const count of [1, 2, 3, 7]) {
    const parts = await shards(count);
    const { doc, warnings } = mergeShards([...parts].reverse(), REGISTRY);
    assert.deepEqual(warnings, []);
    validateResults(structuredClone(doc), "merged");
    assert.deepEqual(
      withoutTiming(doc),
      withoutTiming(single),
      `count ${count}`,
    );
    assert.deepEqual(doc.summary, single.summary);
    assert.equal(doc.run.shard, null);
    assert.deepEqual(doc.run.argv, ["--quick"]);
    assert.equal(doc.run.startedAt, "2026-01-01T00:00:01.000Z");
    assert.match(
      doc.run.id,
      new RegExp(`^20260101T000001Z-00000000-merged${count}-[0-9a-f]{6}$`),
    );
  }
});

Deno.test("mergeShards() refuses shard sets that are not one run, naming the file", async (t) => {
  const [a, b, c] = await shards(3);
  const cases: [string, () => unknown, RegExp][] = [
    [
      "a missing shard",
      () => mergeShards([a!, c!], REGISTRY),
      /shard 2\/3 is missing/,
    ],
    [
      "a repeated shard",
      () => mergeShards([a!, b!, c!, { ...b!, path: "copy.json" }], REGISTRY),
      /"copy\.json" as it is shard 2\/3 like "s2\.json"/,
    ],
    [
      "not a shard",
      async () =>
        mergeShards(
          [{ path: "full.json", doc: await makeDocument(REGISTRY) }],
          REGISTRY,
        ),
      /"full\.json" as it is not a shard/,
    ],
    ["another seed", async () => {
      const other = await makeDocument(REGISTRY, {
        seed: 2n,
        shard: { index: 2, count: 3 },
      });
      return mergeShards(
        [a!, { path: "seed2.json", doc: other }, c!],
        REGISTRY,
      );
    }, /"seed2\.json" as its seed \("2"\) differs from "s1\.json" \("1"\)/],
    [
      "another commit",
      () =>
        mergeShards([a!, {
          path: "x.json",
          doc: {
            ...b!.doc,
            source: { ...b!.doc.source, commit: "f".repeat(40) },
          },
        }, c!], REGISTRY),
      /"x\.json" as its source commit/,
    ],
    ["another count", async () => {
      const d = await makeDocument(REGISTRY, { shard: { index: 2, count: 4 } });
      return mergeShards([a!, { path: "n4.json", doc: d }], REGISTRY);
    }, /"n4\.json" as its shard count \(4\) differs/],
    [
      "an unknown benchmark",
      () => mergeShards([a!, b!, c!], [REGISTRY[0]!]),
      /benchmark "second" is not in this checkout's registry/,
    ],
    [
      "another version",
      () =>
        mergeShards([a!, b!, c!], [
          noisyBenchmark({ id: "first", version: 2, grid: [1, 2, 3, 4, 5] }),
          REGISTRY[1]!,
        ]),
      /benchmark "first" is version 1 but the registry has 2/,
    ],
    ["a relabelled shard", () => {
      const swapped1 = {
        path: "s1.json",
        doc: {
          ...a!.doc,
          run: { ...a!.doc.run, shard: { index: 2, count: 3 } },
        },
      };
      const swapped2 = {
        path: "s2.json",
        doc: {
          ...b!.doc,
          run: { ...b!.doc.run, shard: { index: 1, count: 3 } },
        },
      };
      return mergeShards([swapped1, swapped2, c!], REGISTRY);
    }, /"s2\.json" as cell "first\/a=2" belongs to shard 2\/3, not 1\/3/],
    ["a cell in two shards", () => {
      const extra = structuredClone(b!.doc) as unknown as {
        benchmarks: { cells: StoredCell[] }[];
      };
      extra.benchmarks[0]!.cells.push(a!.doc.benchmarks[0]!.cells[0]!);
      return mergeShards([a!, {
        path: "s2.json",
        doc: extra as unknown as ResultsDocument,
      }, c!], REGISTRY);
    }, /"s2\.json" as cell "first\/a=1" is also in "s1\.json"/],
    [
      "a grid that changed",
      () =>
        mergeShards([a!, b!, c!], [
          noisyBenchmark({ id: "first", grid: [1, 2, 3, 4] }),
          REGISTRY[1]!,
        ]),
      /cell "first\/a=5" is not in the benchmark's grid/,
    ],
  ];
  for (const [name, fn, re] of cases) {
    await t.step(name, async () => {
      await assert.rejects(async () => await fn(), (e: Error) => {
        assert.ok(e instanceof MergeError, String(e));
        assert.match(e.message, re);
        return true;
      });
    });
  }
});

Deno.test("merge of 3 real shards equals a single quick run (digests, cells, compare)", async () => {
  await withScratch(async (dir) => {
    for (let i = 1; i <= 3; i++) {
      const r = await runTaskEnv(
        "bench",
        "src/cli/bench.ts",
        quickBenchArgs(9, `${dir}/s${i}.json`, ["--shard", `${i}/3`]),
      );
      assert.ok(r.code === 0 || r.code === 3, r.stderr);
    }
    const full = await runTaskEnv(
      "bench",
      "src/cli/bench.ts",
      quickBenchArgs(9, `${dir}/full.json`),
    );
    assert.ok(full.code === 0 || full.code === 3, full.stderr);
    const m = await runTaskEnv("merge", "src/cli/merge.ts", [
      `${dir}/s3.json`,
      `${dir}/s1.json`,
      `${dir}/s2.json`,
      "--out",
      `${dir}/merged.json`,
    ]);
    assert.equal(m.code, 0, m.stderr);
    assert.equal(m.stdout.trim().split("\n").at(-1), `${dir}/merged.json`);
    const merged = await readJson(`${dir}/merged.json`) as ResultsDocument;
    const single = await readJson(`${dir}/full.json`) as ResultsDocument;
    validateResults(structuredClone(merged), "merged");
    assert.deepEqual(withoutTiming(merged), withoutTiming(single));
    assert.deepEqual(merged.summary, single.summary);
    assert.deepEqual(merged.run.argv, [
      "--quick",
      "--filter",
      "sgd_quadratic_speed",
      "--seed",
      "9",
    ]);
    const v = await runTaskEnv("validate", "src/cli/validate.ts", [
      `${dir}/merged.json`,
    ]);
    assert.equal(v.code, 0, v.stderr);
    const c = await runTaskEnv("compare", "src/cli/compare.ts", [
      `${dir}/full.json`,
      `${dir}/merged.json`,
    ]);
    assert.equal(c.code, 0, c.stdout);
    assert.match(c.stdout, /\d+ identical/);
    assert.doesNotMatch(c.stdout, /regression|incomparable|added|removed/);
  });
});

Deno.test("merge rejects bad input with one line naming the file, exit 2, nothing written", async (t) => {
  await withScratch(async (dir) => {
    const [a, b] = await shards(2);
    await writeDoc(`${dir}/s1.json`, a!.doc);
    await writeDoc(`${dir}/s2.json`, b!.doc);
    await writeDoc(`${dir}/v0.json`, { ...b!.doc, schemaVersion: 0 });
    await Deno.writeTextFile(`${ROOT}${dir}/corrupt.json`, "[1,");
    await Deno.mkdir(`${ROOT}${dir}/empty`);
    await Deno.writeTextFile(`${ROOT}${dir}/exists.json`, "keep\n");
    const before = await listDir(dir);
    const cases: [string, string[], RegExp][] = [
      ["no files", ["--out", `${dir}/m.json`], /no shard file given/],
      ["older schema", [
        `${dir}/s1.json`,
        `${dir}/v0.json`,
        "--out",
        `${dir}/m.json`,
      ], /v0\.json" as its schemaVersion is 0, older/],
      [
        "corrupt",
        [`${dir}/corrupt.json`, "--out", `${dir}/m.json`],
        /corrupt\.json" as it is not valid JSON/,
      ],
      [
        "empty folder",
        [`${dir}/empty`, "--out", `${dir}/m.json`],
        /empty" as it cannot be read/,
      ],
      [
        "missing file",
        [`${dir}/none.json`, "--out", `${dir}/m.json`],
        /none\.json" as it cannot be opened/,
      ],
      ["unknown benchmark in registry", [
        `${dir}/s1.json`,
        `${dir}/s2.json`,
        "--out",
        `${dir}/m.json`,
      ], /s1\.json" as benchmark "first" is not in this checkout's registry/],
      [
        "a missing shard",
        [`${dir}/s2.json`, "--out", `${dir}/m.json`],
        /shard 1\/2 is missing/,
      ],
      [
        "existing out",
        [`${dir}/s1.json`, "--out", `${dir}/exists.json`],
        /refusing to overwrite existing file ".*exists\.json"/,
      ],
      ["out outside results", [
        `${dir}/s1.json`,
        "--out",
        "/tmp/sgd-merge-x.json",
      ], /cannot write --out "\/tmp\/sgd-merge-x\.json": not permitted/],
    ];
    for (const [name, args, re] of cases) {
      await t.step(name, async () => {
        const r = await runTaskEnv("merge", "src/cli/merge.ts", args);
        assert.equal(r.code, 2, `${name}: exit ${r.code}\n${r.stderr}`);
        assert.match(oneErrorLine(r.stderr), re);
        assert.equal(r.stdout, "");
        assert.deepEqual(await listDir(dir), before);
      });
    }
  });
});
