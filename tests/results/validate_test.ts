import assert from "node:assert/strict";
import { canonicalJson } from "../../src/results/canonical_json.ts";
import {
  parseResults,
  ResultsError,
  validateResults,
} from "../../src/results/validate.ts";
import { sampleDocument } from "../_util/sample_results.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

async function mutated(edit: (d: Json) => void): Promise<Json> {
  const d: Json = structuredClone(await sampleDocument());
  edit(d);
  return d;
}

Deno.test("validateResults() accepts a document written by the runner", async () => {
  const doc = await sampleDocument();
  assert.equal(validateResults(doc, "x").benchmarks[0]!.cells.length, 2);
  assert.equal(parseResults(canonicalJson(doc), "x").schemaVersion, 1);
});

Deno.test("validateResults() rejects bad documents with a message naming the source", async (t) => {
  const cases: [string, (d: Json) => void, RegExp][] = [
    [
      "newer schema version",
      (d) => (d.schemaVersion = 2),
      /schemaVersion is 2, newer/,
    ],
    [
      "older schema version",
      (d) => (d.schemaVersion = 0),
      /schemaVersion is 0, older/,
    ],
    [
      "missing schema version",
      (d) => delete d.schemaVersion,
      /no integer schemaVersion/,
    ],
    ["other suite", (d) => (d.suite.name = "other"), /schema at \/suite\/name/],
    [
      "missing field",
      (d) => delete d.environment.backend,
      /must have required property 'backend'/,
    ],
    ["extra field", (d) => (d.run.extra = 1), /additional properties/],
    [
      "bad status",
      (d) => (d.benchmarks[0].cells[0].status = "great"),
      /status/,
    ],
    ["bad seed", (d) => (d.run.seed = "-1"), /\/run\/seed/],
    [
      "edited value",
      (d) => (d.benchmarks[0].cells[0].metrics.v.value += 1),
      /digest does not match/,
    ],
    ["summary", (d) => (d.summary.ok = 7), /summary.ok is 7/],
    [
      "duplicate benchmark",
      (d) => d.benchmarks.push(d.benchmarks[0]),
      /appears twice/,
    ],
    [
      "unequal plot line",
      (d) => d.benchmarks[0].cells[0].plots[0].lines[0].x.push(3),
      /unequal lengths|digest/,
    ],
    [
      "script in id",
      (d) => (d.benchmarks[0].id = "<script>"),
      /\/benchmarks\/0\/id/,
    ],
  ];
  for (const [name, edit, re] of cases) {
    await t.step(name, async () => {
      const d = await mutated(edit);
      assert.throws(() => validateResults(d, "file.json"), (e: unknown) => {
        assert.ok(e instanceof ResultsError);
        assert.match(e.message, /^Cannot read results "file.json" as /);
        assert.match(e.message, re);
        return true;
      });
    });
  }
});

Deno.test("parseResults() rejects non-JSON and non-objects", () => {
  assert.throws(() => parseResults("{", "a.json"), /not valid JSON/);
  assert.throws(() => parseResults("[1]", "a.json"), /not a JSON object/);
  assert.throws(() => parseResults("null", "a.json"), /not a JSON object/);
});

Deno.test("canonicalJson() sorts keys, rejects non-finite numbers and is stable", () => {
  assert.equal(
    canonicalJson({ b: { d: 1, c: 2 }, a: 0 }, 0),
    '{"a":0,"b":{"c":2,"d":1}}',
  );
  assert.throws(
    () => canonicalJson({ a: NaN }),
    /\$\.a is not a finite number/,
  );
  assert.throws(() => canonicalJson({ a: [Infinity] }), /\$\.a\[0\]/);
  assert.throws(() => canonicalJson({ a: 1n }), TypeError);
  assert.equal(
    canonicalJson({ a: new Float64Array([0.1, 2]) }, 0),
    '{"a":[0.1,2]}',
  );
});
