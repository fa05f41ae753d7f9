import type { StoredBenchmark, StoredCell } from "../results/types.ts";
import { plotChart } from "./charts.ts";
import { benchmarkCrossMachine, commitGroups } from "./cross_machine.ts";
import { describeRuns } from "./describe_runs.ts";
import { historyCharts } from "./history.ts";
import type {
  BenchmarkPage,
  CellView,
  ReportInput,
  RunInfo,
  SiteModel,
  VerdictRow,
} from "./types.ts";

function verdictRows(cell: StoredCell): VerdictRow[] {
  const rows: VerdictRow[] = [];
  for (const [metric, m] of Object.entries(cell.metrics)) {
    const base = {
      metric,
      unit: m.unit,
      kind: m.kind,
      value: m.value,
      stderr: m.stderr,
      n: m.n,
      stderrMethod: m.stderrMethod,
    };
    const refs = Object.entries(m.references);
    if (refs.length === 0) {
      rows.push({ ...base, reference: null, judged: null });
    }
    for (const [reference, judged] of refs) {
      rows.push({ ...base, reference, judged });
    }
  }
  return rows;
}

function cellView(
  cell: StoredCell,
  run: RunInfo,
  canvasId: () => string,
): CellView {
  return {
    key: cell.key,
    params: Object.entries(cell.params).sort((a, b) =>
      a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0
    ),
    status: cell.status,
    message: cell.message,
    verdict: cell.verdict,
    seed: cell.seed,
    digest: cell.digest,
    run: run.label,
    rows: verdictRows(cell),
    notes: cell.notes,
    timing: cell.timing,
    charts: cell.plots.map((p) => plotChart(p, canvasId())),
  };
}

function benchmarkPage(id: string, runs: readonly RunInfo[]): BenchmarkPage {
  const entries: { r: RunInfo; b: StoredBenchmark }[] = [];
  for (const r of runs) {
    const b = r.doc.benchmarks.find((x) => x.id === id);
    if (b !== undefined) entries.push({ r, b });
  }
  const version = Math.max(...entries.map((e) => e.b.version));
  const current = entries.filter((e) => e.b.version === version);
  const latest = current[current.length - 1]!.b;
  let n = 0;
  const canvasId = () => `chart-${n++}`;
  // Each cell from the latest run that has it (shards and filtered runs add up), latest run's cells first.
  const cells: CellView[] = [];
  const seen = new Set<string>();
  for (let i = current.length - 1; i >= 0; i--) {
    const { r, b } = current[i]!;
    for (const c of b.cells) {
      if (seen.has(c.key)) continue;
      seen.add(c.key);
      cells.push(cellView(c, r, canvasId));
    }
  }
  const counts = {
    ok: 0,
    diverged: 0,
    error: 0,
    pass: 0,
    fail: 0,
    expectedBreak: 0,
  };
  for (const c of cells) {
    counts[c.status]++;
    for (const row of c.rows) {
      const v = row.judged?.verdict;
      if (v === "pass") counts.pass++;
      else if (v === "fail") counts.fail++;
      else if (v === "expected-break") counts.expectedBreak++;
    }
  }
  return {
    id,
    path: `benchmarks/${id}.html`,
    title: latest.title,
    version,
    paperRef: latest.paperRef,
    olderVersionRuns: entries.filter((e) => e.b.version !== version).map((e) =>
      `${e.r.label} (v${e.b.version})`
    ),
    cells,
    history: historyCharts(runs, { id, version, canvasId }),
    crossMachine: benchmarkCrossMachine(runs, { id, version, canvasId }),
    counts,
  };
}

/**
 * Builds the page model of the chart site from validated results documents: the runs in time order, one page
 * per benchmark id (sorted by id) and the commit groups for the cross-machine check.
 *
 * A benchmark page shows the benchmark at the newest version found; each cell comes from the latest run that
 * contains it (so shards and filtered runs add up), with a verdict table and every plot; history charts span
 * all runs with that version; cross-machine tables compare runs of the same commit.
 *
 * @param inputs Validated results documents (at least one).
 * @returns The site model.
 * @throws {RangeError} If `inputs` is empty or two inputs have the same run id.
 *
 * @example Usage
 * ```ts
 * import { buildSite } from "./build_site.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => buildSite([]), RangeError);
 * ```
 */
export function buildSite(inputs: readonly ReportInput[]): SiteModel {
  if (inputs.length === 0) {
    throw new RangeError(
      "Cannot build report as no results were given: 0 inputs",
    );
  }
  const ids = new Map<string, string>();
  for (const { path, doc } of inputs) {
    const other = ids.get(doc.run.id);
    if (other !== undefined) {
      throw new RangeError(
        `Cannot build report as run "${doc.run.id}" is given twice: "${other}" and "${path}"`,
      );
    }
    ids.set(doc.run.id, path);
  }
  const runs = describeRuns(inputs);
  const benchmarkIds = [
    ...new Set(runs.flatMap((r) => r.doc.benchmarks.map((b) => b.id))),
  ].sort();
  return {
    runs,
    benchmarks: benchmarkIds.map((id) => benchmarkPage(id, runs)),
    commits: commitGroups(runs),
  };
}
