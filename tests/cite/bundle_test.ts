import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  buildBundle,
  bundleHash,
  parseCellSpec,
} from "../../src/cite/bundle.ts";
import { BundleError, checkBundle } from "../../src/cite/check_bundle.ts";
import { formatUncertainty } from "../../src/cite/format_uncertainty.ts";
import { judgeReproduction } from "../../src/cite/judge_reproduction.ts";
import { camelWord, macroName, spellValue } from "../../src/cite/macro_name.ts";
import {
  headlineNumbers,
  renderBundleFiles,
} from "../../src/cite/render_bundle.ts";
import { cellDigest } from "../../src/results/digest.ts";
import type { ResultsDocument } from "../../src/results/types.ts";
import {
  costBenchmark,
  makeDocument,
  noisyBenchmark,
} from "../compare/_docs.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const SHA = "ab".repeat(32);

function bundleOf(
  doc: ResultsDocument,
  select: Parameters<typeof buildBundle>[1]["select"] = "all",
) {
  return buildBundle(doc, {
    resultsPath: "results/runs/x.json",
    resultsSha256: SHA,
    select,
    location: "results/cite/{hash}",
  });
}

Deno.test("formatUncertainty() rounds the uncertainty to two digits and the value to match", () => {
  // Worked by hand: se 2.3e-5 → digits at 1e-6; value 0.013866878 → 1.3867e-2 (4 decimals of the mantissa).
  assert.deepEqual(formatUncertainty(0.013866878, 0.000023), {
    latex: "1.3867(23)\\times10^{-2}",
    text: "(1.3867 ± 0.0023)e-2",
  });
  // se 0.0078 → 2 digits at 1e-4: 1.52213 → 1.5221
  assert.deepEqual(formatUncertainty(1.52213, 0.0078), {
    latex: "1.5221(78)",
    text: "1.5221 ± 0.0078",
  });
  // se 0.0996 rounds up to 0.10 (three digits "100" → one more place): 0.1 → 2 digits at 1e-2
  assert.deepEqual(formatUncertainty(3.14159, 0.0996), {
    latex: "3.14(10)",
    text: "3.14 ± 0.10",
  });
  // se ≥ 10 in plain notation: both as integers rounded to the uncertainty's second digit
  assert.deepEqual(formatUncertainty(1234.5, 230), {
    latex: "1230(230)",
    text: "1230 ± 230",
  });
  // large and negative values use scientific notation
  assert.equal(
    formatUncertainty(-123456, 789).latex,
    "-1.2346(79)\\times10^{5}",
  );
  // no uncertainty: significant digits
  assert.equal(
    formatUncertainty(0.0138510333, null, 6).latex,
    "1.38510\\times10^{-2}",
  );
  assert.equal(formatUncertainty(2, 0).latex, "2");
  assert.equal(formatUncertainty(0, null).text, "0");
  assert.throws(() => formatUncertainty(NaN, 1), RangeError);
  assert.throws(() => formatUncertainty(1, -1), RangeError);
});

Deno.test("macroName() and spellValue() give letters-only, distinct names", () => {
  assert.equal(camelWord("sgd_quadratic_speed"), "SgdQuadraticSpeed");
  assert.equal(spellValue(0.05), "ZeroPointZeroFive");
  assert.equal(spellValue(-1e-7), "MinusOneEMinusSeven");
  assert.equal(spellValue(false), "False");
  const names = [0.5, 0.05, 5, 50, 0.005, 5e-7, -5].map((v) =>
    macroName(["speed", "eta", spellValue(v)])
  );
  assert.equal(new Set(names).size, names.length);
  for (const n of names) assert.match(n, /^[A-Za-z]+$/);
});

Deno.test("parseCellSpec() splits items whose keys contain commas", () => {
  assert.deepEqual(
    parseCellSpec("sgd_quadratic_speed/batchSize=8,beta=0,eta=0.05"),
    [
      {
        benchmarkId: "sgd_quadratic_speed",
        key: "batchSize=8,beta=0,eta=0.05",
      },
    ],
  );
  assert.deepEqual(parseCellSpec("a/x=1,b"), [
    { benchmarkId: "a", key: "x=1" },
    { benchmarkId: "b", key: null },
  ]);
  assert.throws(() => parseCellSpec("/x=1"), SyntaxError);
  assert.throws(() => parseCellSpec("a/"), SyntaxError);
});

