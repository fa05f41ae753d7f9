/**
 * `deno task report <results files or folders> [--out <dir>]`: writes self-contained chart pages (index, one
 * page per benchmark, history and cross-machine views) for validated results files. The site is rendered in
 * memory, written into a hidden temporary sibling folder and renamed into place; an existing `--out` is only
 * replaced when an earlier report made it (marker file). The index path is the last stdout line.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { StagedDir } from "../io/staged_dir.ts";
import { buildSite } from "../report/build_site.ts";
import { renderSite, type SiteFile } from "../report/render_site.ts";
import type { ReportInput } from "../report/types.ts";
import { readInput } from "./_read_input.ts";
import { parseFlags } from "./args.ts";
import { CliError, EXIT, log, out, runCli } from "./error.ts";

/** Name of the marker file that identifies a folder written by `report` (and so replaceable by it). */
export const REPORT_MARKER = ".sgd-limits-report";

/** Default site folder. */
export const DEFAULT_OUT = "results/site";

const HELP =
  `Write self-contained HTML chart pages (chart.js inlined, offline, file://) for sgd-limits results files.

USAGE:
  deno task report <file or folder> [<file or folder>...] [--out <dir>]

  Folders contribute every *.json directly inside them (not recursive; hidden files ignored).
  Every file is validated first; one bad file stops the report and nothing is written.

OPTIONS:
  --out <dir>    site folder to create or replace (default ${DEFAULT_OUT}); must be under ./results.
                 An existing non-empty folder is replaced only if an earlier report wrote it
                 (it holds a ${REPORT_MARKER} marker file).
  --verbose      print error causes and stacks
  -h, --help     show this help

OUTPUT:
  <dir>/index.html (runs, benchmarks, cross-machine digest check) and <dir>/benchmarks/<id>.html
  (verdict tables, plots, history across runs, cost per machine). The last stdout line is the index path.

EXIT CODES:
  0 written     1 internal failure (e.g. chart.js missing)     2 bad flags, inputs or --out`;

const NOT_PERMITTED =
  "not permitted (the report task may only write under ./results)";

interface ReportArgs {
  readonly help: boolean;
  readonly out: string;
  readonly inputs: readonly string[];
}

function parseReportArgs(argv: readonly string[]): ReportArgs {
  const parsed = parseFlags(argv, {
    out: { type: "string" },
    help: { type: "boolean", short: "h" },
    verbose: { type: "boolean" },
  });
  const o = parsed.values.out;
  if (o !== undefined && o.trim() === "") {
    throw new CliError('invalid --out "": expected a folder path');
  }
  return {
    help: parsed.values.help ?? false,
    out: o === undefined ? DEFAULT_OUT : o.replace(/(.)\/+$/, "$1"),
    inputs: parsed.positionals,
  };
}

async function expandInputs(args: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    const abs = resolve(p);
    if (!seen.has(abs)) {
      seen.add(abs);
      files.push(p);
    }
  };
  for (const arg of args) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(arg);
    } catch (e) {
      throw new CliError(
        `cannot read "${arg}": ${
          e instanceof Deno.errors.NotFound
            ? "no such file or folder"
            : (e as Error).message
        }`,
      );
    }
    if (!info.isDirectory) {
      add(arg);
      continue;
    }
    const names: string[] = [];
    try {
      for await (const entry of Deno.readDir(arg)) {
        if (entry.name.startsWith(".") || !entry.name.endsWith(".json")) {
          continue;
        }
        const path = join(arg, entry.name);
        if (
          entry.isFile || (entry.isSymlink && (await Deno.stat(path)).isFile)
        ) {
          names.push(entry.name);
        }
      }
    } catch (e) {
      throw new CliError(
        `cannot list folder "${arg}": ${(e as Error).message}`,
      );
    }
    if (names.length === 0) {
      throw new CliError(`folder "${arg}" holds no results files (*.json)`);
    }
    for (const name of names.sort()) add(join(arg, name));
  }
  return files;
}

