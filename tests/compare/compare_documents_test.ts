import assert from "node:assert/strict";
import { defineBenchmark } from "../../src/bench/types.ts";
import {
  compareDocuments,
  type ComparisonReport,
} from "../../src/compare/compare_documents.ts";
import { markdownReport, textReport } from "../../src/compare/format_report.ts";
import { gabEntries } from "../../src/compare/gab_entries.ts";
import { Rng } from "../../src/random/rng.ts";
import { costBenchmark, makeDocument, noisyBenchmark } from "./_docs.ts";

const rng = () => Rng.fromSeed(1n);

function statuses(r: ComparisonReport): string[] {
  return r.findings.map((f) => f.status);
}

Deno.test("compareDocuments() calls a run identical to itself", async () => {
  const doc = await makeDocument([noisyBenchmark()]);
  const r = compareDocuments(doc, doc, { rng: rng() });
  assert.equal(r.outcome, "pass");
  assert.deepEqual(statuses(r), ["identical", "identical", "identical"]);
  assert.equal(r.tests, 0);
});

Deno.test("compareDocuments() reports a changed theory constant as an accuracy regression", async () => {
  // Same seed, same measured values; only the prediction changes by 1 % — well inside the 4σ verdict
  // (σ = 0.05, a ≤ 3), so only the prediction check can catch it.
  const base = await makeDocument([noisyBenchmark({ theory: 1 })]);
  const cand = await makeDocument([noisyBenchmark({ theory: 1.01 })]);
  assert.equal(cand.summary.fail, 0);
  const r = compareDocuments(base, cand, { rng: rng() });
  assert.equal(r.outcome, "accuracy-regression");
  const changed = r.findings.filter((f) =>
    f.reason.startsWith("predicted value changed")
  );
  assert.equal(changed.length, 3);
  assert.equal(changed[0]!.metric, "mean.exact");
  assert.equal(changed[0]!.status, "accuracy-regression");
  // The measured values are equal, so they are not flagged.
  assert.ok(
    r.findings.filter((f) => f.metric === "mean").every((f) =>
      f.status === "unchanged"
    ),
  );
});

Deno.test("compareDocuments() flags a verdict that turns to fail", async () => {
  const base = await makeDocument([noisyBenchmark()]);
  const cand = await makeDocument([noisyBenchmark({ shift: 30 })]);
  const r = compareDocuments(base, cand, { rng: rng() });
  assert.equal(r.outcome, "accuracy-regression");
  assert.ok(
    r.findings.some((f) =>
      /verdict against "exact" pass → fail/.test(f.reason)
    ),
  );
  // 30σ shift with combined σ√2: z ≈ 21 → also a significant value change.
  assert.ok(
    r.findings.some((f) =>
      f.metric === "mean" && f.status === "accuracy-regression"
    ),
  );
  const back = compareDocuments(cand, base, { rng: rng() });
  assert.ok(
    back.findings.some((f) =>
      f.status === "improvement" && /fail → pass/.test(f.reason)
    ),
  );
});

Deno.test("compareDocuments() judges other seeds by the z test, controlled by Holm", async (t) => {
  await t.step("same distribution, other seed: within noise", async () => {
    const base = await makeDocument([
      noisyBenchmark({ grid: [1, 2, 3, 4, 5, 6] }),
    ], { seed: 1n });
    const cand = await makeDocument([
      noisyBenchmark({ grid: [1, 2, 3, 4, 5, 6] }),
    ], { seed: 2n });
    const r = compareDocuments(base, cand, { rng: rng() });
    assert.equal(r.tests, 6);
    assert.equal(r.outcome, "pass");
    for (const f of r.findings) {
      assert.equal(f.status, "unchanged");
      assert.ok(f.pAdjusted! >= f.p!);
    }
  });
  await t.step("a 10σ shift is detected", async () => {
    const base = await makeDocument([noisyBenchmark()], { seed: 1n });
    const cand = await makeDocument([noisyBenchmark({ shift: 10 })], {
      seed: 2n,
    });
    const r = compareDocuments(base, cand, { rng: rng() });
    // combined σ = σ√2, so z ≈ 10/√2 ± 1 ≈ 7.1 ± 1: Holm needs |z| ≳ 3.2, missed with P ≈ Φ(−3.9) ≈ 5e-5
    const flagged = r.findings.filter((f) =>
      f.metric === "mean" && f.status === "accuracy-regression"
    );
    assert.equal(flagged.length, 3, textReport(r));
    for (const f of flagged) assert.match(f.reason, /changed significantly/);
  });
  await t.step("different quick flags are incomparable", async () => {
    const base = await makeDocument([noisyBenchmark()], { quick: false });
    const cand = await makeDocument([noisyBenchmark()], { quick: true });
    const r = compareDocuments(base, cand, { rng: rng() });
    assert.equal(r.outcome, "incomparable");
    assert.match(r.findings[0]!.reason, /quick flag differs/);
  });
});

