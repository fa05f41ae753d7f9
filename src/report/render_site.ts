import { renderPage } from "./_layout.ts";
import { formatNumber, markup, type SafeHtml } from "./html.ts";
import type {
  BenchmarkCrossMachine,
  BenchmarkPage,
  CellView,
  ChartView,
  DigestMismatch,
  SiteModel,
  VerdictRow,
} from "./types.ts";

/** One rendered file of the site. */
export interface SiteFile {
  /** Path relative to the site folder, with "/" separators. */
  readonly path: string;
  readonly text: string;
}

/** Options of {@linkcode renderSite}. */
export interface RenderOptions {
  /** Source of chart.js's UMD build (`dist/chart.umd.min.js`), inlined into every page with charts. */
  readonly chartJs: string;
  /** chart.js version, shown in page footers. */
  readonly chartJsVersion: string;
}

function badge(kind: "v" | "s", value: string): SafeHtml {
  return markup`<span class="badge ${kind}-${value}">${value}</span>`;
}

function chartBlock(c: ChartView): SafeHtml {
  return markup`<h4>${c.title}</h4>
<div class="chart"><canvas id="${c.canvasId}" role="img" aria-label="${c.title}"></canvas></div>
${c.caption ? markup`<p class="caption">${c.caption}</p>` : ""}`;
}

function measured(r: VerdictRow): SafeHtml {
  const se = r.stderr === null ? "" : ` ± ${formatNumber(r.stderr)}`;
  const n = r.n === null ? "" : `n = ${r.n}`;
  const how = [n, r.stderrMethod ?? ""].filter((x) => x).join(", ");
  return markup`${formatNumber(r.value)}${se}${
    how ? markup`<br><span class="muted">${how}</span>` : ""
  }`;
}

function verdictCell(j: VerdictRow["judged"]): SafeHtml {
  if (j === null) return badge("v", "none");
  const why = j.expectedBreak === null
    ? ""
    : markup`<br><span class="muted">${j.expectedBreak}</span>`;
  return markup`${badge("v", j.verdict)}${why}`;
}

function verdictTable(rows: readonly VerdictRow[]): SafeHtml {
  if (rows.length === 0) return markup`<p class="muted">No metrics.</p>`;
  return markup`<table>
<tr><th>metric</th><th>unit</th><th>measured ± stderr</th><th>reference</th><th>predicted</th><th>z</th>
<th>rel. err</th><th>budget</th><th>rule</th><th>verdict</th></tr>
${
    rows.map((r) => {
      const j = r.judged;
      return markup`
        <tr>
          <td><code>${r.metric}</code> <span class="muted">(${r.kind})</span></td>
          <td>${r.unit}</td>
          <td class="num">${measured(r)}</td>
          <td>${r.reference ?? "—"}</td>
          <td class="num">${j ? formatNumber(j.value) : "—"}</td>
          <td class="num">${j ? formatNumber(j.z) : "—"}</td>
          <td class="num">${j ? formatNumber(j.relError) : "—"}</td>
          <td class="num">${j ? formatNumber(j.budget) : "—"}</td>
          <td><code>${j?.rule ?? "—"}</code></td>
          <td>${verdictCell(j)}</td>
        </tr>
      `;
    })
  }
</table>`;
}

function cellSection(c: CellView, i: number, showRun: boolean): SafeHtml {
  const t = c.timing;
  return markup`<section class="cell" id="cell-${i}">
<h3>${badge("s", c.status)} ${badge("v", c.verdict)} <code>${c.key}</code></h3>
<table class="params"><tr>${
    c.params.map(([k]) => markup`<th>${k}</th>`)
  }<th>seed</th></tr><tr>${
    c.params.map(([, v]) => markup`<td>${String(v)}</td>`)
  }<td class="mono">${c.seed}</td></tr></table>
${showRun ? markup`<p class="muted">From run ${c.run}.</p>` : ""}
${
    c.message !== null
      ? markup`<p><strong>${c.status}:</strong> ${c.message}</p>`
      : ""
  }
${verdictTable(c.rows)}
${
    c.notes.length > 0
      ? markup`<ul>${c.notes.map((n) => markup`<li>${n}</li>`)}</ul>`
      : ""
  }
<p class="muted">${
    t
      ? `Time: median ${formatNumber(t.medianMs)} ms (min ${
        formatNumber(t.minMs)
      }, max ${
        formatNumber(t.maxMs)
      }) over ${t.repeats} repeat(s) after ${t.warmup} warm-up. `
      : ""
  }Digest <span class="mono">${c.digest.slice(0, 16)}</span>.</p>
${c.charts.map(chartBlock)}
</section>`;
}

