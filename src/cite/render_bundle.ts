import { canonicalJson } from "../results/canonical_json.ts";
import { type Bundle, type CitedCell, SHORT_HASH_LENGTH } from "./bundle.ts";
import { formatUncertainty } from "./format_uncertainty.ts";
import { macroName, spellValue } from "./macro_name.ts";

/** Names of the files of a bundle, in the order they are written. */
export const BUNDLE_FILES = [
  "bundle.json",
  "CITATION.cff",
  "macros.tex",
  "table.md",
  "README.md",
] as const;

/** One number of a bundle (a metric value or a reference prediction) with its macro name. */
export interface HeadlineNumber {
  readonly benchmarkId: string;
  readonly key: string;
  readonly metric: string;
  /** Reference name for a prediction, null for the measured value. */
  readonly reference: string | null;
  readonly kind: "accuracy" | "cost";
  readonly value: number;
  readonly stderr: number | null;
  readonly n: number | null;
  readonly unit: string;
  /** Verdict of a prediction against the measured value. */
  readonly verdict: string | null;
  readonly macro: string;
}

function cellParts(c: CitedCell): string[] {
  const parts = [c.benchmark.id];
  for (const p of c.naming) {
    const v = c.cell.params[p];
    if (v !== undefined) parts.push(p, spellValue(v));
  }
  return parts;
}

/**
 * Lists the numbers of a bundle — each metric value of each cited cell and each reference prediction — with
 * collision-free LaTeX macro names: `sgdl` + benchmark id + (name, spelled value) of every parameter that
 * varies among the benchmark's cells + metric [+ reference], all as capitalised letters-only words
 * (`\sgdlSgdQuadraticSpeedBetaZeroEtaZeroPointZeroFiveSpeedExact`).
 *
 * @param bundle The bundle.
 * @returns Numbers in bundle order (null values are skipped).
 * @throws {RangeError} If two numbers map to the same macro name.
 *
 * @example Usage
 * ```ts
 * import { headlineNumbers } from "./render_bundle.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(headlineNumbers({ cited: [] } as never), []);
 * ```
 */
export function headlineNumbers(bundle: Bundle): HeadlineNumber[] {
  const out: HeadlineNumber[] = [];
  const seen = new Map<string, string>();
  const add = (h: HeadlineNumber) => {
    const what = `${h.benchmarkId}/${h.key} ${h.metric}${
      h.reference ? "." + h.reference : ""
    }`;
    const other = seen.get(h.macro);
    if (other !== undefined) {
      throw new RangeError(
        `Cannot name LaTeX macros as "${what}" and "${other}" both map to \\${h.macro}`,
      );
    }
    seen.set(h.macro, what);
    out.push(h);
  };
  for (const c of bundle.cited) {
    const parts = cellParts(c);
    const metrics = Object.entries(c.cell.metrics).sort(([, a], [, b]) =>
      a.kind === b.kind ? 0 : a.kind === "accuracy" ? -1 : 1
    );
    for (const [name, m] of metrics) {
      if (m.value !== null) {
        add({
          benchmarkId: c.benchmark.id,
          key: c.cell.key,
          metric: name,
          reference: null,
          kind: m.kind,
          value: m.value,
          stderr: m.stderr,
          n: m.kind === "cost" ? (m.samples?.length ?? null) : m.n,
          unit: m.unit,
          verdict: null,
          macro: macroName([...parts, name]),
        });
      }
      for (const [rn, r] of Object.entries(m.references)) {
        add({
          benchmarkId: c.benchmark.id,
          key: c.cell.key,
          metric: name,
          reference: rn,
          kind: m.kind,
          value: r.value,
          stderr: null,
          n: null,
          unit: m.unit,
          verdict: r.verdict,
          macro: macroName([...parts, name, rn]),
        });
      }
    }
  }
  return out;
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}

function verifyCommand(bundle: Bundle): string {
  const checkout = bundle.source.commit
    ? `git checkout ${bundle.source.commit} && `
    : "";
  return `${checkout}./task verify ${bundle.location}`;
}