Deno.test("compareDocuments() compares only equal benchmark versions and lists added and removed items", async () => {
  const base = await makeDocument([
    noisyBenchmark({ id: "kept", grid: [1, 2] }),
    noisyBenchmark({ id: "bumped" }),
    noisyBenchmark({ id: "gone" }),
  ]);
  const cand = await makeDocument([
    noisyBenchmark({ id: "kept", grid: [2, 3] }),
    noisyBenchmark({ id: "bumped", version: 2 }),
    noisyBenchmark({ id: "fresh" }),
  ]);
  const r = compareDocuments(base, cand, { rng: rng() });
  assert.equal(r.outcome, "incomparable");
  const by = (id: string, key: string | null = null) =>
    r.findings.filter((f) => f.benchmarkId === id && f.key === key).map((f) =>
      f.status
    );
  assert.deepEqual(by("bumped"), ["incomparable"]);
  assert.deepEqual(by("fresh"), ["added"]);
  assert.deepEqual(by("gone"), ["removed"]);
  assert.deepEqual(by("kept", "a=2"), ["identical"]);
  assert.deepEqual(by("kept", "a=3"), ["added"]);
  assert.deepEqual(by("kept", "a=1"), ["removed"]);
});

Deno.test("compareDocuments() treats ok → diverged as a regression and a deterministic change by rtol", async () => {
  const make = (divergeAt: number | null, scale: number) =>
    defineBenchmark({
      id: "det",
      version: 1,
      title: "",
      paperRef: "",
      grid: { a: [1, 2] },
      metrics: {
        v: { unit: "1", better: "lower", kind: "accuracy", description: "" },
      },
      run: (p) =>
        Number(p.a) === divergeAt
          ? { metrics: {}, diverged: "blew up" }
          : { metrics: { v: { value: Number(p.a) * scale } } },
    });
  const base = await makeDocument([make(null, 1)]);
  const cand = await makeDocument([make(2, 1 + 1e-9)]);
  const r = compareDocuments(base, cand, { rng: rng() });
  const cell1 = r.findings.find((f) => f.key === "a=1")!;
  assert.equal(cell1.status, "unchanged");
  assert.match(cell1.reason, /within rtol/);
  const cell2 = r.findings.find((f) => f.key === "a=2")!;
  assert.equal(cell2.status, "accuracy-regression");
  assert.match(cell2.reason, /status ok → diverged: blew up/);
  const worse = await makeDocument([make(null, 1.5)]);
  const better = await makeDocument([make(null, 0.5)]);
  assert.equal(
    compareDocuments(base, worse, { rng: rng() }).outcome,
    "accuracy-regression",
  );
  const imp = compareDocuments(base, better, { rng: rng() });
  assert.equal(imp.outcome, "pass");
  assert.equal(imp.counts.improvement, 2);
});

