import type {
  ComparisonReport,
  Finding,
  FindingStatus,
} from "./compare_documents.ts";

const TITLES: Readonly<Record<FindingStatus, string>> = {
  "accuracy-regression": "Accuracy regressions",
  "cost-regression": "Cost regressions",
  improvement: "Improvements",
  incomparable: "Incomparable",
  "insufficient-repeats": "Insufficient repeats",
  added: "Added",
  removed: "Removed",
  unchanged: "Unchanged",
  identical: "Identical",
};

const OUTCOME_TEXT = {
  "accuracy-regression": "accuracy regression (exit 3)",
  "cost-regression": "cost regression (exit 4)",
  incomparable: "incomparable (exit 5)",
  pass: "pass (exit 0)",
} as const;

function num(x: number | null): string {
  if (x === null) return "-";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(3) : x.toPrecision(4);
}

function change(f: Finding): string {
  if (f.ratio === null) return "-";
  const ci = f.interval
    ? ` [${f.interval[0].toFixed(3)}, ${f.interval[1].toFixed(3)}]`
    : "";
  return `×${f.ratio.toFixed(3)}${ci}`;
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function where(f: Finding): string {
  return f.key === null ? f.benchmarkId : `${f.benchmarkId} / ${f.key}`;
}

/**
 * Renders a comparison as Markdown for a CI job summary: the outcome, counts, then tables of regressions,
 * improvements, incomparable items, insufficient repeats, and added or removed items (unchanged and identical
 * items are only counted), and the method.
 *
 * @param report A comparison.
 * @returns Markdown text ending in a newline.
 *
 * @example Usage
 * ```ts
 * import { markdownReport } from "./format_report.ts";
 * import assert from "node:assert/strict";
 *
 * const id = { runId: "a", commit: null, quick: true, seed: "1", cpuModel: "x" };
 * const counts = { "accuracy-regression": 0, "cost-regression": 0, improvement: 0, incomparable: 0,
 *   "insufficient-repeats": 0, added: 0, removed: 0, unchanged: 0, identical: 0 };
 * const md = markdownReport({ baseline: id, candidate: id, machineDifferences: [], alpha: 0.01, minEffect: 0.1,
 *   tests: 0, findings: [], counts, outcome: "pass" });
 * assert.match(md, /pass \(exit 0\)/);
 * ```
 */
export function markdownReport(report: ComparisonReport): string {
  const lines: string[] = [];
  const b = report.baseline;
  const c = report.candidate;
  lines.push(
    `## sgd-limits compare: ${OUTCOME_TEXT[report.outcome]}`,
    "",
    `Baseline \`${b.runId}\` (${
      b.commit?.slice(0, 8) ?? "no commit"
    }) → candidate \`${c.runId}\` (${c.commit?.slice(0, 8) ?? "no commit"}).`,
    "",
    "| " +
      (Object.keys(TITLES) as FindingStatus[]).map((s) => TITLES[s]).join(
        " | ",
      ) + " |",
    "|" + " ---: |".repeat(Object.keys(TITLES).length),
    "| " +
      (Object.keys(TITLES) as FindingStatus[]).map((s) => report.counts[s])
        .join(" | ") +
      " |",
    "",
  );
  const shown: FindingStatus[] = [
    "accuracy-regression",
    "cost-regression",
    "improvement",
    "incomparable",
    "insufficient-repeats",
    "added",
    "removed",
  ];
  for (const s of shown) {
    const rows = report.findings.filter((f) => f.status === s);
    if (rows.length === 0) continue;
    lines.push(
      `### ${TITLES[s]} (${rows.length})`,
      "",
      "| benchmark / cell | metric | baseline | candidate | change | reason |",
      "| --- | --- | ---: | ---: | --- | --- |",
    );
    for (const f of rows) {
      const unit = f.unit && f.unit !== "1" ? ` ${f.unit}` : "";
      lines.push(
        `| ${mdEscape(where(f))} | ${f.metric ?? "-"} | ${num(f.baseline)}${
          f.baseline === null ? "" : unit
        } | ${num(f.candidate)}${f.candidate === null ? "" : unit} | ${
          change(f)
        } | ${mdEscape(f.reason)} |`,
      );
    }
    lines.push("");
  }
  lines.push(
    `Method: ${report.tests} statistical test(s) in one Holm–Bonferroni family at α = ${report.alpha}; ` +
      `accuracy by z = Δ/√(se₁² + se₂²) (or relative tolerance without stderr) plus verdict and prediction ` +
      `changes; cost by two-sided Mann–Whitney U with a minimum effect of ${
        report.minEffect * 100
      } % on the ratio of medians (95 % bootstrap interval in brackets). ` +
      (report.machineDifferences.length
        ? `Machines differ in ${
          report.machineDifferences.join(", ")
        }: cost metrics not compared.`
        : "Same machine class: cost metrics compared."),
    "",
  );
  return lines.join("\n");
}

/**
 * Renders a comparison as plain text for a terminal: one line per regression, improvement, incomparable,
 * insufficient, added or removed item, then the counts and the outcome.
 *
 * @param report A comparison.
 * @returns Lines of text (no trailing newline).
 *
 * @example Usage
 * ```ts
 * import { textReport } from "./format_report.ts";
 * import assert from "node:assert/strict";
 *
 * const id = { runId: "a", commit: null, quick: true, seed: "1", cpuModel: "x" };
 * const counts = { "accuracy-regression": 0, "cost-regression": 0, improvement: 0, incomparable: 0,
 *   "insufficient-repeats": 0, added: 0, removed: 0, unchanged: 2, identical: 0 };
 * const text = textReport({ baseline: id, candidate: id, machineDifferences: [], alpha: 0.01, minEffect: 0.1,
 *   tests: 0, findings: [], counts, outcome: "pass" });
 * assert.match(text, /2 unchanged/);
 * ```
 */
export function textReport(report: ComparisonReport): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    if (f.status === "unchanged" || f.status === "identical") continue;
    lines.push(
      `${f.status.padEnd(20)} ${where(f)}${f.metric ? ` ${f.metric}` : ""}: ${
        f.baseline === null && f.candidate === null
          ? ""
          : `${num(f.baseline)} → ${num(f.candidate)}${
            f.ratio === null ? "" : ` (${change(f)})`
          }; `
      }${f.reason}`,
    );
  }
  const counts = (Object.keys(TITLES) as FindingStatus[])
    .filter((s) => report.counts[s] > 0)
    .map((s) => `${report.counts[s]} ${s}`);
  lines.push(
    `compared ${report.baseline.runId} → ${report.candidate.runId}: ${
      counts.length ? counts.join(", ") : "nothing to compare"
    }; ${report.tests} test(s), Holm α = ${report.alpha}`,
  );
  if (report.machineDifferences.length) {
    lines.push(
      `machines differ (${
        report.machineDifferences.join(", ")
      }): cost metrics not compared`,
    );
  }
  lines.push(`result: ${OUTCOME_TEXT[report.outcome]}`);
  return lines.join("\n");
}
