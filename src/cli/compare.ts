/**
 * `deno task compare <baseline> <candidate>`: judges a candidate run against a baseline run and exits with a
 * graded code (see HELP).
 *
 * @module
 */
import { compareDocuments } from "../compare/compare_documents.ts";
import { markdownReport, textReport } from "../compare/format_report.ts";
import { gabEntries } from "../compare/gab_entries.ts";
import { Rng } from "../random/rng.ts";
import { checkNewFile, why, writeNewFile } from "./_outputs.ts";
import { readInput } from "./_read_input.ts";
import { parseFlags, parseSeed } from "./args.ts";
import { CliError, EXIT, log, out, runCli } from "./error.ts";

/** Exit codes of `compare` (besides 0, 1 and 2 of every command). */
export const COMPARE_EXIT = {
  accuracyRegression: 3,
  costRegression: 4,
  incomparable: 5,
} as const;

const HELP =
  `Compare a candidate sgd-limits results file with a baseline and gate on regressions.

USAGE:
  deno task compare <baseline.json> <candidate.json> [OPTIONS]

OPTIONS:
  --summary <file.md>        also write the Markdown summary to this new file (atomic; must not exist)
  --gab-json <file>          write github-action-benchmark "customSmallerIsBetter" entries (better: lower)
  --gab-json-bigger <file>   write "customBiggerIsBetter" entries (better: higher)
  --alpha <a>                family-wise error rate over all tests, Holm-Bonferroni (default 0.01)
  --min-effect <f>           smallest slow-down that is a cost regression (default 0.1 = 10 %)
  --rtol <r>                 relative tolerance for accuracy metrics without stderr (default 1e-6)
  --seed <n>                 seed of the bootstrap intervals (default 1)
  --verbose                  print error causes
  -h, --help                 show this help

Accuracy metrics: same seed and digest = identical; otherwise z = Δ/√(se₁²+se₂²) (or --rtol without stderr),
plus any verdict that turns to fail and any prediction that changes at the same seed (a theory change).
Cost metrics: only between runs on the same machine class (backend, simd, cpuModel, logicalCores, os, arch);
two-sided Mann-Whitney U on the repeats and a minimum effect on the ratio of medians; fewer than 3 repeats
a side (or too few for any p < alpha) is "insufficient repeats", not a regression.
When GITHUB_STEP_SUMMARY is set, the Markdown summary is appended to that file.

EXIT CODES:
  0 pass                      3 accuracy regression (takes precedence)
  4 cost regression           5 incomparable (version changed, different machine or quick flag) or no baseline file
  2 bad flags or an unreadable/invalid input file (one "error:" line, nothing written)
  1 internal error`;

function parseNumber(flag: string, text: string, lo: number, hi: number) {
  const x = Number(text);
  if (text.trim() === "" || !Number.isFinite(x) || x <= lo || x >= hi) {
    throw new CliError(
      `invalid ${flag} "${text}": expected a number in (${lo}, ${hi})`,
    );
  }
  return x;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw new CliError(`cannot open baseline "${path}": ${why(e)}`);
  }
}

async function appendStepSummary(markdown: string): Promise<void> {
  let path: string | undefined;
  try {
    path = Deno.env.get("GITHUB_STEP_SUMMARY");
  } catch { /* env not permitted */ }
  if (!path) return;
  try {
    await Deno.writeTextFile(path, markdown, { append: true });
  } catch (e) {
    log(`warning: cannot append to GITHUB_STEP_SUMMARY "${path}": ${why(e)}`);
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
    summary: { type: "string" },
    "gab-json": { type: "string" },
    "gab-json-bigger": { type: "string" },
    alpha: { type: "string" },
    "min-effect": { type: "string" },
    rtol: { type: "string" },
    seed: { type: "string" },
  });
  if (values.help) {
    out(HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 2) {
    throw new CliError(
      `expected two results files, got ${positionals.length} (usage: deno task compare <baseline> <candidate>)`,
    );
  }
  const [basePath, candPath] = positionals as [string, string];
  const alpha = values.alpha === undefined
    ? 0.01
    : parseNumber("--alpha", values.alpha, 0, 1);
  const minEffect = values["min-effect"] === undefined
    ? 0.1
    : parseNumber("--min-effect", values["min-effect"], 0, 100);
  const rtol = values.rtol === undefined
    ? 1e-6
    : parseNumber("--rtol", values.rtol, 0, 1);
  const seed = values.seed === undefined ? 1n : parseSeed(values.seed);
  const outputs: [string, string][] = [];
  if (values.summary !== undefined) outputs.push([values.summary, "--summary"]);
  if (values["gab-json"] !== undefined) {
    outputs.push([values["gab-json"], "--gab-json"]);
  }
  if (values["gab-json-bigger"] !== undefined) {
    outputs.push([values["gab-json-bigger"], "--gab-json-bigger"]);
  }
  if (new Set(outputs.map(([p]) => p)).size !== outputs.length) {
    throw new CliError("two output options name the same file");
  }
  for (const [p, flag] of outputs) await checkNewFile(p, flag);

  const candidate = await readInput(candPath, "candidate");
  if (!(await exists(basePath))) {
    const md =
      `## sgd-limits compare: no baseline (exit 5)\n\nBaseline results "${basePath}" not found: nothing to compare candidate \`${candidate.run.id}\` against.\n`;
    if (values.summary !== undefined) {
      await writeNewFile(values.summary, md, "--summary");
    }
    await appendStepSummary(md);
    throw new CliError(
      `baseline results "${basePath}" not found: nothing to compare against`,
      COMPARE_EXIT.incomparable,
    );
  }
  const baseline = await readInput(basePath, "baseline");
  const report = compareDocuments(baseline, candidate, {
    rng: Rng.fromSeed(seed),
    alpha,
    minEffect,
    rtol,
  });
  const md = markdownReport(report);
  if (values.summary !== undefined) {
    await writeNewFile(values.summary, md, "--summary");
  }
  if (values["gab-json"] !== undefined) {
    await writeNewFile(
      values["gab-json"],
      JSON.stringify(gabEntries(candidate, "lower"), null, 2) + "\n",
      "--gab-json",
    );
  }
  if (values["gab-json-bigger"] !== undefined) {
    await writeNewFile(
      values["gab-json-bigger"],
      JSON.stringify(gabEntries(candidate, "higher"), null, 2) + "\n",
      "--gab-json-bigger",
    );
  }
  await appendStepSummary(md);
  out(textReport(report));
  switch (report.outcome) {
    case "accuracy-regression":
      return COMPARE_EXIT.accuracyRegression;
    case "cost-regression":
      return COMPARE_EXIT.costRegression;
    case "incomparable":
      return COMPARE_EXIT.incomparable;
    case "pass":
      return EXIT.ok;
  }
}

if (import.meta.main) await runCli(main);
