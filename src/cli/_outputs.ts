import { writeTextAtomic } from "../io/atomic_write.ts";
import { CliError } from "./error.ts";

/**
 * Checks, before any work, that a file the command will create does not exist yet and that its folder is
 * writable, so a run never stops half-way with some outputs written.
 *
 * @param path The file to create.
 * @param flag The flag that named it, for messages.
 * @throws {CliError} (exit 2) If it exists or cannot be created.
 */
export async function checkNewFile(path: string, flag: string): Promise<void> {
  try {
    await Deno.lstat(path);
    throw new CliError(
      `refusing to overwrite existing file "${path}" (choose another ${flag})`,
    );
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (!(e instanceof Deno.errors.NotFound)) {
      throw new CliError(`cannot use ${flag} "${path}": ${why(e)}`);
    }
  }
  const slash = path.lastIndexOf("/");
  const dir = slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash);
  const probe = `${dir}/.probe-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  try {
    (await Deno.open(probe, { write: true, createNew: true })).close();
    await Deno.remove(probe);
  } catch (e) {
    throw new CliError(`cannot write ${flag} "${path}": ${why(e)}`);
  }
}

/**
 * Writes a new file atomically (temporary file + link, never overwriting), turning failures into a CLI error.
 *
 * @param path The file to create.
 * @param text Contents.
 * @param flag The flag that named it, for messages.
 * @throws {CliError} (exit 2) If it cannot be written.
 */
export async function writeNewFile(
  path: string,
  text: string,
  flag: string,
): Promise<void> {
  try {
    await writeTextAtomic(path, text);
  } catch (e) {
    throw new CliError(`cannot write ${flag} "${path}": ${why(e)}`);
  }
}

/**
 * A short reason for a file-system error.
 *
 * @param e The error.
 * @returns Its message, or "not permitted" for a permission error.
 */
export function why(e: unknown): string {
  if (e instanceof Deno.errors.NotCapable) {
    return "not permitted by this task's permissions";
  }
  if (e instanceof Deno.errors.AlreadyExists) return "it already exists";
  return e instanceof Error ? e.message.split("\n")[0]! : String(e);
}
