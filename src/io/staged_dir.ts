import { basename, dirname, join } from "node:path";
import { writeNewSynced } from "./atomic_write.ts";

/**
 * A folder built under a hidden temporary sibling name (`.<name>.tmp-<pid>-<n>`) and renamed into place, so
 * the target is either absent/unchanged or complete. SIGINT/SIGTERM while staged remove the temporary folder
 * (and put back a target that was moved aside) before exiting with 130/143. Shared by `report` (which
 * replaces its earlier site) and `cite` (which never overwrites).
 *
 * Use: {@linkcode StagedDir.create}, {@linkcode StagedDir.write} each file, {@linkcode StagedDir.commit}, and
 * always {@linkcode StagedDir.discard} (in a `finally`) — a no-op after a successful commit.
 *
 * @example Build a folder atomically
 * ```ts
 * import assert from "node:assert/strict";
 * import { StagedDir } from "./staged_dir.ts";
 * const root = await Deno.makeTempDir();
 * const staged = await StagedDir.create(`${root}/site`);
 * try {
 *   await staged.write("a/b.txt", "hello\n");
 *   await staged.commit({ replace: false });
 * } finally {
 *   await staged.discard();
 * }
 * assert.equal(await Deno.readTextFile(`${root}/site/a/b.txt`), "hello\n");
 * assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name), ["site"]);
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export class StagedDir {
  /** The folder this becomes on commit. */
  readonly target: string;
  /** The hidden temporary folder the files are written into. */
  readonly path: string;
  readonly #old: string;
  #staged = true;
  #movedAway = false;
  readonly #handlers: [Deno.Signal, () => void][] = [];

  private constructor(target: string, tag: string) {
    this.target = target;
    const parent = dirname(target);
    this.path = join(parent, `.${basename(target)}.tmp-${tag}`);
    this.#old = join(parent, `.${basename(target)}.old-${tag}`);
  }

  /**
   * Creates the parent folders of `target` and the empty temporary folder beside it.
   *
   * @param target The folder to build (need not exist).
   * @returns The staged folder.
   * @throws {Deno.errors.NotCapable} And other file-system errors if the folders cannot be created.
   *
   * @example Usage
   * ```ts
   * import assert from "node:assert/strict";
   * import { StagedDir } from "./staged_dir.ts";
   * const root = await Deno.makeTempDir();
   * const staged = await StagedDir.create(`${root}/x/out`);
   * assert.ok((await Deno.stat(staged.path)).isDirectory);
   * await staged.discard();
   * assert.deepEqual([...Deno.readDirSync(`${root}/x`)], []);
   * await Deno.remove(root, { recursive: true });
   * ```
   */
  static async create(target: string): Promise<StagedDir> {
    const staged = new StagedDir(
      target,
      `${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`,
    );
    await Deno.mkdir(dirname(target), { recursive: true });
    await Deno.mkdir(staged.path);
    staged.#listen();
    return staged;
  }

  #listen(): void {
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      const h = () => {
        try {
          if (this.#staged) Deno.removeSync(this.path, { recursive: true });
          if (this.#movedAway) Deno.renameSync(this.#old, this.target);
        } catch { /* best effort */ }
        Deno.exit(sig === "SIGINT" ? 130 : 143);
      };
      try {
        Deno.addSignalListener(sig, h);
        this.#handlers.push([sig, h]);
      } catch { /* signals unsupported on this platform */ }
    }
  }

  /**
   * Writes a new file (flushed to disk) into the staged folder, creating its subfolders.
   *
   * @param relPath Path inside the folder, `/`-separated (e.g. `benchmarks/x.html`).
   * @param text Contents (UTF-8).
   * @throws {Deno.errors.AlreadyExists} If the file was already written.
   *
   * @example Usage
   * ```ts
   * import assert from "node:assert/strict";
   * import { StagedDir } from "./staged_dir.ts";
   * const root = await Deno.makeTempDir();
   * const staged = await StagedDir.create(`${root}/out`);
   * await staged.write("x.txt", "1");
   * assert.equal(await Deno.readTextFile(`${staged.path}/x.txt`), "1");
   * await staged.discard();
   * await Deno.remove(root, { recursive: true });
   * ```
   */
  async write(relPath: string, text: string): Promise<void> {
    const path = join(this.path, ...relPath.split("/"));
    await Deno.mkdir(dirname(path), { recursive: true });
    await writeNewSynced(path, new TextEncoder().encode(text));
  }

  /**
   * Renames the staged folder to the target. With `replace`, an existing target is first renamed aside, put
   * back if the final rename fails, and deleted after it succeeds; without, an existing target is an error.
   *
   * @param options `replace`: whether an existing target is replaced; `onStaleOld`: called if the replaced
   * target cannot be deleted afterwards (the commit still succeeded).
   * @throws {Deno.errors.AlreadyExists} Without `replace`, if the target exists.
   *
   * @example Replacing an earlier folder
   * ```ts
   * import assert from "node:assert/strict";
   * import { StagedDir } from "./staged_dir.ts";
   * const root = await Deno.makeTempDir();
   * await Deno.mkdir(`${root}/out`);
   * await Deno.writeTextFile(`${root}/out/old.txt`, "old");
   * const staged = await StagedDir.create(`${root}/out`);
   * try {
   *   await staged.write("new.txt", "new");
   *   await assert.rejects(staged.commit({ replace: false }), Deno.errors.AlreadyExists);
   *   await staged.commit({ replace: true });
   * } finally {
   *   await staged.discard();
   * }
   * assert.deepEqual([...Deno.readDirSync(`${root}/out`)].map((e) => e.name), ["new.txt"]);
   * assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name), ["out"]);
   * await Deno.remove(root, { recursive: true });
   * ```
   */
  async commit(options: {
    readonly replace: boolean;
    readonly onStaleOld?: (path: string, error: unknown) => void;
  }): Promise<void> {
    if (await exists(this.target)) {
      if (!options.replace) {
        throw new Deno.errors.AlreadyExists(`"${this.target}" exists`);
      }
      await Deno.rename(this.target, this.#old);
      this.#movedAway = true;
    }
    try {
      await Deno.rename(this.path, this.target);
      this.#staged = false;
    } catch (e) {
      if (this.#movedAway) {
        await Deno.rename(this.#old, this.target);
        this.#movedAway = false;
      }
      throw e;
    }
    if (this.#movedAway) {
      this.#movedAway = false;
      try {
        await Deno.remove(this.#old, { recursive: true });
      } catch (e) {
        options.onStaleOld?.(this.#old, e);
      }
    }
  }

  /**
   * Removes the staged folder if it was not committed, and stops listening for signals. Idempotent.
   *
   * @example Usage
   * ```ts
   * import assert from "node:assert/strict";
   * import { StagedDir } from "./staged_dir.ts";
   * const root = await Deno.makeTempDir();
   * const staged = await StagedDir.create(`${root}/out`);
   * await staged.discard();
   * await staged.discard();
   * assert.deepEqual([...Deno.readDirSync(root)], []);
   * await Deno.remove(root, { recursive: true });
   * ```
   */
  async discard(): Promise<void> {
    if (this.#staged) {
      this.#staged = false;
      try {
        await Deno.remove(this.path, { recursive: true });
      } catch { /* already gone */ }
    }
    for (const [sig, h] of this.#handlers.splice(0)) {
      Deno.removeSignalListener(sig, h);
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