function mismatchAlert(
  mismatches: readonly DigestMismatch[],
  commitOf?: (m: DigestMismatch) => string,
): SafeHtml {
  if (mismatches.length === 0) return markup``;
  const dirty = mismatches.some((m) => m.runs.some((r) => r.dirty))
    ? " (runs marked dirty came from a modified working tree: their code may differ from the commit)"
    : "";
  const rows = mismatches.map((m) =>
    m.runs.map((r, j) => {
      const n = m.runs.length;
      const commit = commitOf
        ? markup`<br><span class="mono">${commitOf(m)}</span>`
        : "";
      const head = j === 0
        ? markup`<td rowspan="${n}"><code>${m.benchmarkId}</code> v${m.version}${commit}</td>
<td rowspan="${n}"><code>${m.key}</code></td>`
        : "";
      return markup`<tr>${head}<td>${r.run}${r.dirty ? " (dirty)" : ""}</td>
<td>${r.machine}</td><td class="mono">${r.digest}</td></tr>`;
    })
  );
  return markup`<div class="alert" id="digest-mismatches">
<h2>Accuracy digests differ between runs of the same commit</h2>
<p>The same commit, seed and size must give the same accuracy numbers on every machine.
${mismatches.length} cell(s) differ${dirty}:</p>
<table><tr><th>benchmark</th><th>cell</th><th>run</th><th>machine</th><th>digest</th></tr>
${rows}
</table>
</div>`;
}

const CHART_HELP = markup`<div class="explain">
<strong>Reading the charts.</strong> Points with vertical bars are <em>measured</em> values (simulation or network)
± one standard error; a <em>solid line</em> is the exact discrete-time prediction; a <em>dashed line</em> is the
paper's continuous (Langevin) model; a <em>dotted line</em> is a fit. Verdicts: ${
  badge("v", "pass")
} the prediction
holds within its rule; ${badge("v", "fail")} it does not; ${
  badge("v", "expected-break")
} it does not, in a cell where the theory says it should
not apply (the reason is given); ${badge("v", "none")} nothing to judge.
</div>`;

function crossMachineSection(
  cms: readonly BenchmarkCrossMachine[],
): SafeHtml {
  if (cms.length === 0) {
    return markup`<p class="muted">Needs two or more runs of the same commit.</p>`;
  }
  return markup`${
    cms.map((cm) =>
      markup`<h3>Commit <span class="mono">${
        cm.commit.slice(0, 12)
      }</span> on ${cm.machines.length} machine(s)</h3>
<p>Machines: ${cm.machines.join("; ")}.</p>
${
        cm.mismatches.length > 0
          ? mismatchAlert(cm.mismatches)
          : markup`<p class="okbox">Accuracy digests agree: ${cm.compared} cell(s) compared across runs.</p>`
      }
${
        cm.costs.map((t) =>
          markup`<h4>${t.metric} (${t.unit})</h4>
<table><tr><th>cell</th>${t.columns.map((c) => markup`<th>${c}</th>`)}</tr>
${
            t.keys.map((k, i) =>
              markup`<tr><td><code>${k}</code></td>${
                t.values[i]!.map((v) =>
                  markup`<td class="num">${formatNumber(v)}</td>`
                )
              }</tr>`
            )
          }</table>
${chartBlock(t.chart)}`
        )
      }`
    )
  }`;
}

function footer(opts: RenderOptions): SafeHtml {
  return markup`
    <p class="muted"
      style="margin-top:32px">Generated by <code>deno task report</code> (sgd-limits); charts by chart.js ${opts.chartJsVersion}, inlined.</p>
  `;
}

