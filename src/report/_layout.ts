import { createHash } from "node:crypto";
import { inlineScript, jsonForScript } from "./escape.ts";
import { markup, type SafeHtml, trustedHtml } from "./html.ts";
import type { ChartView } from "./types.ts";

/**
 * The page's own script (trusted, static): turns off animation, registers the ±stderr error-bar plugin and
 * creates one chart per entry of the embedded JSON. It reads data only from the JSON element, never from HTML.
 */
export const BOOTSTRAP_JS = `(function () {
  "use strict";
  Chart.defaults.animation = false;
  Chart.register({
    id: "sgdErrorBars",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var y = chart.scales.y;
      var area = chart.chartArea;
      chart.data.datasets.forEach(function (ds, i) {
        if (!ds.errorBars || !chart.isDatasetVisible(i)) return;
        var meta = chart.getDatasetMeta(i);
        ctx.save();
        ctx.beginPath();
        ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
        ctx.clip();
        ctx.strokeStyle = ds.borderColor;
        ctx.lineWidth = 1;
        meta.data.forEach(function (pt, j) {
          var se = ds.errorBars[j];
          var d = ds.data[j];
          var v = d === null || d === undefined ? null : typeof d === "number" ? d : d.y;
          if (se === null || se === undefined || !(se > 0) || v === null || pt.skip) return;
          var lo = v - se;
          var yLo = y.type === "logarithmic" && !(lo > 0) ? area.bottom : y.getPixelForValue(lo);
          var yHi = y.getPixelForValue(v + se);
          ctx.beginPath();
          ctx.moveTo(pt.x, yLo); ctx.lineTo(pt.x, yHi);
          ctx.moveTo(pt.x - 3, yLo); ctx.lineTo(pt.x + 3, yLo);
          ctx.moveTo(pt.x - 3, yHi); ctx.lineTo(pt.x + 3, yHi);
          ctx.stroke();
        });
        ctx.restore();
      });
    }
  });
  var el = document.getElementById("chart-data");
  var specs = el ? JSON.parse(el.textContent) : [];
  specs.forEach(function (s) {
    new Chart(document.getElementById(s.canvasId), s.config);
  });
})();
`;

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1a1a; margin: 0 auto;
  max-width: 1200px; padding: 0 16px 48px; }
h1 { font-size: 22px; margin: 18px 0 6px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
h3 { font-size: 15px; margin: 18px 0 6px; } h4 { font-size: 14px; margin: 12px 0 4px; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
table { border-collapse: collapse; margin: 6px 0 10px; font-size: 13px; }
th, td { border: 1px solid #d0d0d0; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.explain { background: #f6f8fa; border: 1px solid #dde3ea; padding: 8px 12px; border-radius: 4px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px; font-weight: 600; }
.v-pass { background: #d7f5dd; color: #0b5d1e; } .v-fail { background: #fcd5d5; color: #8a0b0b; }
.v-expected-break { background: #fdecc8; color: #7a4a00; } .v-none { background: #ececec; color: #555; }
.s-ok { background: #d7f5dd; color: #0b5d1e; } .s-diverged { background: #fdecc8; color: #7a4a00; }
.s-error { background: #fcd5d5; color: #8a0b0b; }
.alert { background: #fcd5d5; border: 2px solid #b00020; color: #5c0011; padding: 8px 12px; border-radius: 4px;
  margin: 12px 0; } .alert h2 { border: 0; margin: 0 0 6px; color: #8a0b0b; }
.okbox { background: #e9f7ec; border: 1px solid #9ed3a8; padding: 6px 12px; border-radius: 4px; }
.cell { border: 1px solid #ddd; border-radius: 4px; padding: 4px 14px 10px; margin: 14px 0; }
.chart { position: relative; height: 340px; margin: 4px 0 2px; }
.caption { color: #555; font-size: 12.5px; margin: 0 0 10px; } .muted { color: #666; }
.params td:first-child { font-family: ui-monospace, monospace; }
`;

function scriptHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
}

/** What a page consists of. */
export interface PageParts {
  readonly title: string;
  readonly body: SafeHtml;
  readonly charts: readonly ChartView[];
  /** chart.js UMD source; inlined only when the page has charts. */
  readonly chartJs: string;
}

/**
 * Wraps a page body into a self-contained HTML document: inline CSS, a Content-Security-Policy that allows only
 * the page's own two inline scripts (by hash), chart.js and the bootstrap inlined, chart configurations as
 * embedded JSON.
 *
 * @param parts Title, body, charts and the chart.js source.
 * @returns The HTML document.
 *
 * @example Usage
 * ```ts
 * import { renderPage } from "./_layout.ts";
 * import { markup } from "./html.ts";
 * import assert from "node:assert/strict";
 *
 * const page = renderPage({ title: "<t>", body: markup`<p>hi</p>`, charts: [], chartJs: "" });
 * assert.match(page, /^<!DOCTYPE html>/);
 * assert.ok(page.includes("<title>&lt;t&gt;</title>"));
 * assert.ok(page.includes("script-src 'none'".replaceAll("'", "&#39;")));
 * ```
 */
export function renderPage(parts: PageParts): string {
  const scripts: string[] = [];
  let data = markup``;
  if (parts.charts.length > 0) {
    scripts.push(inlineScript(parts.chartJs), inlineScript(BOOTSTRAP_JS));
    const specs = parts.charts.map((c) => ({
      canvasId: c.canvasId,
      config: c.config,
    }));
    data = markup`<script type="application/json" id="chart-data">${
      trustedHtml(jsonForScript(specs))
    }</script>`;
  }
  const csp = [
    "default-src 'none'",
    `script-src ${
      scripts.length > 0 ? scripts.map(scriptHash).join(" ") : "'none'"
    }`,
    "style-src 'unsafe-inline'",
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return String(markup`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${parts.title}</title>
<style>${trustedHtml(CSS)}</style>
</head>
<body>
${parts.body}
${data}
${scripts.map((s) => markup`<script>${trustedHtml(s)}</script>\n`)}</body>
</html>
`);
}
