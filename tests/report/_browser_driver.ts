/**
 * Browser driver for browser_test.ts, run as its own process with `-A`: playwright-core probes
 * /proc/sys/fs/binfmt_misc/WSLInterop when imported, which Deno grants only with --allow-all, so it cannot be
 * imported under the test task's permissions.
 *
 * Usage: deno run -A tests/report/_browser_driver.ts <chromium path> <page file>... (prints JSON on stdout).
 * Set REPORT_SCREENSHOTS=<dir> to save a full-page PNG of each page there.
 */
import { chromium } from "playwright-core";

/** Chromium flags for a quiet, offline, sandbox-free headless run. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** What the driver reports about one canvas. */
export interface CanvasState {
  readonly id: string;
  readonly hasChart: boolean;
  readonly datasets: number;
  /** Data elements placed at finite pixel positions inside the chart area. */
  readonly drawnPoints: number;
  /** Non-transparent pixels on the canvas. */
  readonly inkPixels: number;
}

/** What the driver reports about one page. */
export interface PageState {
  readonly path: string;
  /** Console errors and warnings, page errors and non-file requests. */
  readonly errors: readonly string[];
  /** Messages of alert/confirm/prompt dialogs (an executed payload). */
  readonly dialogs: readonly string[];
  readonly canvases: readonly CanvasState[];
  readonly scripts: number;
  readonly imgs: number;
  readonly text: string;
}

/** Runs in the page (a string: this file is type-checked without DOM types). */
const CANVAS_STATE_JS = `[...document.querySelectorAll("canvas")].map((c) => {
  const chart = typeof Chart === "undefined" ? undefined : Chart.getChart(c);
  let drawnPoints = 0;
  if (chart) {
    const a = chart.chartArea;
    chart.data.datasets.forEach((_, i) => {
      for (const el of chart.getDatasetMeta(i).data) {
        if (Number.isFinite(el.x) && Number.isFinite(el.y) && el.x >= a.left - 1 && el.x <= a.right + 1 &&
          el.y >= a.top - 1 && el.y <= a.bottom + 1) drawnPoints++;
      }
    });
  }
  const img = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let inkPixels = 0;
  for (let i = 3; i < img.length; i += 4) if (img[i] > 0) inkPixels++;
  return { id: c.id, hasChart: chart !== undefined, datasets: chart ? chart.data.datasets.length : 0,
    drawnPoints, inkPixels };
})`;

const DOM_JS = `({
  scripts: document.querySelectorAll("script").length,
  imgs: document.querySelectorAll("img").length,
  text: document.body.innerText,
})`;

async function drive(
  executablePath: string,
  paths: readonly string[],
): Promise<PageState[]> {
  const profile = await Deno.makeTempDir({ prefix: "sgd-limits-chromium-" });
  const shots = Deno.env.get("REPORT_SCREENSHOTS");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const out: PageState[] = [];
  try {
    for (const path of paths) {
      const page = await context.newPage();
      const errors: string[] = [];
      const dialogs: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") {
          errors.push(`console ${m.type()}: ${m.text()}`);
        }
      });
      page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
      page.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on("request", (req) => {
        if (!req.url().startsWith("file://")) {
          errors.push(`network request: ${req.url()}`);
        }
      });
      await page.goto(`file://${path}`, { waitUntil: "load" });
      const canvases = await page.evaluate(CANVAS_STATE_JS) as CanvasState[];
      const dom = await page.evaluate(DOM_JS) as {
        scripts: number;
        imgs: number;
        text: string;
      };
      if (shots) {
        await page.screenshot({
          path: `${shots}/${path.replace(/[^A-Za-z0-9_.-]+/g, "_")}.png`,
          fullPage: true,
        });
      }
      out.push({ path, errors, dialogs, canvases, ...dom });
      await page.close();
    }
  } finally {
    await context.close();
    await Deno.remove(profile, { recursive: true });
  }
  return out;
}

if (import.meta.main) {
  const [executablePath, ...paths] = Deno.args;
  const states = await drive(executablePath!, paths);
  // deno-lint-ignore no-console
  console.log(JSON.stringify(states));
}