function benchmarkHtml(
  page: BenchmarkPage,
  site: SiteModel,
  opts: RenderOptions,
): string {
  const mismatches = page.crossMachine.flatMap((c) => c.mismatches);
  const fromSeveralRuns = new Set(page.cells.map((c) => c.run)).size > 1;
  const k = page.counts;
  const body =
    markup`<p><a href="../index.html">← all runs and benchmarks</a></p>
<h1>${page.title}</h1>
<p><code>${page.id}</code> v${page.version} · ${page.paperRef} · ${page.cells.length} cell(s):
${k.ok} ok, ${k.diverged} diverged, ${k.error} error · verdicts: ${k.pass} pass, ${k.fail} fail,
${k.expectedBreak} expected-break</p>
${
      page.olderVersionRuns.length > 0
        ? markup`
        <p
          class="muted">Left out (older benchmark version, numbers not comparable): ${
          page
            .olderVersionRuns.join(", ")
        }.</p>
      `
        : ""
    }
${mismatchAlert(mismatches)}
${CHART_HELP}
<h2>Cells</h2>
<ol>${
      page.cells.map((c, i) =>
        markup`<li><a href="#cell-${i}"><code>${c.key}</code></a> ${
          badge("s", c.status)
        } ${badge("v", c.verdict)}</li>`
      )
    }</ol>
${page.cells.map((c, i) => cellSection(c, i, fromSeveralRuns))}
<h2>History</h2>
${
      page.history.length > 0
        ? markup`<p>Each metric across the ${site.runs.length} given runs in order of start time (label: commit, start time UTC), one line per cell.</p>
${page.history.map(chartBlock)}`
        : markup`<p class="muted">Needs two or more runs containing this benchmark.</p>`
    }
<h2>Across machines</h2>
${crossMachineSection(page.crossMachine)}
${footer(opts)}`;
  const charts = [
    ...page.cells.flatMap((c) => c.charts),
    ...page.history,
    ...page.crossMachine.flatMap((c) => c.costs.map((t) => t.chart)),
  ];
  return renderPage({
    title: `${page.id} — sgd-limits`,
    body,
    charts,
    chartJs: opts.chartJs,
  });
}

