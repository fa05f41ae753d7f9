/**
 * `deno task verify <bundle dir>`: re-runs exactly the cited cells of a citation bundle on this machine and
 * reports, per number, whether it reproduced.
 *
 * @module
 */
import { join } from "node:path";
import { BENCHMARKS } from "../../benchmarks/mod.ts";
import { benchmarkCells } from "../bench/cells.ts";
import type { BenchmarkDefinition } from "../bench/types.ts";
import { BundleError, checkBundle } from "../cite/check_bundle.ts";
import { judgeReproduction } from "../cite/judge_reproduction.ts";
import { BUNDLE_FILES } from "../cite/render_bundle.ts";
import { sourceInfo } from "../io/environment.ts";
import type { BackendName } from "../nn/backend.ts";
import { why } from "./_outputs.ts";
import { runDocument } from "./_run_document.ts";
import { parseBackend, parseFlags } from "./args.ts";
import { CliError, EXIT, log, out, runCli } from "./error.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const MAX_FILE_BYTES = 64 * 1024 * 1024;

const HELP =
  `Re-verify a citation bundle: re-run exactly its cited cells here and compare every number.

USAGE:
  deno task verify <bundle dir> [OPTIONS]

OPTIONS:
  --backend <name>   tfjs backend for the re-run (default: the cited run's)
  --verbose          print error causes
  -h, --help         show this help

First the bundle is checked: bundle.json's cells against their digests, its hash against its contents, and
every other file against what bundle.json renders to (an edited value, hash, macro or table is an error).
Then the cited cells are re-run with the bundle's seed and quick flag. Per accuracy number:
  reproduced         same digest: bit-identical
  within-tolerance   |Δ| ≤ 4·√(se_cited² + se_rerun²) (numbers without stderr: relative 1e-9), no prediction
                     changed and no verdict turned to fail
  not-reproduced     otherwise (also: benchmark version changed, cell no longer in the grid)
Cost numbers are reported with the ratio of medians and whether the machine class matches.
A warning is printed when this checkout's commit or deno.lock differ from the bundle's.

EXIT CODES:
  0 every cited accuracy number reproduced (or is within tolerance)
  3 some cited accuracy number did not reproduce
  2 bad flags, a missing, malformed or edited bundle
  1 a cell errored or an internal failure`;

