import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { canonicalJson } from "../../src/results/canonical_json.ts";
import type { ResultsDocument } from "../../src/results/types.ts";

/** Project root (absolute, with trailing slash). */
export const ROOT = new URL("../../", import.meta.url).pathname;

/** The `deno run` flags of a task in deno.json, so tests spawn CLIs with exactly the task's permissions. */
export function taskFlags(task: keyof typeof denoJson.tasks): string[] {
  const words = denoJson.tasks[task].split(/\s+/);
  if (words[0] !== "deno" || words[1] !== "run") {
    throw new Error(`task ${task} is not a deno run task`);
  }
  return words.slice(2).filter((w) => w.startsWith("--"));
}

/** Result of a spawned command. */
export interface Spawned {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function spawnTask(
  task: keyof typeof denoJson.tasks,
  script: string,
  args: string[],
  env: Record<string, string> | null,
): Promise<Spawned> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...taskFlags(task), script, ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    ...(env === null ? { env: { NO_COLOR: "1" } } : {
      clearEnv: true,
      env: { NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "", ...env },
    }),
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

/** Runs `deno run <task flags> <script> ...args` in the project root (inheriting the environment). */
export function runTask(
  task: keyof typeof denoJson.tasks,
  script: string,
  args: string[],
): Promise<Spawned> {
  return spawnTask(task, script, args, null);
}

/** Runs a task's script with exactly the task's permissions and an explicit environment (only PATH inherited). */
export function runTaskEnv(
  task: keyof typeof denoJson.tasks,
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Spawned> {
  return spawnTask(task, script, args, env);
}

/** Arguments of a quick, seeded `bench` run of sgd_quadratic_speed writing `out` (`extra` before `--out`). */
export function quickBenchArgs(
  seed: number,
  out: string,
  extra: string[] = [],
): string[] {
  return [
    "--quick",
    "--filter",
    "sgd_quadratic_speed",
    "--seed",
    `${seed}`,
    ...extra,
    "--out",
    out,
  ];
}

/** Creates a scratch folder under results/ (the only place the bench task may write). */
export async function scratchDir(): Promise<string> {
  const dir = `results/.test-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(`${ROOT}${dir}`, { recursive: true });
  return dir;
}

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

/** Lists a folder (relative to the root), sorted. */
export async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(`${ROOT}${dir}`)) names.push(e.name);
  return names.sort();
}

/** Asserts stderr is exactly one `error: …` line and returns it. */
export function oneErrorLine(stderr: string): string {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${stderr}`);
  assert.match(lines[0]!, /^error: /);
  return lines[0]!;
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