function citation(bundle: Bundle): string {
  const short = bundle.hash.slice(0, SHORT_HASH_LENGTH);
  const lines = [
    "cff-version: 1.2.0",
    `message: ${
      yamlString(
        `If you use these numbers, please cite them as below. Re-verify them with: ${
          verifyCommand(bundle)
        }`,
      )
    }`,
    `title: ${yamlString(`sgd-limits benchmark numbers, bundle ${short}`)}`,
    "type: dataset",
    "authors:",
    `  - name: ${yamlString("sgd-limits contributors")}`,
    `version: ${yamlString(`${bundle.suite.version}+${bundle.run.id}`)}`,
  ];
  if (bundle.source.commit) {
    lines.push(`commit: ${yamlString(bundle.source.commit)}`);
  }
  lines.push(
    `date-released: ${yamlString(bundle.run.endedAt.slice(0, 10))}`,
    "identifiers:",
    "  - type: other",
    `    value: ${yamlString(`sgd-limits-bundle:sha256:${bundle.hash}`)}`,
    `    description: ${
      yamlString(
        "sha256 over the results file sha256, deno.lock sha256, commit, seeds and the cited cells' digests",
      )
    }`,
    `keywords: ${
      JSON.stringify([
        "SGD",
        "limiting dynamics",
        "benchmark",
        "reproducibility",
      ])
    }`,
    "references:",
    "  - type: article",
    `    title: ${
      yamlString(
        "The Limiting Dynamics of SGD: Modified Loss, Phase-Space Oscillations, and Anomalous Diffusion",
      )
    }`,
    "    authors:",
    ...[
      ["Daniel", "Kunin"],
      ["Javier", "Sagastuy-Brena"],
      ["Lauren", "Gillespie"],
      ["Eshed", "Margalit"],
      ["Hidenori", "Tanaka"],
      ["Surya", "Ganguli"],
      ["Daniel L. K.", "Yamins"],
    ].flatMap(([g, f]) => [
      `      - given-names: ${yamlString(g!)}`,
      `        family-names: ${yamlString(f!)}`,
    ]),
    `    journal: ${yamlString("Neural Computation")}`,
    "    volume: 36",
    "    issue: 1",
    "    year: 2024",
    "    identifiers:",
    "      - type: url",
    `        value: ${yamlString("https://arxiv.org/abs/2107.09133")}`,
  );
  return lines.join("\n") + "\n";
}

function macros(bundle: Bundle, numbers: readonly HeadlineNumber[]): string {
  const lines = [
    `% sgd-limits citation bundle ${bundle.hash}`,
    `% results ${bundle.results.path} (sha256 ${bundle.results.sha256}), run ${bundle.run.id}, seed ${bundle.run.seed}${
      bundle.run.quick ? ", quick" : ""
    }`,
    `% Re-verify: ${verifyCommand(bundle)}`,
    `% Measured values carry their standard error in parentheses (two digits); predictions are exact theory.`,
    `\\newcommand{\\sgdlBundleHash}{\\texttt{${
      bundle.hash.slice(0, SHORT_HASH_LENGTH)
    }}}`,
  ];
  for (const h of numbers) {
    const f = formatUncertainty(h.value, h.stderr, h.reference ? 6 : 4);
    const what = h.reference
      ? `prediction "${h.reference}" (verdict ${h.verdict})`
      : h.kind === "cost"
      ? `median of ${h.n} repeats (machine-dependent)`
      : `measured${h.n !== null ? `, n = ${h.n}` : ""}`;
    lines.push(
      `\\newcommand{\\${h.macro}}{\\ensuremath{${f.latex}}} % ${h.benchmarkId} ${h.key} ${h.metric} [${h.unit}]: ${what}`,
    );
  }
  return lines.join("\n") + "\n";
}

function mdCell(s: string): string {
  return s.replace(/\|/g, "\\|");
}

