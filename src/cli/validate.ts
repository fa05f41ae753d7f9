/**
 * `deno task validate <file>...`: checks results files against the JSON Schema and consistency rules.
 *
 * @module
 */
import { readInput } from "./_read_input.ts";
import { CliError, EXIT, out, runCli } from "./error.ts";

const HELP =
  `Validate sgd-limits results files (schema version, JSON Schema, consistency, digests).

USAGE:
  deno task validate <file> [<file>...]`;

/**
 * Runs the command.
 *
 * @param argv File paths.
 * @returns The exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("-h") || argv.includes("--help")) {
    out(HELP);
    return EXIT.ok;
  }
  const flag = argv.find((a) => a.startsWith("-"));
  if (flag !== undefined) {
    throw new CliError(`unknown option "${flag}" (see --help)`);
  }
  if (argv.length === 0) {
    throw new CliError(
      "no results file given (usage: deno task validate <file>...)",
    );
  }
  for (const path of argv) {
    const doc = await readInput(path);
    const cells = doc.benchmarks.reduce((n, b) => n + b.cells.length, 0);
    out(
      `ok: ${path} (schema v${doc.schemaVersion}, ${doc.benchmarks.length} benchmarks, ${cells} cells)`,
    );
  }
  return EXIT.ok;
}

if (import.meta.main) await runCli(main, false);
