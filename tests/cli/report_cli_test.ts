import assert from "node:assert/strict";
import {
  listDir,
  oneErrorLine,
  ROOT,
  runTask,
  withScratch,
} from "../_util/cli.ts";
import { demoDocument, writeDocument } from "../report/_fixtures.ts";

const REPORT = "src/cli/report.ts";
const MARKER = ".sgd-limits-report";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(`${ROOT}${path}`);
    return true;
  } catch {
    return false;
  }
}

/** Two valid results files, a hidden file and a non-JSON file in `<dir>/runs`. */
async function writeRuns(dir: string): Promise<void> {
  await Deno.mkdir(`${ROOT}${dir}/runs`);
  await writeDocument(
    `${ROOT}${dir}/runs/a.json`,
    await demoDocument({ id: "cli-a", startedAt: "2026-01-01T00:00:00Z" }),
  );
  await writeDocument(
    `${ROOT}${dir}/runs/b.json`,
    await demoDocument({
      id: "cli-b",
      startedAt: "2026-01-02T00:00:00Z",
      cpuModel: "Other CPU",
    }),
  );
  await Deno.writeTextFile(`${ROOT}${dir}/runs/.hidden.json`, "not json");
  await Deno.writeTextFile(`${ROOT}${dir}/runs/notes.txt`, "not json");
}

Deno.test("report --help prints usage and exits 0", async () => {
  const r = await runTask("report", REPORT, ["--help"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /USAGE:/);
});

Deno.test("report rejects bad input with one error line, exit 2 and nothing written", async (t) => {
  await withScratch(async (dir) => {
    await writeRuns(dir);
    await Deno.mkdir(`${ROOT}${dir}/empty`);
    await Deno.mkdir(`${ROOT}${dir}/hidden-only`);
    await Deno.writeTextFile(`${ROOT}${dir}/hidden-only/.x.json`, "{}");
    await Deno.writeTextFile(`${ROOT}${dir}/bad.json`, "{ not json");
    await Deno.writeTextFile(`${ROOT}${dir}/v2.json`, '{"schemaVersion": 2}\n');
    await Deno.mkdir(`${ROOT}${dir}/taken`);
    await Deno.writeTextFile(`${ROOT}${dir}/taken/keep.txt`, "keep\n");
    await Deno.writeTextFile(`${ROOT}${dir}/file-out`, "keep\n");
    const out = `${dir}/site`;
    const cases: [string, string[], RegExp][] = [
      ["no inputs", ["--out", out], /no results file or folder given/],
      ["unknown flag", [`${dir}/runs`, "--bogus", "--out", out], /bogus/],
      [
        "missing file",
        [`${dir}/nope.json`, "--out", out],
        /"[^"]*nope\.json": no such file or folder/,
      ],
      [
        "malformed file",
        [`${dir}/runs`, `${dir}/bad.json`, "--out", out],
        /bad\.json.*not valid JSON/,
      ],
      [
        "other schema version",
        [`${dir}/v2.json`, "--out", out],
        /v2\.json.*schemaVersion is 2, newer/,
      ],
      [
        "empty folder",
        [`${dir}/empty`, "--out", out],
        /folder "[^"]*empty" holds no results files/,
      ],
      [
        "only hidden files",
        [`${dir}/hidden-only`, "--out", out],
        /holds no results files/,
      ],
      [
        "--out not made by report",
        [`${dir}/runs`, "--out", `${dir}/taken`],
        /refusing to replace .*not written by report/,
      ],
      [
        "--out is a file",
        [`${dir}/runs`, "--out", `${dir}/file-out`],
        /not a folder/,
      ],
      ["--out outside results/", [
        `${dir}/runs`,
        "--out",
        "/tmp/sgd-limits-report-test-out",
      ], /not permitted/],
    ];
    for (const [name, args, re] of cases) {
      await t.step(name, async () => {
        const r = await runTask("report", REPORT, args);
        assert.equal(r.code, 2, `${name}: exit ${r.code}\n${r.stderr}`);
        assert.match(oneErrorLine(r.stderr), re);
        assert.equal(r.stdout, "");
        assert.equal(await exists(out), false);
      });
    }
    await t.step("the same run in two files", async () => {
      await Deno.copyFile(
        `${ROOT}${dir}/runs/a.json`,
        `${ROOT}${dir}/copy.json`,
      );
      const r = await runTask("report", REPORT, [
        `${dir}/runs`,
        `${dir}/copy.json`,
        "--out",
        out,
      ]);
      assert.equal(r.code, 2);
      assert.match(oneErrorLine(r.stderr), /run "cli-a" is given twice/);
      assert.equal(await exists(out), false);
    });
    assert.deepEqual(await listDir(`${dir}/taken`), ["keep.txt"]);
    assert.equal(await Deno.readTextFile(`${ROOT}${dir}/file-out`), "keep\n");
    assert.equal(await exists("/tmp/sgd-limits-report-test-out"), false);
    // No temporary folders left behind.
    assert.ok(
      (await listDir(dir)).every((n) =>
        !n.includes(".tmp-") && !n.includes(".old-")
      ),
    );
  });
});

Deno.test("report writes the site, prints the index path last and replaces only its own folders", async () => {
  await withScratch(async (dir) => {
    await writeRuns(dir);
    const out = `${dir}/site`;
    const r = await runTask("report", REPORT, [
      `${dir}/runs`,
      `${dir}/runs/a.json`,
      "--out",
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split("\n").at(-1), `${out}/index.html`);
    assert.match(r.stderr, /2 run\(s\), 1 benchmark page\(s\)/);
    assert.deepEqual(await listDir(out), [MARKER, "benchmarks", "index.html"]);
    assert.deepEqual(await listDir(`${out}/benchmarks`), ["report_demo.html"]);
    const index = await Deno.readTextFile(`${ROOT}${out}/index.html`);
    assert.ok(index.includes("cli-a") && index.includes("cli-b"));
    assert.ok(!index.includes(".hidden.json"));
    const page = await Deno.readTextFile(
      `${ROOT}${out}/benchmarks/report_demo.html`,
    );
    // chart.js 4.6.1 is inlined, not linked.
    assert.ok(page.length > 150_000);
    assert.doesNotMatch(page, /<script[^>]+src=/);

    await checkReplace(dir, out);
  });
});

/** Reruns into the report's own folder (replaced whole) and into an empty folder. */
async function checkReplace(dir: string, out: string): Promise<void> {
  await Deno.writeTextFile(`${ROOT}${out}/stale.txt`, "old\n");
  const r = await runTask("report", REPORT, [
    `${dir}/runs/b.json`,
    "--out",
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await listDir(out), [MARKER, "benchmarks", "index.html"]);
  const index = await Deno.readTextFile(`${ROOT}${out}/index.html`);
  assert.ok(index.includes("cli-b") && !index.includes("cli-a"));
  assert.deepEqual((await listDir(dir)).filter((n) => n.startsWith(".")), []);
  // An existing empty folder is filled.
  await Deno.mkdir(`${ROOT}${dir}/empty-out`);
  const e = await runTask("report", REPORT, [
    `${dir}/runs/b.json`,
    "--out",
    `${dir}/empty-out/`,
  ]);
  assert.equal(e.code, 0, e.stderr);
  assert.equal(e.stdout.trim(), `${dir}/empty-out/index.html`);
  assert.ok(await exists(`${dir}/empty-out/${MARKER}`));
}