Deno.test("compareDocuments() judges cost metrics by Mann-Whitney, minimum effect and machine", async (t) => {
  const base = await makeDocument([costBenchmark()]);
  await t.step(
    "50 % slower on the same machine is a cost regression",
    async () => {
      const cand = await makeDocument([
        costBenchmark({ factor: 1.5, noiseSeed: 7n }),
      ]);
      const r = compareDocuments(base, cand, { rng: rng() });
      assert.equal(r.outcome, "cost-regression");
      const f = r.findings.find((x) => x.kind === "cost")!;
      assert.equal(f.status, "cost-regression");
      // all 8 candidate repeats above all 8 baseline ones: exact p = 2/C(16, 8)
      assert.ok(Math.abs(f.p! - 2 / 12870) < 1e-15);
      assert.ok(f.interval![0] <= f.ratio! && f.ratio! <= f.interval![1]);
      assert.ok(Math.abs(f.ratio! - 1.5) < 0.05);
    },
  );
  await t.step(
    "5 % slower is significant but below the 10 % minimum effect",
    async () => {
      const cand = await makeDocument([
        costBenchmark({ factor: 1.05, noise: 0.002, noiseSeed: 7n }),
      ]);
      const base2 = await makeDocument([costBenchmark({ noise: 0.002 })]);
      const r = compareDocuments(base2, cand, { rng: rng() });
      const f = r.findings.find((x) => x.kind === "cost")!;
      assert.equal(f.status, "unchanged");
      assert.match(f.reason, /below the 10 % minimum effect/);
      assert.equal(
        compareDocuments(base2, cand, { rng: rng(), minEffect: 0.03 }).outcome,
        "cost-regression",
      );
    },
  );
  await t.step(
    "faster is an improvement; better=higher flips the direction",
    async () => {
      const fast = await makeDocument([
        costBenchmark({ factor: 0.5, noiseSeed: 7n }),
      ]);
      assert.equal(
        compareDocuments(base, fast, { rng: rng() }).counts.improvement,
        1,
      );
      const hiBase = await makeDocument([costBenchmark({ better: "higher" })]);
      const hiLow = await makeDocument([
        costBenchmark({ better: "higher", factor: 0.5, noiseSeed: 7n }),
      ]);
      assert.equal(
        compareDocuments(hiBase, hiLow, { rng: rng() }).outcome,
        "cost-regression",
      );
    },
  );
  await t.step(
    "another machine is incomparable, not a regression",
    async () => {
      const cand = await makeDocument([costBenchmark({ factor: 3 })], {
        env: { cpuModel: "Other CPU", logicalCores: 4 },
      });
      const r = compareDocuments(base, cand, { rng: rng() });
      assert.equal(r.outcome, "incomparable");
      assert.deepEqual(r.machineDifferences, ["cpuModel", "logicalCores"]);
      assert.match(
        r.findings.find((x) => x.kind === "cost")!.reason,
        /different machine: cpuModel, logicalCores/,
      );
      // a software difference (Deno version) does not make runs incomparable
      const newer = await makeDocument([costBenchmark({ factor: 3 })], {
        env: { deno: "2.9.7" },
      });
      assert.equal(
        compareDocuments(base, newer, { rng: rng() }).outcome,
        "cost-regression",
      );
    },
  );
  await t.step("too few repeats cannot be significant", async () => {
    const two = await makeDocument([costBenchmark({ factor: 3 })], {
      repeats: 2,
    });
    const four = await makeDocument([costBenchmark({ factor: 3 })], {
      repeats: 4,
    });
    const r2 = compareDocuments(base, two, { rng: rng() });
    assert.equal(r2.outcome, "pass");
    assert.match(
      r2.findings.find((x) => x.kind === "cost")!.reason,
      /insufficient repeats \(8 vs 2/,
    );
    // 8 vs 4: smallest attainable p = 2/C(12, 4) ≈ 0.004 < 0.01, so testable; 4 vs 4 (0.029) is not
    assert.equal(
      compareDocuments(base, four, { rng: rng() }).outcome,
      "cost-regression",
    );
    const base4 = await makeDocument([costBenchmark()], { repeats: 4 });
    const r4 = compareDocuments(base4, four, { rng: rng() });
    assert.match(
      r4.findings.find((x) => x.kind === "cost")!.reason,
      /smallest attainable p = 0.02857/,
    );
  });
});

Deno.test("compareDocuments() keeps false alarms rare over many unchanged cost metrics (Holm)", async () => {
  // 40 cells of pure noise, same distribution on both sides. Unadjusted at α = 0.01 about 0.4 false alarms are
  // expected; Holm keeps P(any) ≤ 0.01. With these fixed seeds: none.
  const base = await makeDocument([
    costBenchmark({ cells: 40, noise: 0.05, noiseSeed: 1n }),
  ]);
  const cand = await makeDocument([
    costBenchmark({ cells: 40, noise: 0.05, noiseSeed: 2n }),
  ]);
  const r = compareDocuments(base, cand, { rng: rng() });
  assert.equal(r.tests, 40);
  assert.equal(r.counts["cost-regression"], 0);
  assert.equal(r.outcome, "pass");
  const raw = r.findings.filter((f) => f.p !== null && f.p < 0.05).length;
  assert.ok(raw <= 8, `raw p < 0.05 in ${raw} of 40`);
});

Deno.test("markdownReport(), textReport() and gabEntries() render a comparison", async () => {
  const base = await makeDocument([noisyBenchmark(), costBenchmark()]);
  const cand = await makeDocument([
    noisyBenchmark({ theory: 2 }),
    costBenchmark({ factor: 2, noiseSeed: 3n }),
  ]);
  const r = compareDocuments(base, cand, { rng: rng() });
  const md = markdownReport(r);
  assert.match(md, /^## sgd-limits compare: accuracy regression \(exit 3\)/);
  assert.ok(
    md.indexOf("### Accuracy regressions") < md.indexOf("### Cost regressions"),
  );
  assert.match(
    md,
    /\| timed \/ k=0 \| ms \| \d+\.\d+ ms \| \d+\.\d+ ms \| ×\d\.\d+ \[/,
  );
  const text = textReport(r);
  assert.match(text, /result: accuracy regression \(exit 3\)/);
  const lower = gabEntries(cand, "lower");
  assert.equal(lower.length, 1);
  assert.equal(lower[0]!.name, "timed/k=0/ms");
  assert.equal(lower[0]!.unit, "ms");
  assert.deepEqual(gabEntries(cand, "higher"), []);
});

Deno.test("compareDocuments() calls a metric whose kind or unit changed without a version bump incomparable", async () => {
  const base = await makeDocument([costBenchmark()]);
  const asAccuracy = structuredClone(base) as unknown as {
    benchmarks: {
      cells: { metrics: Record<string, { kind: string; unit: string }> }[];
    }[];
  };
  asAccuracy.benchmarks[0]!.cells[0]!.metrics.ms!.unit = "s";
  const r = compareDocuments(base, asAccuracy as never, { rng: rng() });
  assert.equal(r.outcome, "incomparable");
  assert.match(
    r.findings.find((f) => f.metric === "ms")!.reason,
    /unit changed "ms" → "s"/,
  );
  asAccuracy.benchmarks[0]!.cells[0]!.metrics.ms!.unit = "ms";
  asAccuracy.benchmarks[0]!.cells[0]!.metrics.ms!.kind = "accuracy";
  const k = compareDocuments(base, asAccuracy as never, { rng: rng() });
  assert.match(
    k.findings.find((f) => f.metric === "ms")!.reason,
    /kind changed cost → accuracy/,
  );
});

Deno.test("compareDocuments() rejects out-of-range options", async () => {
  const doc = await makeDocument([noisyBenchmark()]);
  assert.throws(
    () => compareDocuments(doc, doc, { rng: rng(), alpha: 0 }),
    RangeError,
  );
  assert.throws(
    () => compareDocuments(doc, doc, { rng: rng(), minEffect: -1 }),
    RangeError,
  );
  assert.throws(
    () => compareDocuments(doc, doc, { rng: rng(), rtol: NaN }),
    RangeError,
  );
  assert.throws(
    () => compareDocuments(doc, doc, { rng: rng(), minRepeats: 1 }),
    RangeError,
  );
});
