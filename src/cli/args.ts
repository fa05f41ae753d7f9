import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { BACKEND_NAMES, type BackendName } from "../nn/backend.ts";
import { CliError } from "./error.ts";

/** What {@linkcode parseFlags} returns for the flag spec `O`. */
export type ParsedFlags<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<
    { args: string[]; options: O; strict: true; allowPositionals: true }
  >
>;

/**
 * Parses command-line flags strictly (node:util `parseArgs`), turning a malformed command line into one CLI
 * error line that points at --help. Shared by every command.
 *
 * @param argv Arguments after the command.
 * @param options The flag spec (`{ name: { type, short?, multiple? } }`).
 * @param allowPositionals Whether non-flag arguments are accepted (default true).
 * @returns The flag values and positional arguments.
 * @throws {CliError} (exit 2) For unknown flags, missing values or unexpected positionals.
 *
 * @example Flags and positionals
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "./args.ts";
 * const { values, positionals } = parseFlags(["a.json", "--out", "b"], { out: { type: "string" } });
 * assert.equal(values.out, "b");
 * assert.deepEqual(positionals, ["a.json"]);
 * assert.throws(() => parseFlags(["--nope"], {}), /nope.* \(see --help\)$/);
 * ```
 */
export function parseFlags<const O extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  options: O,
  allowPositionals = true,
): ParsedFlags<O> {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals,
      options,
    }) as ParsedFlags<O>;
  } catch (e) {
    throw new CliError(`${(e as Error).message.split("\n")[0]} (see --help)`);
  }
}

/**
 * Parses a `--backend` value.
 *
 * @param text The flag value.
 * @returns The backend name.
 * @throws {CliError} (exit 2) If it names no backend.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBackend } from "./args.ts";
 * assert.equal(parseBackend("cpu"), "cpu");
 * assert.throws(() => parseBackend("gpu"), /invalid --backend "gpu"/);
 * ```
 */
export function parseBackend(text: string): BackendName {
  if (!(BACKEND_NAMES as readonly string[]).includes(text)) {
    throw new CliError(
      `invalid --backend "${text}": expected one of ${
        BACKEND_NAMES.join(", ")
      }`,
    );
  }
  return text as BackendName;
}

/**
 * Checks an optional `--out` value is not blank.
 *
 * @param out The flag value, if given.
 * @returns `out` unchanged.
 * @throws {CliError} (exit 2) If it is empty or only spaces.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkOutFlag } from "./args.ts";
 * assert.equal(checkOutFlag(undefined), undefined);
 * assert.throws(() => checkOutFlag(" "), /invalid --out: empty path/);
 * ```
 */
export function checkOutFlag(out: string | undefined): string | undefined {
  if (out !== undefined && out.trim() === "") {
    throw new CliError("invalid --out: empty path");
  }
  return out;
}

/** Parsed flags of `deno task bench`. */
export interface BenchArgs {
  readonly help: boolean;
  readonly list: boolean;
  readonly verbose: boolean;
  readonly quick: boolean;
  readonly filter: string | undefined;
  readonly seed: bigint;
  readonly out: string | undefined;
  readonly backend: BackendName;
  readonly repeats: number | undefined;
  readonly shard:
    | { readonly index: number; readonly count: number }
    | undefined;
}

/** Help text of `deno task bench`. */
export const BENCH_HELP =
  `Run the sgd-limits benchmark suite and write one results JSON file.

USAGE:
  deno task bench [OPTIONS]

OPTIONS:
  --filter <patterns>   comma-separated benchmark ids or globs (e.g. "sgd_*"); default: all
  --quick               CI size: quick grids and small workloads
  --seed <n>            base seed, an integer in [0, 2^64) (default 1)
  --out <file>          results file to create; must not exist (default results/runs/<run id>.json)
  --backend <name>      tfjs backend: wasm (SIMD, default), wasm-nosimd, cpu
  --repeats <n>         timed repeats per cell, 1..1000 (default: the benchmark's own, 1 for accuracy)
  --shard <i/n>         run only shard i of n (cells dealt round-robin in registry order)
  --list                list the benchmarks and exit
  --verbose             print error causes and stacks
  -h, --help            show this help

EXIT CODES:
  0 all cells ran and every verdict passed (or broke where expected)
  1 a cell errored or the run failed        2 bad flags or input
  3 the run finished but a verdict failed (see the summary table)`;

const U64_MAX = (1n << 64n) - 1n;

/**
 * Parses a decimal seed in [0, 2^64).
 *
 * @param text The flag value.
 * @returns The seed.
 * @throws {CliError} If malformed or out of range.
 */
export function parseSeed(text: string): bigint {
  if (!/^(0|[1-9][0-9]{0,19})$/.test(text) || BigInt(text) > U64_MAX) {
    throw new CliError(
      `invalid --seed "${text}": expected an integer in [0, 2^64)`,
    );
  }
  return BigInt(text);
}

/**
 * Parses a positive integer flag within bounds.
 *
 * @param flag The flag name for messages.
 * @param text The value.
 * @param max Largest allowed value.
 * @returns The integer.
 * @throws {CliError} If malformed or out of range.
 */
export function parsePositiveInt(
  flag: string,
  text: string,
  max: number,
): number {
  if (!/^[1-9][0-9]*$/.test(text) || Number(text) > max) {
    throw new CliError(
      `invalid ${flag} "${text}": expected an integer in [1, ${max}]`,
    );
  }
  return Number(text);
}

/**
 * Parses `i/n` with 1 ≤ i ≤ n ≤ 10000.
 *
 * @param text The flag value.
 * @returns Shard index (1-based) and count.
 * @throws {CliError} If malformed.
 */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(text);
  if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) > 10000) {
    throw new CliError(
      `invalid --shard "${text}": expected i/n with 1 ≤ i ≤ n ≤ 10000`,
    );
  }
  return { index: Number(m[1]), count: Number(m[2]) };
}

/**
 * Parses the flags of `deno task bench`.
 *
 * @param argv Arguments after the command.
 * @returns Typed flags.
 * @throws {CliError} For unknown flags, positional arguments or malformed values.
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseFlags(argv, {
    help: { type: "boolean", short: "h" },
    list: { type: "boolean" },
    verbose: { type: "boolean" },
    quick: { type: "boolean" },
    filter: { type: "string" },
    seed: { type: "string" },
    out: { type: "string" },
    backend: { type: "string" },
    repeats: { type: "string" },
    shard: { type: "string" },
  }, false);
  const backend = parseBackend(values.backend ?? "wasm");
  checkOutFlag(values.out);
  if (values.filter !== undefined && values.filter.trim() === "") {
    throw new CliError("invalid --filter: empty");
  }
  return {
    help: values.help ?? false,
    list: values.list ?? false,
    verbose: values.verbose ?? false,
    quick: values.quick ?? false,
    filter: values.filter,
    seed: values.seed === undefined ? 1n : parseSeed(values.seed),
    out: values.out,
    backend,
    repeats: values.repeats === undefined
      ? undefined
      : parsePositiveInt("--repeats", values.repeats, 1000),
    shard: values.shard === undefined ? undefined : parseShard(values.shard),
  };
}
