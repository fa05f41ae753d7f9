import assert from "node:assert/strict";
import { defineBenchmark } from "../../src/bench/types.ts";
import { checkBundle } from "../../src/cite/check_bundle.ts";
import { BUNDLE_FILES } from "../../src/cite/render_bundle.ts";
import {
  costBenchmark,
  makeDocument,
  noisyBenchmark,
} from "../compare/_docs.ts";
import {
  listDir,
  oneErrorLine,
  ROOT,
  runTaskEnv,
  withScratch,
  writeDoc,
} from "../_util/cli.ts";

const CITE = "src/cli/cite.ts";

async function readBundle(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of BUNDLE_FILES) {
    files[name] = await Deno.readTextFile(`${ROOT}${dir}/${name}`);
  }
  return files;
}

const diverging = defineBenchmark({
  id: "wild",
  version: 1,
  title: "",
  paperRef: "",
  grid: { a: [1, 2] },
  metrics: {
    v: { unit: "1", better: "none", kind: "accuracy", description: "" },
  },
  run: (p) =>
    Number(p.a) === 2
      ? { metrics: {}, diverged: "boom" }
      : { metrics: { v: { value: 1 } } },
});

Deno.test("cite writes a complete, checkable bundle and is idempotent", async () => {
  await withScratch(async (dir) => {
    await writeDoc(
      `${dir}/r.json`,
      await makeDocument([noisyBenchmark(), costBenchmark()]),
    );
    const r = await runTaskEnv("cite", CITE, [
      `${dir}/r.json`,
      "--all",
      "--out",
      `${dir}/bundle`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split("\n").at(-1), `${dir}/bundle`);
    assert.match(r.stdout, /bundle [0-9a-f]{64}: 4 cell\(s\)/);
    assert.deepEqual(await listDir(`${dir}/bundle`), [...BUNDLE_FILES].sort());
    const b = checkBundle(await readBundle(`${dir}/bundle`), "b");
    assert.equal(b.results.path, `${dir}/r.json`);
    assert.equal(b.location, `${dir}/bundle`);
    // the results file's sha256 is that of its bytes
    const bytes = await Deno.readFile(`${ROOT}${dir}/r.json`);
    const sha = Array.from(
      new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)),
      (x) => x.toString(16).padStart(2, "0"),
    ).join("");
    assert.equal(b.results.sha256, sha);
    const again = await runTaskEnv("cite", CITE, [
      `${dir}/r.json`,
      "--all",
      "--out",
      `${dir}/bundle`,
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already exists \(identical\)/);
    // no temporary folder is left behind
    assert.deepEqual(
      (await listDir(dir)).filter((n) => n.includes(".tmp")),
      [],
    );
  });
});

Deno.test("cite --cells selects cells whose keys contain commas; default folder is results/cite/<hash16>", async () => {
  await withScratch(async (dir) => {
    const twoParams = noisyBenchmark({ id: "pairs" });
    await writeDoc(
      `${dir}/r.json`,
      await makeDocument([twoParams, noisyBenchmark()]),
    );
    const r = await runTaskEnv("cite", CITE, [
      `${dir}/r.json`,
      "--cells",
      "noisy/a=2,pairs/a=3",
      "--cells",
      "pairs/a=1",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const folder = r.stdout.trim().split("\n").at(-1)!;
    try {
      assert.match(folder, /^results\/cite\/[0-9a-f]{16}$/);
      const b = checkBundle(await readBundle(folder), folder);
      assert.deepEqual(b.cited.map((c) => `${c.benchmark.id}/${c.cell.key}`), [
        "pairs/a=1",
        "pairs/a=3",
        "noisy/a=2",
      ]);
      assert.ok(b.hash.startsWith(folder.slice(-16)));
    } finally {
      await Deno.remove(`${ROOT}${folder}`, { recursive: true });
      try {
        await Deno.remove(`${ROOT}results/cite`); // only if now empty
      } catch { /* holds other bundles */ }
    }
  });
});

Deno.test("cite rejects bad input with one line naming the file, exit 2, nothing written", async (t) => {
  await withScratch(async (dir) => {
    const good = await makeDocument([noisyBenchmark(), diverging]);
    await writeDoc(`${dir}/good.json`, good);
    await writeDoc(`${dir}/v2.json`, { ...good, schemaVersion: 2 });
    await Deno.writeTextFile(`${ROOT}${dir}/corrupt.json`, "{]");
    await Deno.mkdir(`${ROOT}${dir}/emptydir`);
    await Deno.mkdir(`${ROOT}${dir}/taken`);
    const before = await listDir(dir);
    const out = ["--out", `${dir}/b`];
    const cases: [string, string[], RegExp][] = [
      [
        "newer schema",
        [`${dir}/v2.json`, "--all", ...out],
        /v2\.json" as its schemaVersion is 2, newer/,
      ],
      [
        "corrupt JSON",
        [`${dir}/corrupt.json`, "--all", ...out],
        /corrupt\.json" as it is not valid JSON/,
      ],
      [
        "a folder",
        [`${dir}/emptydir`, "--all", ...out],
        /emptydir" as it cannot be opened/,
      ],
      [
        "missing file",
        [`${dir}/none.json`, "--all", ...out],
        /none\.json" as it cannot be opened/,
      ],
      ["no selection", [`${dir}/good.json`, ...out], /nothing to cite/],
      ["both selections", [
        `${dir}/good.json`,
        "--all",
        "--cells",
        "noisy",
        ...out,
      ], /either --cells or --all/],
      [
        "unknown benchmark",
        [`${dir}/good.json`, "--cells", "nope/a=1", ...out],
        /"nope" as the results have no such benchmark/,
      ],
      [
        "unknown cell",
        [`${dir}/good.json`, "--cells", "noisy/a=7", ...out],
        /"noisy\/a=7" as the benchmark has no such cell/,
      ],
      [
        "diverged cell",
        [`${dir}/good.json`, "--cells", "wild/a=2", ...out],
        /status is diverged: there is no number to cite/,
      ],
      [
        "malformed selector",
        [`${dir}/good.json`, "--cells", "Bad/a=1", ...out],
        /invalid --cells/,
      ],
      ["existing folder", [
        `${dir}/good.json`,
        "--all",
        "--out",
        `${dir}/taken`,
      ], /refusing to overwrite existing ".*taken"/],
      ["outside results", [
        `${dir}/good.json`,
        "--all",
        "--out",
        "/tmp/sgd-cite-x",
      ], /cannot write bundle "\/tmp\/sgd-cite-x": not permitted/],
    ];
    for (const [name, args, re] of cases) {
      await t.step(name, async () => {
        const r = await runTaskEnv("cite", CITE, args);
        assert.equal(r.code, 2, `${name}: exit ${r.code}\n${r.stderr}`);
        assert.match(oneErrorLine(r.stderr), re);
        assert.equal(r.stdout, "");
        assert.deepEqual(await listDir(dir), before);
        assert.deepEqual(await listDir(`${dir}/taken`), []);
      });
    }
  });
});
