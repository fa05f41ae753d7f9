import { createHash } from "node:crypto";

/** Host facts recorded in every result (tfjs facts are added by the backend module). */
export interface HostInfo {
  readonly deno: string;
  readonly v8: string;
  readonly typescript: string;
  readonly cpuModel: string;
  readonly logicalCores: number;
  readonly totalMemoryBytes: number;
  readonly os: string;
  readonly arch: string;
}

/**
 * Reads the host facts: Deno/V8/TypeScript versions, CPU model (from /proc/cpuinfo where readable), logical
 * cores, total memory, OS and architecture.
 *
 * @returns The facts ("unknown"/0 where not readable).
 *
 * @example Usage
 * ```ts ignore
 * import { hostInfo } from "./environment.ts";
 * console.log((await hostInfo()).cpuModel);
 * ```
 */
export async function hostInfo(): Promise<HostInfo> {
  let cpuModel = "unknown";
  try {
    const text = await Deno.readTextFile("/proc/cpuinfo");
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? "unknown";
  } catch { /* not Linux or not permitted */ }
  let totalMemoryBytes = 0;
  try {
    totalMemoryBytes = Deno.systemMemoryInfo().total;
  } catch { /* not permitted */ }
  return {
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    cpuModel,
    logicalCores: navigator.hardwareConcurrency,
    totalMemoryBytes,
    os: Deno.build.os,
    arch: Deno.build.arch,
  };
}

/** Where the code came from. */
export interface SourceInfo {
  readonly commit: string | null;
  readonly dirty: boolean | null;
  readonly lockSha256: string | null;
}

async function git(args: string[], cwd: string): Promise<string | null> {
  try {
    const out = await new Deno.Command("git", {
      args,
      cwd,
      stdout: "piped",
      stderr: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
  } catch {
    return null;
  }
}

/**
 * Reads the git commit and dirty flag of `root` (null when not a git checkout or git is unavailable) and the
 * sha256 of `root/deno.lock`.
 *
 * @param root The project folder.
 * @returns The source facts.
 *
 * @example Usage
 * ```ts ignore
 * import { sourceInfo } from "./environment.ts";
 * console.log(await sourceInfo("."));
 * ```
 */
export async function sourceInfo(root: string): Promise<SourceInfo> {
  const commit = await git(["rev-parse", "HEAD"], root);
  const status = commit === null
    ? null
    : await git(["status", "--porcelain", "--untracked-files=no"], root);
  let lockSha256: string | null = null;
  try {
    lockSha256 = createHash("sha256").update(
      await Deno.readFile(`${root}/deno.lock`),
    ).digest("hex");
  } catch { /* no lockfile */ }
  return {
    commit: commit !== null && /^[0-9a-f]{40}$/.test(commit) ? commit : null,
    dirty: status === null ? null : status.length > 0,
    lockSha256,
  };
}