function indexHtml(site: SiteModel, opts: RenderOptions): string {
  const mismatches = site.commits.flatMap((g) =>
    g.mismatches.map((m) => ({ m, commit: g.commit }))
  );
  const commitOf = new Map(mismatches.map(({ m, commit }) => [m, commit]));
  const totals = site.runs.reduce(
    (t, r) => {
      const s = r.doc.summary;
      return {
        pass: t.pass + s.pass,
        fail: t.fail + s.fail,
        eb: t.eb + s.expectedBreak,
      };
    },
    { pass: 0, fail: 0, eb: 0 },
  );
  const body = markup`
    <h1>sgd-limits results</h1>
    <p>${site.runs.length} run(s), ${site.benchmarks.length} benchmark(s); verdicts over all runs: ${totals.pass} pass,
    ${totals.fail} fail, ${totals.eb} expected-break.</p>
    ${
    mismatchAlert(
      mismatches.map((x) => x.m),
      (m) => (commitOf.get(m) ?? "").slice(0, 12),
    )
  }
    <div
      class="explain">Each benchmark page shows, per cell, the measured value ± standard error against each
    prediction (exact discrete-time theory, the continuous model), with its verdict: ${
    badge(
      "v",
      "pass",
    )
  }
    ${badge("v", "fail")} ${
    badge(
      "v",
      "expected-break",
    )
  } (the theory says it does not apply there) ${
    badge(
      "v",
      "none",
    )
  }; then every plot of the cell, the history of each metric across these runs, and a comparison of runs of the
    same commit on different machines.</div>
    <h2>Runs</h2>
    <table><tr><th>run</th><th>file</th><th>commit</th><th>dirty</th><th>started (UTC)</th><th>machine</th>
    <th>backend</th><th>quick</th><th>seed</th><th>cells</th><th>ok</th><th>diverged</th><th>error</th><th>pass</th>
    <th>fail</th><th>expected-break</th></tr>
    ${
    site.runs.map((r) => {
      const d = r.doc;
      const s = d.summary;
      const e = d.environment;
      return markup`
        <tr>
          <td class="mono">${d.run.id}<br><span class="muted">${r.label}</span></td>
          <td class="mono">${r.path}</td>
          <td class="mono">${d.source.commit?.slice(0, 12) ?? "—"}</td>
          <td>${
        d.source.dirty === null ? "—" : d.source.dirty ? "yes" : "no"
      }</td>
          <td>${d.run.startedAt}</td>
          <td>${e.cpuModel} (${e.logicalCores} cores, ${e.os}/${e.arch})</td>
          <td>${e.backend}${e.simd ? " + SIMD" : ""}</td>
          <td>${d.run.quick ? "yes" : "no"}</td>
          <td class="mono">${d.run.seed}</td>
          <td class="num">${s.cells}</td>
          <td class="num">${s.ok}</td>
          <td class="num">${s.diverged}</td>
          <td class="num">${s.error}</td>
          <td class="num">${s.pass}</td>
          <td class="num">${s.fail}</td>
          <td class="num">${s.expectedBreak}</td>
        </tr>
      `;
    })
  }</table>
    <h2>Benchmarks</h2>
    <table><tr><th>benchmark</th><th>title</th><th>version</th><th>cells</th><th>ok</th><th>diverged</th><th>error</th>
    <th>pass</th><th>fail</th><th>expected-break</th></tr>
    ${
    site.benchmarks.map((b) => {
      const k = b.counts;
      return markup`
        <tr>
          <td><a href="${b.path}"><code>${b.id}</code></a></td>
          <td>${b.title}</td>
          <td class="num">${b.version}</td>
          <td class="num">${b.cells.length}</td>
          <td class="num">${k.ok}</td>
          <td class="num">${k.diverged}</td>
          <td class="num">${k.error}</td>
          <td class="num">${k.pass}</td>
          <td class="num">${k.fail}</td>
          <td class="num">${k.expectedBreak}</td>
        </tr>
      `;
    })
  }</table>
    <h2>Same commit, several runs (across machines)</h2>
    ${
    site.commits.length === 0
      ? markup`<p class="muted">No commit has two or more runs among the inputs.</p>`
      : markup`<table><tr><th>commit</th><th>runs (machine)</th><th>cells compared</th><th>digests</th></tr>
${
        site.commits.map((g) =>
          markup`
            <tr>
              <td class="mono">${g.commit.slice(0, 12)}</td>
              <td>${
            g.runs.map((r) =>
              markup`${r.run}${r.dirty ? " (dirty)" : ""} — ${r.machine}<br>`
            )
          }</td>
              <td class="num">${g.compared}</td>
              <td>${
            g.mismatches.length === 0
              ? badge("v", "pass")
              : markup`${
                badge("v", "fail")
              } ${g.mismatches.length} cell(s) differ`
          }</td>
            </tr>
          `
        )
      }</table>`
  }
    ${footer(opts)}
  `;
  return renderPage({
    title: "sgd-limits results",
    body,
    charts: [],
    chartJs: opts.chartJs,
  });
}

/**
 * Renders the site: `index.html` (runs, benchmarks, cross-machine summary) and one `benchmarks/<id>.html` per
 * benchmark. Every page is self-contained (CSS, chart.js, data inlined) and works offline from `file://`;
 * every string from a results file is HTML-escaped or embedded as escaped JSON.
 *
 * @param site The page model from `buildSite`.
 * @param options The chart.js source and version.
 * @returns The files, index first.
 *
 * @example Usage
 * ```ts
 * import { renderSite } from "./render_site.ts";
 * import assert from "node:assert/strict";
 *
 * const files = renderSite({ runs: [], benchmarks: [], commits: [] }, { chartJs: "", chartJsVersion: "4.6.1" });
 * assert.deepEqual(files.map((f) => f.path), ["index.html"]);
 * assert.match(files[0]!.text, /^<!DOCTYPE html>/);
 * ```
 */
export function renderSite(
  site: SiteModel,
  options: RenderOptions,
): SiteFile[] {
  return [
    { path: "index.html", text: indexHtml(site, options) },
    ...site.benchmarks.map((b) => ({
      path: b.path,
      text: benchmarkHtml(b, site, options),
    })),
  ];
}