Deno.test("buildBundle() selects cells and hashes provenance and digests", async () => {
  const doc = await makeDocument([noisyBenchmark(), costBenchmark()]);
  const all = bundleOf(doc);
  assert.equal(all.cited.length, 4);
  assert.equal(all.location, `results/cite/${all.hash.slice(0, 16)}`);
  // The hash is sha256 of the canonical JSON of exactly these fields (recomputed here by hand).
  const expected = createHash("sha256").update(JSON.stringify({
    cells: all.cited.map((c) => ({
      benchmark: c.benchmark.id,
      digest: c.cell.digest,
      key: c.cell.key,
      seed: c.cell.seed,
      version: c.benchmark.version,
    })),
    commit: doc.source.commit,
    lockSha256: doc.source.lockSha256,
    resultsSha256: SHA,
    seed: doc.run.seed,
  })).digest("hex");
  assert.equal(all.hash, expected);
  const one = bundleOf(doc, parseCellSpec("noisy/a=2"));
  assert.deepEqual(one.cited.map((c) => c.cell.key), ["a=2"]);
  assert.deepEqual(one.cited[0]!.naming, ["a"]);
  assert.notEqual(one.hash, all.hash);
  assert.throws(
    () => bundleOf(doc, parseCellSpec("nope")),
    /no such benchmark/,
  );
  assert.throws(
    () => bundleOf(doc, parseCellSpec("noisy/a=9")),
    /no such cell/,
  );
});

Deno.test("renderBundleFiles() writes CITATION.cff, macros and a table from the bundle alone", async () => {
  const doc = await makeDocument([noisyBenchmark(), costBenchmark()]);
  const b = bundleOf(doc);
  const files = renderBundleFiles(b);
  assert.match(files["CITATION.cff"], /^cff-version: 1\.2\.0\n/);
  assert.match(
    files["CITATION.cff"],
    new RegExp(`value: "sgd-limits-bundle:sha256:${b.hash}"`),
  );
  assert.match(files["CITATION.cff"], /date-released: "2026-01-01"/);
  assert.match(files["CITATION.cff"], /commit: "0{40}"/);
  const numbers = headlineNumbers(b);
  // noisy: 3 cells × (value + exact); timed: 1 cost value
  assert.equal(numbers.length, 7);
  for (const h of numbers) {
    assert.match(h.macro, /^sgdl[A-Za-z]+$/);
    assert.ok(
      files["macros.tex"].includes(`\\newcommand{\\${h.macro}}{\\ensuremath{`),
    );
  }
  assert.ok(numbers.some((h) => h.macro === "sgdlNoisyAOneMean"));
  assert.ok(numbers.some((h) => h.macro === "sgdlNoisyAOneMeanExact"));
  assert.match(
    files["table.md"],
    /\| noisy \| a=1 \| mean \| [0-9.]+ ± 0\.050 \| 400 \|/,
  );
  assert.ok(
    files["README.md"].includes(
      `git checkout ${"0".repeat(40)} && ./task verify ${b.location}`,
    ),
  );
  assert.deepEqual(renderBundleFiles(b), files, "deterministic");
});

Deno.test("checkBundle() accepts a rendered bundle and rejects edits with a clear message", async (t) => {
  const doc = await makeDocument([noisyBenchmark()]);
  const files: Record<string, string> = renderBundleFiles(bundleOf(doc));
  assert.equal(checkBundle(files, "b").hash, bundleOf(doc).hash);
  const edit = (fn: (j: Json) => void) => {
    const j = JSON.parse(files["bundle.json"]!);
    fn(j);
    return { ...files, "bundle.json": JSON.stringify(j) };
  };
  const cases: [string, Record<string, string | undefined>, RegExp][] = [
    [
      "edited value",
      edit((j) => (j.cited[0].cell.metrics.mean.value += 0.001)),
      /digest does not match/,
    ],
    [
      "edited prediction",
      edit((j) => (j.cited[0].cell.metrics.mean.references.exact.value = 1.5)),
      /digest does not match/,
    ],
    [
      "edited hash",
      edit((j) => (j.hash = "0".repeat(64))),
      /hash 0{64} does not match its contents/,
    ],
    ["edited seed", edit((j) => (j.run.seed = "2")), /hash .* does not match/],
    [
      "edited commit",
      edit((j) => (j.source.commit = "f".repeat(40))),
      /hash .* does not match/,
    ],
    [
      "other bundle version",
      edit((j) => (j.bundleVersion = 2)),
      /bundleVersion is 2/,
    ],
    ["extra field", edit((j) => (j.extra = 1)), /has fields/],
    [
      "bad environment",
      edit((j) => (j.environment.backend = "gpu")),
      /schema at \/environment\/backend/,
    ],
    ["edited macro", {
      ...files,
      "macros.tex": files["macros.tex"]!.replace(/\d\.\d/, "9.9"),
    }, /macros\.tex does not match/],
    [
      "edited table",
      { ...files, "table.md": files["table.md"] + "x" },
      /table\.md does not match/,
    ],
    [
      "missing CITATION.cff",
      { ...files, "CITATION.cff": undefined },
      /CITATION\.cff is missing/,
    ],
    ["missing bundle.json", {}, /bundle\.json is missing/],
    ["corrupt JSON", { ...files, "bundle.json": "{" }, /not valid JSON/],
  ];
  for (const [name, f, re] of cases) {
    await t.step(name, () => {
      assert.throws(() => checkBundle(f, "dir"), (e: Error) => {
        assert.ok(e instanceof BundleError, String(e));
        assert.match(e.message, /^Cannot read bundle "dir" as /);
        assert.match(e.message, re);
        return true;
      });
    });
  }
});

