import { basename, dirname, join } from "node:path";

const pending = new Set<string>();
let handlersInstalled = false;

function installSignalCleanup(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    try {
      Deno.addSignalListener(sig, () => {
        for (const p of pending) {
          try {
            Deno.removeSync(p);
          } catch { /* already gone */ }
        }
        Deno.exit(sig === "SIGINT" ? 130 : 143);
      });
    } catch { /* signals unsupported on this platform */ }
  }
}

/**
 * Writes a new file atomically and never overwrites: the bytes go to a hidden temporary file beside `path`
 * (`.<name>.tmp-<pid>-<n>`), are flushed, then hard-linked to `path` — which fails if `path` exists — and the
 * temporary name is removed. A crash leaves either no file at `path` or the complete file; SIGINT/SIGTERM also
 * remove the temporary file (a SIGKILL may leave a hidden `.tmp-` file, which no reader picks up).
 *
 * @param path Destination; must not exist.
 * @param data File contents.
 * @throws {Deno.errors.AlreadyExists} If `path` exists.
 *
 * @example Usage
 * ```ts ignore
 * import { writeFileAtomic } from "./atomic_write.ts";
 * await writeFileAtomic("results/runs/x.json", new TextEncoder().encode("{}\n"));
 * ```
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array,
): Promise<void> {
  installSignalCleanup();
  const tmp = join(
    dirname(path),
    `.${basename(path)}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`,
  );
  pending.add(tmp);
  try {
    await writeNewSynced(tmp, data);
    await Deno.link(tmp, path);
  } finally {
    try {
      await Deno.remove(tmp);
    } catch { /* not created */ }
    pending.delete(tmp);
  }
}

/**
 * Creates a new file (failing if it exists), writes all of `data` and flushes it to disk before closing.
 * Not atomic by itself: a crash may leave a partial file (see {@linkcode writeFileAtomic}).
 *
 * @param path The file to create; must not exist.
 * @param data File contents.
 * @throws {Deno.errors.AlreadyExists} If `path` exists.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeNewSynced } from "./atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * await writeNewSynced(`${dir}/a.txt`, new TextEncoder().encode("hi"));
 * assert.equal(await Deno.readTextFile(`${dir}/a.txt`), "hi");
 * await assert.rejects(writeNewSynced(`${dir}/a.txt`, new Uint8Array()), Deno.errors.AlreadyExists);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeNewSynced(
  path: string,
  data: Uint8Array,
): Promise<void> {
  const f = await Deno.open(path, { write: true, createNew: true });
  try {
    let off = 0;
    while (off < data.length) off += await f.write(data.subarray(off));
    await f.sync();
  } finally {
    f.close();
  }
}

/**
 * Writes text atomically without overwriting (see {@linkcode writeFileAtomic}).
 *
 * @param path Destination; must not exist.
 * @param text Contents.
 *
 * @example Usage
 * ```ts ignore
 * import { writeTextAtomic } from "./atomic_write.ts";
 * await writeTextAtomic("results/runs/x.json", "{}\n");
 * ```
 */
export function writeTextAtomic(path: string, text: string): Promise<void> {
  return writeFileAtomic(path, new TextEncoder().encode(text));
}
