/**
 * `deno task bench`: runs the benchmark suite and writes one results file.
 * Progress goes to stderr, a summary table to stdout, and the results path is the last stdout line.
 *
 * @module
 */
import { dirname } from "node:path";
import { BENCHMARKS } from "../../benchmarks/mod.ts";
import { checkRegistry } from "../bench/check_registry.ts";
import { selectBenchmarks } from "../bench/select.ts";
import { writeTextAtomic } from "../io/atomic_write.ts";
import { sourceInfo } from "../io/environment.ts";
import { canonicalJson } from "../results/canonical_json.ts";
import { validateResults } from "../results/validate.ts";
import { BENCH_HELP, parseBenchArgs } from "./args.ts";
import { CliError, EXIT, out, runCli } from "./error.ts";
import { summaryTable } from "./summary_table.ts";
import { runDocument } from "./_run_document.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

function runId(startedAt: Date, commit: string | null): string {
  const t = startedAt.toISOString().replace(/[-:]/g, "").replace(
    /\.\d+Z$/,
    "Z",
  );
  return `${t}-${commit ? commit.slice(0, 8) : "nogit"}-${
    crypto.randomUUID().slice(0, 6)
  }`;
}

const NOT_PERMITTED =
  "not permitted (the bench task may only write under ./results)";

async function checkOutPath(
  path: string,
  createParent: boolean,
): Promise<void> {
  try {
    await Deno.lstat(path);
    throw new CliError(
      `refusing to overwrite existing results file "${path}" (choose another --out)`,
    );
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (e instanceof Deno.errors.NotCapable) {
      throw new CliError(`cannot write results to "${path}": ${NOT_PERMITTED}`);
    }
    if (!(e instanceof Deno.errors.NotFound)) {
      throw new CliError(`cannot use --out "${path}": ${(e as Error).message}`);
    }
  }
  const dir = dirname(path);
  try {
    if (createParent) await Deno.mkdir(dir, { recursive: true });
    const probe = `${dir}/.probe-${Deno.pid}-${
      crypto.randomUUID().slice(0, 8)
    }`;
    (await Deno.open(probe, { write: true, createNew: true })).close();
    await Deno.remove(probe);
  } catch (e) {
    const why = e instanceof Deno.errors.NotCapable
      ? NOT_PERMITTED
      : (e as Error).message;
    throw new CliError(`cannot write results to "${path}": ${why}`);
  }
}

/**
 * Runs the command.
 *
 * @param argv Command-line arguments.
 * @returns The exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseBenchArgs(argv);
  if (args.help) {
    out(BENCH_HELP);
    return EXIT.ok;
  }
  const problems = checkRegistry(BENCHMARKS);
  if (problems.length > 0) {
    throw new CliError(
      `invalid benchmark registry: ${problems[0]}`,
      EXIT.failure,
    );
  }
  if (args.list) {
    for (const b of BENCHMARKS) {
      out(`${b.id.padEnd(36)} v${b.version}  ${b.title}`);
    }
    return EXIT.ok;
  }
  let selected;
  try {
    selected = selectBenchmarks(BENCHMARKS, args.filter);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const startedAt = new Date();
  const source = await sourceInfo(ROOT);
  const id = runId(startedAt, source.commit);
  const outPath = args.out ?? `results/runs/${id}.json`;
  await checkOutPath(outPath, args.out === undefined);

  const doc = await runDocument({
    benchmarks: selected,
    id,
    startedAt,
    argv,
    source,
    backend: args.backend,
    seed: args.seed,
    quick: args.quick,
    filter: args.filter ?? null,
    ...(args.repeats !== undefined ? { repeats: args.repeats } : {}),
    ...(args.shard !== undefined ? { shard: args.shard } : {}),
  });
  const text = canonicalJson(doc);
  validateResults(JSON.parse(text), outPath); // never write a file our own readers would reject
  await writeTextAtomic(outPath, text);
  out(summaryTable(doc.benchmarks));
  const s = doc.summary;
  out(
    `${s.cells} cells: ${s.ok} ok, ${s.diverged} diverged, ${s.error} error; verdicts: ${s.pass} pass, ` +
      `${s.fail} fail, ${s.expectedBreak} expected-break`,
  );
  out(outPath);
  if (s.error > 0) return EXIT.failure;
  if (s.fail > 0) return EXIT.verdict;
  return EXIT.ok;
}

if (import.meta.main) await runCli(main);
