import assert from "node:assert/strict";
import { describeRuns, machineOf } from "../../src/report/describe_runs.ts";
import { demoDocument } from "./_fixtures.ts";

Deno.test("describeRuns() orders runs by startedAt instant (not string order) and makes labels unique", async () => {
  const a = await demoDocument({
    id: "a",
    startedAt: "2026-03-01T12:00:00.5Z",
  });
  const b = await demoDocument({ id: "b", startedAt: "2026-03-01T12:00:00Z" });
  const c = await demoDocument({
    id: "c",
    startedAt: "2026-02-28T23:59:59Z",
    commit: null,
  });
  const runs = describeRuns([
    { path: "a.json", doc: a },
    { path: "b.json", doc: b },
    { path: "c.json", doc: c },
  ]);
  // "…00Z" sorts after "…00.5Z" as text, but is the earlier instant.
  assert.deepEqual(runs.map((r) => r.id), ["c", "b", "a"]);
  assert.deepEqual(runs.map((r) => r.order), [0, 1, 2]);
  assert.deepEqual(runs.map((r) => r.label), [
    "nogit 2026-02-28 23:59",
    "aaaaaaaa 2026-03-01 12:00",
    "aaaaaaaa 2026-03-01 12:00 #2",
  ]);
});

Deno.test("machineOf() distinguishes CPU model, cores and backend", () => {
  const base = { cpuModel: "X", logicalCores: 2, backend: "wasm", simd: true };
  const keys = new Set([
    machineOf(base).key,
    machineOf({ ...base, cpuModel: "Y" }).key,
    machineOf({ ...base, logicalCores: 4 }).key,
    machineOf({ ...base, backend: "cpu", simd: false }).key,
  ]);
  assert.equal(keys.size, 4);
  assert.equal(
    machineOf({ ...base, backend: "wasm-nosimd", simd: false }).label,
    "X (2 cores), wasm-nosimd",
  );
});