async function readChartJs(): Promise<{ source: string; version: string }> {
  const candidates: string[] = [];
  try {
    // Resolves to node_modules/chart.js/dist/chart.js; the UMD build sits beside it (not in the exports map).
    candidates.push(
      dirname(new URL(import.meta.resolve("chart.js")).pathname),
    );
  } catch { /* not resolvable: fall back to the known path */ }
  candidates.push(
    new URL("../../node_modules/chart.js/dist", import.meta.url).pathname,
  );
  let lastError: unknown;
  for (const dist of candidates) {
    try {
      const source = await Deno.readTextFile(join(dist, "chart.umd.min.js"));
      const pkg = JSON.parse(
        await Deno.readTextFile(join(dist, "..", "package.json")),
      ) as { version?: unknown };
      return { source, version: String(pkg.version ?? "unknown") };
    } catch (e) {
      lastError = e;
    }
  }
  throw new CliError(
    `cannot read chart.js (dist/chart.umd.min.js; run ./task to install npm packages): ${
      (lastError as Error | undefined)?.message ?? "not found"
    }`,
    EXIT.failure,
  );
}

function permissionAware(e: unknown, what: string): CliError {
  if (e instanceof CliError) return e;
  const why = e instanceof Deno.errors.NotCapable
    ? NOT_PERMITTED
    : (e as Error).message;
  return new CliError(`${what}: ${why}`);
}

/** State of the --out folder before writing. */
type OutState = "absent" | "empty" | "report";

async function outState(outDir: string): Promise<OutState> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(outDir);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return "absent";
    throw permissionAware(e, `cannot use --out "${outDir}"`);
  }
  if (info.isSymlink || !info.isDirectory) {
    throw new CliError(
      `refusing to replace --out "${outDir}": it exists and is not a folder`,
    );
  }
  let empty = true;
  let marked = false;
  try {
    for await (const e of Deno.readDir(outDir)) {
      empty = false;
      if (e.name === REPORT_MARKER && e.isFile) marked = true;
    }
  } catch (e) {
    throw permissionAware(e, `cannot list --out "${outDir}"`);
  }
  if (empty) return "empty";
  if (!marked) {
    throw new CliError(
      `refusing to replace --out "${outDir}": it is not empty and was not written by report (no ${REPORT_MARKER} file)`,
    );
  }
  return "report";
}

/**
 * Writes the site atomically (see {@linkcode StagedDir}): into a hidden temporary sibling folder, then renamed
 * to `outDir`. An existing report folder is renamed away first, the new one renamed in, and the old one
 * deleted; if the second rename fails, the old folder is put back. SIGINT/SIGTERM during the write remove the
 * temporary folder.
 */
async function writeSite(
  outDir: string,
  files: readonly SiteFile[],
): Promise<void> {
  const state = await outState(outDir);
  let staged: StagedDir;
  try {
    staged = await StagedDir.create(outDir);
  } catch (e) {
    throw permissionAware(e, `cannot write the report to "${outDir}"`);
  }
  try {
    await staged.write(
      REPORT_MARKER,
      "Written by `deno task report` (sgd-limits); the next report replaces this whole folder.\n",
    );
    for (const f of files) await staged.write(f.path, f.text);
    try {
      // An empty existing folder is replaced too.
      await staged.commit({
        replace: state !== "absent",
        onStaleOld: (old, e) =>
          log(
            `warning: could not delete the previous report "${old}": ${
              (e as Error).message
            }`,
          ),
      });
    } catch (e) {
      throw permissionAware(e, `cannot move the report into "${outDir}"`);
    }
  } finally {
    await staged.discard();
  }
}

/**
 * Runs the command.
 *
 * @param argv Command-line arguments.
 * @returns The exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseReportArgs(argv);
  if (args.help) {
    out(HELP);
    return EXIT.ok;
  }
  if (args.inputs.length === 0) {
    throw new CliError(
      "no results file or folder given (usage: deno task report <file or folder>... [--out <dir>])",
    );
  }
  const paths = await expandInputs(args.inputs);
  const inputs: ReportInput[] = [];
  for (const path of paths) {
    inputs.push({ path, doc: await readInput(path) });
  }
  let site;
  try {
    site = buildSite(inputs);
  } catch (e) {
    if (e instanceof RangeError) throw new CliError(e.message, EXIT.usage);
    throw e;
  }
  const chartJs = await readChartJs();
  const files = renderSite(site, {
    chartJs: chartJs.source,
    chartJsVersion: chartJs.version,
  });
  await writeSite(args.out, files);
  log(
    `report: ${site.runs.length} run(s), ${site.benchmarks.length} benchmark page(s) written to ${args.out}`,
  );
  out(join(args.out, "index.html"));
  return EXIT.ok;
}

if (import.meta.main) await runCli(main);
