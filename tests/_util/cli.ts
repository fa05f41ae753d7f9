import denoJson from "../../deno.json" with { type: "json" };

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

/** Runs `deno run <task flags> <script> ...args` in the project root. */
export async function runTask(
  task: keyof typeof denoJson.tasks,
  script: string,
  args: string[],
): Promise<Spawned> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...taskFlags(task), script, ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

/** Creates a scratch folder under results/ (the only place the bench task may write). */
export async function scratchDir(): Promise<string> {
  const dir = `results/.test-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(`${ROOT}${dir}`, { recursive: true });
  return dir;
}

/** Lists a folder (relative to the root), sorted. */
export async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(`${ROOT}${dir}`)) names.push(e.name);
  return names.sort();
}
