import assert from "node:assert/strict";
import { ROOT } from "./_util/cli.ts";

/** Folders of the pure core: no tfjs, no Deno APIs, no clock or Math.random, no console, no edge imports. */
const PURE = [
  "src/random",
  "src/linalg",
  "src/stats",
  "src/sim",
  "src/theory",
  "src/results",
  "src/bench",
  "src/analysis",
  "src/formats",
  "src/data",
  "src/report",
  "src/compare",
  "src/cite",
];

async function* tsFiles(dir: string): AsyncGenerator<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(`${ROOT}${dir}`));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  for (const e of entries) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) yield* tsFiles(path);
    else if (e.name.endsWith(".ts")) yield path;
  }
}

/** Source text without comments, so JSDoc may mention what code must not use. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(
    /(^|[^:"'`])\/\/.*$/gm,
    "$1",
  );
}

const RULES: [string, RegExp][] = [
  ["imports tfjs", /from\s+["']@tensorflow\//],
  ["uses Deno APIs", /\bDeno\./],
  ["uses Math.random", /\bMath\.random\b/],
  ["reads the clock", /\b(Date\.now|performance\.now|new Date\(\))/],
  ["writes to the console", /\bconsole\./],
  ["imports an edge folder (io, nn, cli)", /from\s+["'](\.\.\/)+(io|nn|cli)\//],
];

Deno.test("pure core folders use no tfjs, Deno APIs, clock, Math.random, console or edge imports", async () => {
  const problems: string[] = [];
  for (const dir of PURE) {
    for await (const path of tsFiles(dir)) {
      const text = code(await Deno.readTextFile(`${ROOT}${path}`));
      for (const [what, re] of RULES) {
        if (re.test(text)) problems.push(`${path} ${what}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("tfjs is imported only under src/nn/", async () => {
  const problems: string[] = [];
  for (const dir of ["src", "benchmarks"]) {
    for await (const path of tsFiles(dir)) {
      if (path.startsWith("src/nn/")) continue;
      if (
        /from\s+["']@tensorflow\//.test(
          await Deno.readTextFile(`${ROOT}${path}`),
        )
      ) problems.push(path);
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("no default exports anywhere", async () => {
  const problems: string[] = [];
  for (const dir of ["src", "benchmarks", "tests"]) {
    for await (const path of tsFiles(dir)) {
      if (
        /^\s*export\s+default\b/m.test(
          code(await Deno.readTextFile(`${ROOT}${path}`)),
        )
      ) problems.push(path);
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("top-level mod.ts loads no tfjs and has no side effects at import", async () => {
  const text = await Deno.readTextFile(`${ROOT}mod.ts`);
  for (const line of text.split("\n")) {
    if (/^\s*(import|export)\b/.test(line)) {
      assert.doesNotMatch(line, /src\/(nn|io|cli)\//, line);
    }
  }
});
