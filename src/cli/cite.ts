/**
 * `deno task cite <results file> (--cells <sel>|--all) [--out <dir>]`: writes a content-hashed citation bundle
 * of chosen cells (bundle.json, CITATION.cff, macros.tex, table.md, README.md) into a new folder, atomically.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  buildBundle,
  type CellSelector,
  parseCellSpec,
} from "../cite/bundle.ts";
import { BUNDLE_FILES, renderBundleFiles } from "../cite/render_bundle.ts";
import { sourceInfo } from "../io/environment.ts";
import { MAX_RESULTS_BYTES } from "../io/read_results.ts";
import { StagedDir } from "../io/staged_dir.ts";
import { parseResults, ResultsError } from "../results/validate.ts";
import type { ResultsDocument } from "../results/types.ts";
import { why } from "./_outputs.ts";
import { checkOutFlag, parseFlags } from "./args.ts";
import { CliError, EXIT, log, out, runCli } from "./error.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

const HELP =
  `Cite numbers from an sgd-limits results file: write a content-hashed citation bundle.

USAGE:
  deno task cite <results.json> --cells <benchmarkId/key,...> [--out <dir>]
  deno task cite <results.json> --all [--out <dir>]

OPTIONS:
  --cells <sel>   cells to cite: comma-separated benchmarkId/key items (a key's own commas are fine:
                  a new item starts at ",<id>/"); a bare benchmarkId cites all its ok cells. Repeatable.
  --all           cite every ok cell
  --out <dir>     bundle folder to create (default results/cite/<first 16 hex of the bundle hash>)
  --verbose       print error causes
  -h, --help      show this help

The bundle hash is sha256 over (results file sha256, deno.lock sha256, commit, seeds, cited digests).
The folder is built under a temporary name and renamed into place, so it is complete or absent.
Files: bundle.json (cited cells whole, with digests; run, source, environment), CITATION.cff, macros.tex
(\\sgdl<Benchmark><VaryingParamValues><Metric>[<Reference>], letters only), table.md, README.md with the
re-verify command (deno task verify <dir>). The folder path is printed last on stdout.

EXIT CODES:
  0 written (or an identical bundle already exists)
  2 bad flags, an unreadable/invalid results file, or a selection that matches nothing
  1 internal error`;

async function readResultsBytes(
  path: string,
): Promise<{ doc: ResultsDocument; sha256: string }> {
  let bytes: Uint8Array;
  try {
    const size = (await Deno.stat(path)).size;
    if (size > MAX_RESULTS_BYTES) {
      throw new ResultsError(
        path,
        `it is ${size} bytes, more than the ${MAX_RESULTS_BYTES} this build reads`,
      );
    }
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (e instanceof ResultsError) throw new CliError(e.message);
    throw new CliError(
      `Cannot read results "${path}" as it cannot be opened: ${why(e)}`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (e) {
    throw new CliError(
      `Cannot read results "${path}" as it is not UTF-8 text: ${why(e)}`,
    );
  }
  try {
    const doc = parseResults(text, path);
    return {
      doc,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    };
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

async function existing(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw new CliError(`cannot use bundle folder "${path}": ${why(e)}`);
  }
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
    all: { type: "boolean" },
    cells: { type: "string", multiple: true },
    out: { type: "string" },
  });
  if (values.help) {
    out(HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new CliError(
      `expected one results file, got ${positionals.length} (usage: deno task cite <results.json> --cells <sel>|--all)`,
    );
  }
  const cellsFlags = values.cells ?? [];
  if (values.all && cellsFlags.length > 0) {
    throw new CliError("give either --cells or --all, not both");
  }
  if (!values.all && cellsFlags.length === 0) {
    throw new CliError(
      "nothing to cite: give --cells <benchmarkId/key,...> or --all",
    );
  }
  let select: CellSelector[] | "all" = "all";
  if (!values.all) {
    try {
      select = cellsFlags.flatMap(parseCellSpec);
    } catch (e) {
      throw new CliError(`invalid --cells: ${(e as Error).message}`);
    }
  }
  checkOutFlag(values.out);
  const resultsPath = positionals[0]!;
  const { doc, sha256 } = await readResultsBytes(resultsPath);
  let bundle;
  try {
    bundle = buildBundle(doc, {
      resultsPath,
      resultsSha256: sha256,
      select,
      location: values.out ?? "results/cite/{hash}",
    });
  } catch (e) {
    if (e instanceof RangeError) throw new CliError(e.message);
    throw e;
  }
  let files;
  try {
    files = renderBundleFiles(bundle);
  } catch (e) {
    if (e instanceof RangeError) throw new CliError(e.message);
    throw e;
  }
  const target = bundle.location;
  if (await existing(target)) {
    let same = true;
    for (const name of BUNDLE_FILES) {
      try {
        same &&= await Deno.readTextFile(join(target, name)) === files[name];
      } catch {
        same = false; // not a (complete) bundle
      }
    }
    if (!same) {
      throw new CliError(
        `refusing to overwrite existing "${target}" (choose another --out)`,
      );
    }
    out(`bundle ${bundle.hash} already exists (identical)`);
    out(target);
    return EXIT.ok;
  }
  let staged: StagedDir;
  try {
    staged = await StagedDir.create(target);
  } catch (e) {
    throw new CliError(`cannot write bundle "${target}": ${why(e)}`);
  }
  try {
    const here = await sourceInfo(ROOT);
    if (doc.source.dirty) {
      log(
        "warning: the results come from a checkout with uncommitted changes: the commit alone does not reproduce them",
      );
    }
    if (doc.source.commit !== null && here.commit !== doc.source.commit) {
      log(
        `warning: the results were produced at commit ${
          doc.source.commit.slice(0, 12)
        }, this checkout is at ${
          here.commit?.slice(0, 12) ?? "no commit"
        } (verify needs the results' commit)`,
      );
    }
    try {
      for (const name of BUNDLE_FILES) await staged.write(name, files[name]);
      await staged.commit({ replace: false });
    } catch (e) {
      if (e instanceof Deno.errors.AlreadyExists) {
        throw new CliError(
          `refusing to overwrite "${target}" (created meanwhile)`,
        );
      }
      throw new CliError(`cannot write bundle "${target}": ${why(e)}`);
    }
  } finally {
    await staged.discard();
  }
  out(files["table.md"].trimEnd());
  out(`bundle ${bundle.hash}: ${bundle.cited.length} cell(s)`);
  out(target);
  return EXIT.ok;
}

if (import.meta.main) await runCli(main);
