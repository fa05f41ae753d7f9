import { parseArgs } from "node:util";
import { BACKEND_NAMES, type BackendName } from "../nn/backend.ts";
import { CliError } from "./error.ts";

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
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
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
      },
    }));
  } catch (e) {
    throw new CliError(`${(e as Error).message.split("\n")[0]} (see --help)`);
  }
  const backend = values.backend ?? "wasm";
  if (!(BACKEND_NAMES as readonly string[]).includes(backend)) {
    throw new CliError(
      `invalid --backend "${backend}": expected one of ${
        BACKEND_NAMES.join(", ")
      }`,
    );
  }
  if (values.out !== undefined && values.out.trim() === "") {
    throw new CliError("invalid --out: empty path");
  }
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
    backend: backend as BackendName,
    repeats: values.repeats === undefined
      ? undefined
      : parsePositiveInt("--repeats", values.repeats, 1000),
    shard: values.shard === undefined ? undefined : parseShard(values.shard),
  };
}
