/**
 * Loads the written chart pages in Debian's Chromium (headless, driven by playwright-core from file://) and
 * checks that they run without console or page errors or network requests, that every canvas holds a drawn
 * chart.js chart, and that script payloads in results files are shown as text, never executed.
 *
 * Needs /usr/bin/chromium (`apt-get install -y chromium`): without it the test fails, it does not skip.
 * The browser is driven from a child process with -A (see _browser_driver.ts for why).
 */
import assert from "node:assert/strict";
import { ROOT, runTask, scratchDir } from "../_util/cli.ts";
import type { ResultsDocument } from "../../src/results/types.ts";
import type { PageState } from "./_browser_driver.ts";
import {
  demoDocument,
  demoRuns,
  EVIL_IMG,
  EVIL_SCRIPT,
  writeDocument,
} from "./_fixtures.ts";

const CHROMIUM = "/usr/bin/chromium";

async function writeSite(
  dir: string,
  name: string,
  docs: readonly ResultsDocument[],
): Promise<string> {
  await Deno.mkdir(`${ROOT}${dir}/${name}-runs`);
  for (const d of docs) {
    await writeDocument(`${ROOT}${dir}/${name}-runs/${d.run.id}.json`, d);
  }
  const r = await runTask("report", "src/cli/report.ts", [
    `${dir}/${name}-runs`,
    "--out",
    `${dir}/${name}`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  return `${ROOT}${dir}/${name}`;
}

async function loadPages(paths: readonly string[]): Promise<PageState[]> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      "tests/report/_browser_driver.ts",
      CHROMIUM,
      ...paths,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(r.stderr);
  assert.equal(r.code, 0, `browser driver failed:\n${stderr}`);
  return JSON.parse(new TextDecoder().decode(r.stdout)) as PageState[];
}

Deno.test("chart pages load in Chromium from file:// with every chart drawn and no script injection", async () => {
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium) to run the browser test`,
    );
  }
  const dir = await scratchDir();
  try {
    const site = await writeSite(
      dir,
      "site",
      (await demoRuns()).map((r) => r.doc),
    );
    const evil = await writeSite(dir, "evil", [
      await demoDocument({
        id: "evil-1",
        startedAt: "2026-01-01T00:00:00Z",
        evil: true,
      }),
      await demoDocument({
        id: "evil-2",
        startedAt: "2026-01-02T00:00:00Z",
        evil: true,
        cpuModel: EVIL_SCRIPT,
      }),
    ]);
    const states = await loadPages([
      `${site}/index.html`,
      `${site}/benchmarks/report_demo.html`,
      `${evil}/index.html`,
      `${evil}/benchmarks/report_demo.html`,
    ]);
    assert.equal(states.length, 4);
    for (const s of states) {
      const name = s.path.slice(ROOT.length);
      assert.deepEqual(s.errors, [], `${name}: ${s.errors.join("; ")}`);
      assert.deepEqual(s.dialogs, [], `${name}: a payload executed`);
      if (name.endsWith("index.html")) {
        assert.equal(s.canvases.length, 0);
        assert.equal(s.scripts, 0);
      } else {
        // 2 plots × 2 ok cells + 3 history charts (+ cost bars per commit with several runs).
        assert.ok(
          s.canvases.length >= 7,
          `${name}: ${s.canvases.length} canvases`,
        );
        // Chart data, chart.js and the bootstrap: no injected script element.
        assert.equal(s.scripts, 3, `${name}: extra <script> elements`);
      }
      for (const c of s.canvases) {
        assert.ok(c.hasChart, `${name} #${c.id}: no chart`);
        assert.ok(c.datasets > 0, `${name} #${c.id}: no datasets`);
        assert.ok(
          c.drawnPoints > 0,
          `${name} #${c.id}: no data in the chart area`,
        );
        assert.ok(c.inkPixels > 1000, `${name} #${c.id}: canvas nearly blank`);
      }
      assert.equal(s.imgs, 0, `${name}: an injected <img> was created`);
    }
    // The payloads are displayed as text on the evil pages.
    for (const s of states.slice(2)) {
      assert.ok(
        s.text.includes(EVIL_IMG),
        `${s.path}: payload not shown as text`,
      );
      assert.ok(
        s.text.includes(EVIL_SCRIPT),
        `${s.path}: payload not shown as text`,
      );
    }
  } finally {
    await Deno.remove(`${ROOT}${dir}`, { recursive: true });
  }
});