function table(bundle: Bundle, numbers: readonly HeadlineNumber[]): string {
  const short = bundle.hash.slice(0, SHORT_HASH_LENGTH);
  const lines = [
    "| benchmark | cell | metric | value ± uncertainty | n | unit | predictions | bundle |",
    "| --- | --- | --- | ---: | ---: | --- | --- | --- |",
  ];
  for (const h of numbers) {
    if (h.reference !== null) continue;
    const preds = numbers.filter((p) =>
      p.reference !== null && p.benchmarkId === h.benchmarkId &&
      p.key === h.key && p.metric === h.metric
    ).map((p) =>
      `${p.reference} ${
        formatUncertainty(p.value, null, 6).text
      } (${p.verdict})`
    ).join("; ");
    lines.push(
      `| ${h.benchmarkId} | ${mdCell(h.key)} | ${h.metric}${
        h.kind === "cost" ? " (cost)" : ""
      } | ${formatUncertainty(h.value, h.stderr).text} | ${h.n ?? "-"} | ${
        mdCell(h.unit)
      } | ${preds || "-"} | \`${short}\` |`,
    );
  }
  return lines.join("\n") + "\n";
}

function readme(bundle: Bundle, tableText: string): string {
  const s = bundle.source;
  const e = bundle.environment;
  return [
    `# sgd-limits citation bundle \`${
      bundle.hash.slice(0, SHORT_HASH_LENGTH)
    }\``,
    "",
    `Bundle hash (sha256): \`${bundle.hash}\``,
    "",
    `Numbers cited from \`${bundle.results.path}\` (sha256 \`${bundle.results.sha256}\`), run \`${bundle.run.id}\` ` +
    `(${bundle.run.startedAt} – ${bundle.run.endedAt}), base seed ${bundle.run.seed}${
      bundle.run.quick ? ", quick workloads" : ""
    }; commit \`${s.commit ?? "unknown"}\`${
      s.dirty ? " (dirty checkout)" : ""
    }, deno.lock sha256 \`${s.lockSha256 ?? "unknown"}\`; ${e.backend}${
      e.simd ? " SIMD" : ""
    } on ${e.cpuModel} (${e.logicalCores} cores, ${e.os}/${e.arch}), Deno ${e.deno}, tfjs ${e.tfjs}.`,
    "",
    tableText.trimEnd(),
    "",
    "Accuracy numbers are deterministic for their seed and the same on every machine; cost numbers (time,",
    "throughput) depend on the machine. Files: `bundle.json` (the cited cells, whole, with their digests),",
    "`CITATION.cff`, `macros.tex` (`\\input{macros.tex}` then e.g. `\\" +
    (headlineNumbers(bundle)[0]?.macro ?? "sgdlBundleHash") + "`), `table.md`.",
    "",
    "Re-verify (re-runs exactly the cited cells on this machine and compares):",
    "",
    "```sh",
    verifyCommand(bundle),
    "```",
    "",
  ].join("\n");
}

/**
 * Renders every file of a bundle. The output depends on the bundle alone, so `verify` can regenerate the
 * files and detect an edited one.
 *
 * @param bundle The bundle.
 * @returns File name → contents, for each of {@linkcode BUNDLE_FILES}.
 * @throws {RangeError} If macro names collide.
 *
 * @example Usage
 * ```ts ignore
 * import { renderBundleFiles } from "./render_bundle.ts";
 * const files = renderBundleFiles(bundle);
 * ```
 */
export function renderBundleFiles(
  bundle: Bundle,
): Record<(typeof BUNDLE_FILES)[number], string> {
  const numbers = headlineNumbers(bundle);
  const tableText = table(bundle, numbers);
  return {
    "bundle.json": canonicalJson(bundle),
    "CITATION.cff": citation(bundle),
    "macros.tex": macros(bundle, numbers),
    "table.md": tableText,
    "README.md": readme(bundle, tableText),
  };
}
