import { readResults } from "../io/read_results.ts";
import type { ResultsDocument } from "../results/types.ts";
import { CliError, EXIT } from "./error.ts";

/**
 * Reads and validates an input results file for a command, turning any problem into one CLI error line
 * (exit 2) that names the file. Shared by `validate`, `compare`, `merge` and `report`.
 *
 * @param path The results file.
 * @param role What the file is to the command, put before the message (`"baseline: Cannot read …"`), if any.
 * @returns The document.
 * @throws {CliError} (exit 2) If the file is missing, too large or invalid.
 *
 * @example A missing file
 * ```ts
 * import assert from "node:assert/strict";
 * import { readInput } from "./_read_input.ts";
 * await assert.rejects(
 *   readInput("no/such/file.json", "baseline"),
 *   { code: 2, message: /^baseline: Cannot read results "no\/such\/file\.json" as it cannot be opened/ },
 * );
 * ```
 */
export async function readInput(
  path: string,
  role?: string,
): Promise<ResultsDocument> {
  try {
    return await readResults(path);
  } catch (e) {
    const message = (e as Error).message;
    throw new CliError(
      role === undefined ? message : `${role}: ${message}`,
      EXIT.usage,
    );
  }
}
