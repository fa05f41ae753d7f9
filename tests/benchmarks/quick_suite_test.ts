import assert from "node:assert/strict";
import { BENCHMARKS } from "../../benchmarks/mod.ts";
import { ROOT, runTask, scratchDir } from "../_util/cli.ts";

// The CI gate "numbers still match theory": the whole quick suite through the real command, on wasm SIMD.
Deno.test("bench --quick: every cell runs and every verdict passes or breaks where expected", async () => {
  const dir = await scratchDir();
  try {
    const r = await runTask("bench", "src/cli/bench.ts", [
      "--quick",
      "--out",
      `${dir}/quick.json`,
    ]);
    const doc = JSON.parse(await Deno.readTextFile(`${ROOT}${dir}/quick.json`));
    assert.deepEqual(
      doc.benchmarks.map((b: { id: string }) => b.id),
      BENCHMARKS.map((b) => b.id),
    );
    const problems: string[] = [];
    for (const b of doc.benchmarks) {
      for (const c of b.cells) {
        if (c.status === "error") {
          problems.push(`${b.id} (${c.key}): error ${c.message}`);
        }
        for (
          const [name, m] of Object.entries<
            { references: Record<string, { verdict: string; z: number }> }
          >(
            c.metrics,
          )
        ) {
          for (const [ref, j] of Object.entries(m.references)) {
            if (j.verdict === "fail") {
              problems.push(
                `${b.id} (${c.key}) ${name} vs ${ref}: fail (z=${j.z})`,
              );
            }
          }
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.equal(r.code, 0, r.stderr.slice(-2000));
  } finally {
    await Deno.remove(`${ROOT}${dir}`, { recursive: true });
  }
});