Deno.test("judgeReproduction() tells identical, within-tolerance and changed numbers apart", async () => {
  const doc = await makeDocument([noisyBenchmark(), costBenchmark()]);
  const b = bundleOf(doc);
  const same = judgeReproduction(b, doc);
  assert.equal(same.reproduced, true);
  assert.deepEqual(
    same.rows.map((r) => r.status),
    ["reproduced", "reproduced", "reproduced", "cost"],
  );
  assert.match(same.rows[3]!.detail, /same machine class: ×1\.000/);
  // Another seed: same distribution, |Δ| ~ √2·σ ≪ 4√2·σ.
  const other = await makeDocument([noisyBenchmark(), costBenchmark()], {
    seed: 5n,
  });
  const r2 = judgeReproduction(b, other);
  assert.equal(r2.reproduced, true);
  assert.ok(
    r2.rows.filter((r) => r.kind === "accuracy").every((r) =>
      r.status === "within-tolerance"
    ),
  );
  // A theory change at another seed is not reproduced even though values agree.
  const theory = await makeDocument([
    noisyBenchmark({ theory: 1.001 }),
    costBenchmark(),
  ], { seed: 5n });
  const r3 = judgeReproduction(b, theory);
  assert.equal(r3.reproduced, false);
  assert.match(r3.rows[0]!.detail, /prediction "exact" changed/);
  // A shifted measurement (20σ) is not reproduced.
  const shifted = await makeDocument([
    noisyBenchmark({ shift: 20 }),
    costBenchmark(),
  ], { seed: 5n });
  assert.match(
    judgeReproduction(b, shifted).rows[0]!.detail,
    /\|Δ\| = .* > 4·√\(se²\+se²\)/,
  );
  // Missing cells carry the caller's reason; another machine makes cost lines "not comparable".
  const r4 = judgeReproduction(b, {
    benchmarks: [],
    environment: { ...doc.environment, cpuModel: "Other" },
  }, {
    unavailable: new Map([[
      "noisy/a=1",
      "benchmark version changed (v1 cited, v2 here)",
    ]]),
  });
  assert.equal(r4.reproduced, false);
  assert.equal(
    r4.rows[0]!.detail,
    "benchmark version changed (v1 cited, v2 here)",
  );
  assert.equal(r4.rows[1]!.detail, "the cell was not re-run");
});

Deno.test("checkBundle() catches a cell whose digest was recomputed after an edit via the hash", async () => {
  // An attacker who edits a value AND recomputes the cell digest still changes the bundle hash input.
  const doc = await makeDocument([noisyBenchmark()]);
  const b = bundleOf(doc);
  const j: Json = JSON.parse(renderBundleFiles(b)["bundle.json"]);
  j.cited[0].cell.metrics.mean.value += 0.001;
  const { digest: _old, ...rest } = j.cited[0].cell;
  j.cited[0].cell.digest = cellDigest(rest);
  assert.notEqual(bundleHash(j), b.hash);
  assert.throws(
    () =>
      checkBundle(
        { ...renderBundleFiles(b), "bundle.json": JSON.stringify(j) },
        "d",
      ),
    /hash .* does not match its contents/,
  );
});
