/** Exit codes of the CLI commands. */
export const EXIT = {
  ok: 0,
  /** A benchmark cell errored, or an internal failure. */
  failure: 1,
  /** Bad flags, values or input files. */
  usage: 2,
  /** The run finished but a verdict failed (a prediction did not hold). */
  verdict: 3,
} as const;

/** An error the CLI reports as one line and exits with `code`. */
export class CliError extends Error {
  readonly code: number;
  /**
   * @param message The one-line message.
   * @param code Exit code.
   */
  constructor(message: string, code: number = EXIT.usage) {
    super(message);
    this.name = "CliError";
    this.code = code;
  }
}

/** Writes a line to stderr (the CLI's only sink for logs and progress; stdout is for data). */
export function log(line: string): void {
  // deno-lint-ignore no-console
  console.error(line);
}

/** Writes a line to stdout. */
export function out(line: string): void {
  // deno-lint-ignore no-console
  console.log(line);
}

/**
 * Reports an error as one line on stderr (`error: …`, plus the cause chain with --verbose) and exits.
 * Errors other than {@linkcode CliError} exit with {@linkcode EXIT.failure}, except input errors (SyntaxError,
 * RangeError, TypeError thrown while reading inputs are wrapped by the commands as CliError).
 */
export function exitWithError(err: unknown, verbose = false): never {
  const code = err instanceof CliError ? err.code : EXIT.failure;
  const msg = err instanceof Error ? err.message : String(err);
  log(`error: ${msg.split("\n")[0]}`);
  if (verbose) {
    let cause = err instanceof Error ? err.cause : undefined;
    while (cause !== undefined) {
      log(
        `  caused by: ${
          cause instanceof Error ? cause.message : String(cause)
        }`,
      );
      cause = cause instanceof Error ? cause.cause : undefined;
    }
    if (err instanceof Error && err.stack) log(err.stack);
  }
  Deno.exit(code);
}

/**
 * Runs a command's `main` on `Deno.args` and exits with its code; an error is reported by
 * {@linkcode exitWithError}. Every command's entry point.
 *
 * @param main The command: arguments in, exit code out.
 * @param verbose Whether errors print their causes and stack (default: `--verbose` is among the arguments).
 * @returns Never: the process exits.
 *
 * @example Usage
 * ```ts ignore
 * import { runCli } from "./error.ts";
 * if (import.meta.main) await runCli(main);
 * ```
 */
export async function runCli(
  main: (argv: readonly string[]) => Promise<number>,
  verbose: boolean = Deno.args.includes("--verbose"),
): Promise<never> {
  try {
    Deno.exit(await main(Deno.args));
  } catch (e) {
    exitWithError(e, verbose);
  }
}
