import { parseResults, ResultsError } from "../results/validate.ts";
import type { ResultsDocument } from "../results/types.ts";

/** Largest results file read (bytes); larger files are rejected before parsing. */
export const MAX_RESULTS_BYTES = 256 * 1024 * 1024;

/**
 * Reads and validates a results file (size-bounded, JSON, schema version, schema, consistency, digests).
 *
 * @param path The file.
 * @returns The document.
 * @throws {ResultsError} If the file is missing, too large or invalid; the message names the file.
 *
 * @example Usage
 * ```ts ignore
 * import { readResults } from "./read_results.ts";
 * const doc = await readResults("results/runs/x.json");
 * ```
 */
export async function readResults(path: string): Promise<ResultsDocument> {
  let size: number;
  try {
    size = (await Deno.stat(path)).size;
  } catch (e) {
    throw new ResultsError(
      path,
      `it cannot be opened: ${(e as Error).message}`,
      { cause: e },
    );
  }
  if (size > MAX_RESULTS_BYTES) {
    throw new ResultsError(
      path,
      `it is ${size} bytes, more than the ${MAX_RESULTS_BYTES} this build reads`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(
      await Deno.readFile(path),
    );
  } catch (e) {
    throw new ResultsError(
      path,
      `it cannot be read as UTF-8 text: ${(e as Error).message}`,
      { cause: e },
    );
  }
  return parseResults(text, path);
}
