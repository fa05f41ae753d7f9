import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { buildSite } from "../../src/report/build_site.ts";
import { renderSite } from "../../src/report/render_site.ts";
import type { ChartConfig } from "../../src/report/types.ts";
import {
  demoDocument,
  demoRuns,
  EVIL_IMG,
  EVIL_MIXED,
  EVIL_SCRIPT,
} from "./_fixtures.ts";

const CHART_JS =
  "window.Chart = function () {}; // stub with a </script> inside";
const OPTS = { chartJs: CHART_JS, chartJsVersion: "4.6.1" };

async function evilSite() {
  const evil = await demoDocument({
    id: "evil",
    startedAt: "2026-01-01T00:00:00Z",
    evil: true,
  });
  const twin = await demoDocument({
    id: "evil-twin",
    startedAt: "2026-01-01T01:00:00Z",
    evil: true,
    cpuModel: `other ${EVIL_SCRIPT}`,
    shift: 1,
  });
  return renderSite(
    buildSite([{ path: `x${EVIL_IMG}.json`, doc: evil }, {
      path: "t.json",
      doc: twin,
    }]),
    OPTS,
  );
}

function scripts(text: string): { attrs: string; body: string }[] {
  return [...text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/gi)].map((
    m,
  ) => ({
    attrs: m[1]!,
    body: m[2]!,
  }));
}

Deno.test("renderSite() escapes every free-text field: no payload reaches the HTML unescaped", async () => {
  const files = await evilSite();
  assert.deepEqual(files.map((f) => f.path), [
    "index.html",
    "benchmarks/report_demo.html",
  ]);
  for (const f of files) {
    for (
      const payload of [
        EVIL_SCRIPT,
        EVIL_IMG,
        "<script>alert",
        "<img",
        'onerror="',
        "<!--",
      ]
    ) {
      assert.ok(
        !f.text.includes(payload),
        `${f.path} contains raw ${JSON.stringify(payload)}`,
      );
    }
    // The payloads are there, escaped: they are shown, not executed.
    assert.ok(
      f.text.includes("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;"),
      f.path,
    );
  }
  const page = files[1]!.text;
  assert.ok(
    page.includes("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
  );
  // Exactly three script elements: chart data (JSON), chart.js and the bootstrap; no other tag opened.
  const s = scripts(page);
  assert.equal(s.length, 3);
  assert.equal(s[0]!.attrs, ' type="application/json" id="chart-data"');
  assert.equal(s[1]!.attrs, "");
  assert.equal((page.match(/<script/gi) ?? []).length, 3);
  assert.equal((page.match(/<img/gi) ?? []).length, 0);
  // U+2028/2029 are harmless in HTML text but must not reach script text raw.
  assert.ok(
    page.includes("\u2028"),
    "the paper reference keeps its U+2028 as text",
  );
  for (const { body } of s) assert.doesNotMatch(body, /[\u2028\u2029]/);
  // The index has no charts: no script at all.
  assert.equal(scripts(files[0]!.text).length, 0);
});

Deno.test("renderSite() embeds chart configs as JSON that parses back to the original labels", async () => {
  const files = await evilSite();
  const page = files[1]!.text;
  const specs = JSON.parse(scripts(page)[0]!.body) as {
    canvasId: string;
    config: ChartConfig;
  }[];
  const labels = specs.flatMap((s) =>
    s.config.data.datasets.map((d) => d.label)
  );
  assert.ok(labels.includes(`measured ${EVIL_SCRIPT}`));
  assert.ok(labels.includes(`exact ${EVIL_IMG}`));
  assert.ok(labels.includes(`continuous ${EVIL_MIXED}`));
  const axes = specs.map((s) => s.config.options.scales.x.title.text);
  assert.ok(axes.includes(`step k ${EVIL_SCRIPT}`));
  // Every canvas has exactly one config and vice versa.
  const canvases = [...page.matchAll(/<canvas id="([^"]+)"/g)].map((m) =>
    m[1]!
  );
  assert.deepEqual(canvases.sort(), specs.map((s) => s.canvasId).sort());
  assert.ok(canvases.length > 0);
});

Deno.test("renderSite() pins the inline scripts in a Content-Security-Policy by sha256", async () => {
  const page = (await evilSite())[1]!.text;
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/
    .exec(page)![1]!
    .replaceAll("&#39;", "'");
  const s = scripts(page);
  const hash = (t: string) =>
    `'sha256-${createHash("sha256").update(t).digest("base64")}'`;
  assert.match(csp, /default-src 'none'/);
  assert.ok(
    csp.includes(`script-src ${hash(s[1]!.body)} ${hash(s[2]!.body)};`),
    csp,
  );
  // chart.js is inlined with its </script broken.
  assert.equal(s[1]!.body, CHART_JS.replace("</script>", "<\\/script>"));
  assert.match(s[2]!.body, /Chart\.defaults\.animation = false/);
});

Deno.test("renderSite() shows verdicts, expected-break reasons, params, mismatches and links", async () => {
  const inputs = await demoRuns();
  const [index, page] = renderSite(buildSite(inputs), OPTS);
  for (const r of inputs) assert.ok(index!.text.includes(r.doc.run.id));
  assert.ok(index!.text.includes('href="benchmarks/report_demo.html"'));
  assert.ok(index!.text.includes('id="digest-mismatches"'));
  assert.ok(page!.text.includes('href="../index.html"'));
  assert.ok(page!.text.includes('id="digest-mismatches"'));
  assert.ok(
    page!.text.includes(
      '<span class="badge v-expected-break">expected-break</span>',
    ),
  );
  assert.ok(page!.text.includes("too far from the limit"));
  assert.ok(page!.text.includes("<th>eta</th><th>label</th><th>seed</th>"));
  assert.ok(page!.text.includes("unstable"));
  // Digest agreement message for a commit without mismatches.
  const agree = renderSite(
    buildSite(inputs.filter((i) => i.doc.run.id !== "run-c")),
    OPTS,
  );
  assert.ok(!agree[0]!.text.includes('id="digest-mismatches"'));
  assert.match(agree[1]!.text, /Accuracy digests agree: 3 cell\(s\) compared/);
});
