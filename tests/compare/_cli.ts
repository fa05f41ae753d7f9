import assert from "node:assert/strict";
import { canonicalJson } from "../../src/results/canonical_json.ts";
import type { ResultsDocument } from "../../src/results/types.ts";
import {
  listDir,
  ROOT,
  scratchDir,
  type Spawned,
  taskFlags,
} from "../_util/cli.ts";

/** Runs `fn` with a fresh scratch folder under results/ and removes it afterwards. */
export async function withScratch(
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await scratchDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(`${ROOT}${dir}`, { recursive: true });
  }
}

/** Asserts stderr is exactly one `error: …` line and returns it. */
export function oneErrorLine(stderr: string): string {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${stderr}`);
  assert.match(lines[0]!, /^error: /);
  return lines[0]!;
}

/** Runs a task's script with exactly the task's permissions and an explicit environment. */
export async function runTaskEnv(
  task: Parameters<typeof taskFlags>[0],
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Spawned> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...taskFlags(task), script, ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    clearEnv: true,
    env: { NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "", ...env },
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

/** Writes a document as a results file (relative to the root). */
export async function writeDoc(
  path: string,
  doc: ResultsDocument | unknown,
): Promise<void> {
  await Deno.writeTextFile(`${ROOT}${path}`, canonicalJson(doc));
}

/** Reads a JSON file relative to the root. */
export async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await Deno.readTextFile(`${ROOT}${path}`));
}

export { listDir, ROOT };
