import assert from "node:assert/strict";
import { canonicalJson } from "../../src/results/canonical_json.ts";
import type { ResultsDocument } from "../../src/results/types.ts";
import { makeDocument, noisyBenchmark } from "../compare/_docs.ts";
import {
  oneErrorLine,
  quickBenchArgs,
  readJson,
  ROOT,
  runTaskEnv,
  withScratch,
  writeDoc,
} from "../_util/cli.ts";

const VERIFY = "src/cli/verify.ts";
const CELL = "batchSize=8,beta=0.9,eta=0.05,weightDecay=0.001";

async function copyBundle(
  from: string,
  to: string,
  edit?: (name: string, text: string) => string,
) {
  await Deno.mkdir(`${ROOT}${to}`);
  for await (const e of Deno.readDir(`${ROOT}${from}`)) {
    const text = await Deno.readTextFile(`${ROOT}${from}/${e.name}`);
    await Deno.writeTextFile(
      `${ROOT}${to}/${e.name}`,
      edit ? edit(e.name, text) : text,
    );
  }
}

Deno.test("cite then verify on a quick run reproduces bit-identically; edits are caught", async (t) => {
  await withScratch(async (dir) => {
    const bench = await runTaskEnv(
      "bench",
      "src/cli/bench.ts",
      quickBenchArgs(5, `${dir}/run.json`),
    );
    assert.ok(bench.code === 0 || bench.code === 3, bench.stderr);
    const cite = await runTaskEnv("cite", "src/cli/cite.ts", [
      `${dir}/run.json`,
      "--cells",
      `sgd_quadratic_speed/${CELL}`,
      "--out",
      `${dir}/b`,
    ]);
    assert.equal(cite.code, 0, cite.stderr);

    await t.step("verify reproduces the cited cell only", async () => {
      const v = await runTaskEnv("verify", VERIFY, [`${dir}/b`]);
      assert.equal(v.code, 0, v.stderr + v.stdout);
      assert.match(
        v.stdout,
        new RegExp(
          `^reproduced\\s+sgd_quadratic_speed/${CELL} speed: .*bit-identical`,
          "m",
        ),
      );
      assert.match(
        v.stdout,
        /1 of 1 cited accuracy number\(s\) reproduced; same machine class/,
      );
      assert.match(v.stderr, /\[1\/1\] sgd_quadratic_speed/);
    });

    const tampered: [string, (name: string, text: string) => string, RegExp][] =
      [
        [
          "edited value",
          (n, s) => {
            if (n !== "bundle.json") return s;
            const j = JSON.parse(s);
            j.cited[0].cell.metrics.speed.value *= 1.01;
            return canonicalJson(j);
          },
          /digest does not match its contents/,
        ],
        [
          "edited hash",
          (n, s) =>
            n === "bundle.json"
              ? s.replace(/"hash": "[0-9a-f]/, '"hash": "x').replace(
                '"hash": "x',
                '"hash": "0',
              )
              : s,
          /hash .* does not match its contents/,
        ],
        [
          "edited macro",
          (n, s) =>
            n === "macros.tex"
              ? s.replace(/\\ensuremath\{\d/, "\\ensuremath{9")
              : s,
          /macros\.tex does not match bundle\.json/,
        ],
        [
          "deleted README",
          (n, s) => n === "README.md" ? "" : s,
          /README\.md does not match/,
        ],
      ];
    for (const [name, edit, re] of tampered) {
      await t.step(`verify rejects a bundle with an ${name}`, async () => {
        const to = `${dir}/t-${name.replace(/\W/g, "")}`;
        await copyBundle(`${dir}/b`, to, edit);
        const v = await runTaskEnv("verify", VERIFY, [to]);
        assert.equal(v.code, 2, `${name}: ${v.stderr}`);
        assert.match(
          oneErrorLine(v.stderr),
          new RegExp(`Cannot read bundle ".*t-\\w+" as `),
        );
        assert.match(v.stderr, re);
      });
    }

    await t.step(
      "a changed benchmark version or an unknown benchmark is not reproduced (exit 3)",
      async () => {
        const doc = await readJson(`${dir}/run.json`) as ResultsDocument;
        const bumped = structuredClone(doc) as unknown as {
          benchmarks: { version: number }[];
        };
        bumped.benchmarks[0]!.version = 99; // the digest does not cover the version: still a valid file
        await writeDoc(`${dir}/bumped.json`, bumped);
        await writeDoc(
          `${dir}/synthetic.json`,
          await makeDocument([noisyBenchmark()]),
        );
        for (
          const [file, re] of [[
            "bumped",
            /benchmark version changed \(v99 cited, v\d+ here\)/,
          ], ["synthetic", /benchmark no longer in the registry/]] as const
        ) {
          const c = await runTaskEnv("cite", "src/cli/cite.ts", [
            `${dir}/${file}.json`,
            "--all",
            "--out",
            `${dir}/c-${file}`,
          ]);
          assert.equal(c.code, 0, c.stderr);
          const v = await runTaskEnv("verify", VERIFY, [`${dir}/c-${file}`]);
          assert.equal(v.code, 3, v.stderr + v.stdout);
          assert.match(v.stdout, re);
          assert.match(v.stdout, /^not-reproduced/m);
        }
      },
    );
  });
});

Deno.test("verify rejects missing, empty and malformed bundles with one line and exit 2", async (t) => {
  await withScratch(async (dir) => {
    await Deno.mkdir(`${ROOT}${dir}/empty`);
    await Deno.mkdir(`${ROOT}${dir}/corrupt`);
    await Deno.writeTextFile(`${ROOT}${dir}/corrupt/bundle.json`, "{not json");
    await Deno.writeTextFile(`${ROOT}${dir}/file.txt`, "x");
    const cases: [string, string[], RegExp][] = [
      ["missing folder", [`${dir}/none`], /none" as it cannot be opened/],
      ["empty folder", [`${dir}/empty`], /empty" as bundle\.json is missing/],
      [
        "corrupt bundle.json",
        [`${dir}/corrupt`],
        /corrupt" as bundle\.json is not valid JSON/,
      ],
      ["a file", [`${dir}/file.txt`], /file\.txt" as it is not a folder/],
      ["no argument", [], /expected one bundle folder, got 0/],
      [
        "bad backend",
        [`${dir}/empty`, "--backend", "gpu"],
        /invalid --backend "gpu"/,
      ],
    ];
    for (const [name, args, re] of cases) {
      await t.step(name, async () => {
        const r = await runTaskEnv("verify", VERIFY, args);
        assert.equal(r.code, 2, `${name}: exit ${r.code}\n${r.stderr}`);
        assert.match(oneErrorLine(r.stderr), re);
        assert.equal(r.stdout, "");
      });
    }
  });
});
