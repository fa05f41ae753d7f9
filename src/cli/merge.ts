/**
 * `deno task merge <shard files...> [--out <file>]`: joins the shard files of one `bench --shard i/n` run into
 * the results file a single run would have written (same cells and digests).
 *
 * @module
 */
import { BENCHMARKS } from "../../benchmarks/mod.ts";
import { canonicalJson } from "../results/canonical_json.ts";
import { validateResults } from "../results/validate.ts";
import { checkNewFile, why, writeNewFile } from "./_outputs.ts";
import { mergeShards, type ShardInput } from "./_merge_shards.ts";
import { readInput } from "./_read_input.ts";
import { checkOutFlag, parseFlags } from "./args.ts";
import { CliError, EXIT, log, out, runCli } from "./error.ts";

const HELP =
  `Merge the shard results files of one sharded run into one results file.

USAGE:
  deno task merge <shard.json>... [--out <file>]

OPTIONS:
  --out <file>   results file to create; must not exist, under ./results (default results/runs/<merged id>.json)
  --verbose      print error causes
  -h, --help     show this help

All shards must come from "bench --shard i/n" with the same commit, lockfile, seed, quick flag, filter,
repeats, suite version and n, with every index 1..n present once and no cell twice. The merged file has
the same cells and digests as a single-machine run, benchmarks in registry order and cells in grid order,
run.shard null, startedAt/endedAt of the earliest/latest shard, argv of shard 1 without --shard/--out, and
shard 1's environment (a warning names shards that ran elsewhere). The path is printed last on stdout.

EXIT CODES:
  0 merged    2 bad flags, unreadable or invalid shard files, or shards that do not form one run
  1 internal error`;

/**
 * Runs the command.
 *
 * @param argv Command-line arguments.
 * @returns The exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    help: { type: "boolean", short: "h" },
    verbose: { type: "boolean" },
    out: { type: "string" },
  });
  if (values.help) {
    out(HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) {
    throw new CliError(
      "no shard file given (usage: deno task merge <shard.json>... --out <file>)",
    );
  }
  checkOutFlag(values.out);
  if (new Set(positionals).size !== positionals.length) {
    throw new CliError("the same shard file is given twice");
  }
  if (values.out !== undefined) await checkNewFile(values.out, "--out");
  const shards: ShardInput[] = [];
  for (const path of positionals) {
    shards.push({ path, doc: await readInput(path) });
  }
  let merged;
  try {
    merged = mergeShards(shards, BENCHMARKS);
  } catch (e) {
    if (e instanceof RangeError) throw new CliError(e.message);
    throw e;
  }
  const outPath = values.out ?? `results/runs/${merged.doc.run.id}.json`;
  if (values.out === undefined) {
    try {
      await Deno.mkdir("results/runs", { recursive: true });
    } catch (e) {
      throw new CliError(`cannot create results/runs: ${why(e)}`);
    }
    await checkNewFile(outPath, "--out");
  }
  const text = canonicalJson(merged.doc);
  validateResults(JSON.parse(text), outPath); // never write what our readers would reject
  for (const w of merged.warnings) log(`warning: ${w}`);
  await writeNewFile(outPath, text, "--out");
  const s = merged.doc.summary;
  out(
    `merged ${shards.length} shards: ${s.cells} cells (${s.ok} ok, ${s.diverged} diverged, ${s.error} error); ` +
      `verdicts: ${s.pass} pass, ${s.fail} fail, ${s.expectedBreak} expected-break`,
  );
  out(outPath);
  return EXIT.ok;
}

if (import.meta.main) await runCli(main);