async function readBundleFiles(
  dir: string,
): Promise<Record<string, string | undefined>> {
  try {
    const st = await Deno.stat(dir);
    if (!st.isDirectory) {
      throw new CliError(
        `Cannot read bundle "${dir}" as it is not a folder`,
      );
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(
      `Cannot read bundle "${dir}" as it cannot be opened: ${why(e)}`,
    );
  }
  const files: Record<string, string | undefined> = {};
  for (const name of BUNDLE_FILES) {
    const path = join(dir, name);
    try {
      const st = await Deno.stat(path);
      if (st.size > MAX_FILE_BYTES) {
        throw new CliError(
          `Cannot read bundle "${dir}" as ${name} is ${st.size} bytes, more than ${MAX_FILE_BYTES}`,
        );
      }
      files[name] = new TextDecoder("utf-8", { fatal: true }).decode(
        await Deno.readFile(path),
      );
    } catch (e) {
      if (e instanceof CliError) throw e;
      if (e instanceof Deno.errors.NotFound) continue;
      throw new CliError(
        `Cannot read bundle "${dir}" as ${name} cannot be read: ${why(e)}`,
      );
    }
  }
  return files;
}

function num(x: number | null): string {
  if (x === null) return "-";
  const a = Math.abs(x);
  return a !== 0 && (a >= 1e4 || a < 1e-3)
    ? x.toExponential(4)
    : x.toPrecision(5);
}

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
    backend: { type: "string" },
  });
  if (values.help) {
    out(HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new CliError(
      `expected one bundle folder, got ${positionals.length} (usage: deno task verify <bundle dir>)`,
    );
  }
  const backend = values.backend === undefined
    ? undefined
    : parseBackend(values.backend);
  const dir = positionals[0]!.replace(/\/+$/, "") || "/";
  const files = await readBundleFiles(dir);
  let bundle;
  try {
    bundle = checkBundle(files, dir);
  } catch (e) {
    if (e instanceof BundleError) throw new CliError(e.message);
    throw e;
  }
  const here = await sourceInfo(ROOT);
  if (bundle.source.commit !== here.commit) {
    log(
      `warning: the bundle was produced at commit ${
        bundle.source.commit ?? "unknown"
      }, this checkout is at ${
        here.commit ?? "no commit"
      }: differences may come from code changes`,
    );
  } else if (here.dirty) {
    log(
      "warning: this checkout has uncommitted changes: differences may come from them",
    );
  }
  if (bundle.source.lockSha256 !== here.lockSha256) {
    log(
      "warning: deno.lock differs from the bundle's: dependency versions may differ",
    );
  }

  // Which cited cells can be re-run with this checkout's registry? Only those run (runSuite's `select`), with
  // the seeds a full run derives for them.
  const seed = BigInt(bundle.run.seed);
  const unavailable = new Map<string, string>();
  const chosen = new Set<string>();
  const defs = new Set<BenchmarkDefinition>();
  const registry = new Map(BENCHMARKS.map((d) => [d.id, d]));
  for (const { benchmark, cell } of bundle.cited) {
    const where = `${benchmark.id}/${cell.key}`;
    const def = registry.get(benchmark.id);
    if (def === undefined) {
      unavailable.set(where, "benchmark no longer in the registry");
      continue;
    }
    if (def.version !== benchmark.version) {
      unavailable.set(
        where,
        `benchmark version changed (v${benchmark.version} cited, v${def.version} here)`,
      );
      continue;
    }
    const c = benchmarkCells(def, { seed, quick: bundle.run.quick }).find((
      x,
    ) => x.key === cell.key);
    if (c === undefined) {
      unavailable.set(where, "cell no longer in the benchmark's grid");
      continue;
    }
    if (c.seed.toString() !== cell.seed) {
      unavailable.set(
        where,
        `derived seed changed (${cell.seed} cited, ${c.seed} here)`,
      );
      continue;
    }
    chosen.add(where);
    defs.add(def);
  }

  const rerun = defs.size === 0
    ? { benchmarks: [], environment: bundle.environment }
    : await runDocument({
      benchmarks: BENCHMARKS.filter((d) => defs.has(d)),
      select: (id, key) => chosen.has(`${id}/${key}`),
      id: `verify-${bundle.hash.slice(0, 16)}`,
      startedAt: new Date(),
      argv,
      source: here,
      backend: backend ?? bundle.environment.backend as BackendName,
      seed,
      quick: bundle.run.quick,
      filter: null,
      ...(bundle.run.repeats !== null ? { repeats: bundle.run.repeats } : {}),
    });
  const report = judgeReproduction(bundle, rerun, { unavailable });
  for (const r of report.rows) {
    out(
      `${r.status.padEnd(16)} ${r.benchmarkId}/${r.key}${
        r.metric ? ` ${r.metric}` : ""
      }: cited ${num(r.cited)}, re-run ${num(r.rerun)}; ${r.detail}`,
    );
  }
  const acc = report.rows.filter((r) => r.kind !== "cost");
  const bad = acc.filter((r) => r.status === "not-reproduced").length;
  out(
    `bundle ${bundle.hash.slice(0, 16)}: ${
      acc.length - bad
    } of ${acc.length} cited accuracy number(s) reproduced${
      report.machineDifferences.length
        ? `; machine differs (${report.machineDifferences.join(", ")})`
        : "; same machine class"
    }`,
  );
  const errored = rerun.benchmarks.some((b) =>
    b.cells.some((c) => c.status === "error")
  );
  if (report.reproduced) return EXIT.ok;
  return errored ? EXIT.failure : EXIT.verdict;
}

if (import.meta.main) await runCli(main);
