import type { Rng } from "../random/rng.ts";
import type {
  ResultsDocument,
  StoredBenchmark,
  StoredCell,
  StoredMetric,
} from "../results/types.ts";
import { bootstrapMedianRatio } from "./bootstrap_ratio.ts";
import { holmAdjust } from "./holm.ts";
import { machineDifferences } from "./machine_differences.ts";
import { mannWhitneyU } from "./mann_whitney.ts";
import { median } from "./median.ts";
import { normalTwoSidedP } from "./normal_tail.ts";

/** What a comparison found for one item (a benchmark, cell or metric). */
export type FindingStatus =
  | "accuracy-regression"
  | "cost-regression"
  | "improvement"
  | "incomparable"
  | "insufficient-repeats"
  | "unchanged"
  | "identical"
  | "added"
  | "removed";

/** Every {@linkcode FindingStatus}, in report order. */
export const FINDING_STATUSES: readonly FindingStatus[] = [
  "accuracy-regression",
  "cost-regression",
  "improvement",
  "incomparable",
  "insufficient-repeats",
  "added",
  "removed",
  "unchanged",
  "identical",
];

/** One line of a comparison. */
export interface Finding {
  readonly status: FindingStatus;
  /** What the item is: a whole benchmark, a cell, or an accuracy or cost metric. */
  readonly kind: "benchmark" | "cell" | "accuracy" | "cost";
  readonly benchmarkId: string;
  readonly key: string | null;
  readonly metric: string | null;
  readonly unit: string | null;
  readonly baseline: number | null;
  readonly candidate: number | null;
  /** candidate/baseline: ratio of medians for cost metrics, of values for accuracy metrics. */
  readonly ratio: number | null;
  /** Bootstrap interval of the ratio of medians (cost metrics). */
  readonly interval: readonly [number, number] | null;
  /** z statistic of the accuracy test. */
  readonly z: number | null;
  /** Raw p-value of the test, when one was run. */
  readonly p: number | null;
  /** Holm-adjusted p-value. */
  readonly pAdjusted: number | null;
  /** One human sentence. */
  readonly reason: string;
}

/** Options of {@linkcode compareDocuments}. */
export interface CompareOptions {
  /** Generator for the bootstrap intervals (seed it: reports are then reproducible). */
  readonly rng: Rng;
  /**
   * Family-wise error rate over all tests (Holm–Bonferroni), in (0, 1).
   * @default {0.01}
   */
  readonly alpha?: number;
  /**
   * Smallest relative slow-down that counts as a cost regression (0.1 = 10 % slower), ≥ 0.
   * @default {0.1}
   */
  readonly minEffect?: number;
  /**
   * Relative tolerance for accuracy metrics without a standard error.
   * @default {1e-6}
   */
  readonly rtol?: number;
  /**
   * Fewest repeats per side for a cost test.
   * @default {3}
   */
  readonly minRepeats?: number;
  /**
   * Bootstrap resamples per cost metric.
   * @default {2000}
   */
  readonly resamples?: number;
}

/** Overall outcome, in order of precedence. */
export type CompareOutcome =
  | "accuracy-regression"
  | "cost-regression"
  | "incomparable"
  | "pass";

/** Identity of a compared run. */
export interface RunIdentity {
  readonly runId: string;
  readonly commit: string | null;
  readonly quick: boolean;
  readonly seed: string;
  readonly cpuModel: string;
}

/** What {@linkcode compareDocuments} returns. */
export interface ComparisonReport {
  readonly baseline: RunIdentity;
  readonly candidate: RunIdentity;
  /** Machine fields in which the runs differ (cost metrics are compared only when empty). */
  readonly machineDifferences: readonly string[];
  readonly alpha: number;
  readonly minEffect: number;
  /** Size of the Holm family (number of statistical tests run). */
  readonly tests: number;
  readonly findings: readonly Finding[];
  readonly counts: Readonly<Record<FindingStatus, number>>;
  readonly outcome: CompareOutcome;
}

interface Pending {
  readonly p: number;
  resolve(pAdjusted: number): void;
}

type MutableFinding = { -readonly [K in keyof Finding]: Finding[K] };

const STATUS_RANK = { ok: 2, diverged: 1, error: 0 } as const;

function identity(doc: ResultsDocument): RunIdentity {
  return {
    runId: doc.run.id,
    commit: doc.source.commit,
    quick: doc.run.quick,
    seed: doc.run.seed,
    cpuModel: doc.environment.cpuModel,
  };
}

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}

function base(
  benchmarkId: string,
  key: string | null,
  kind: Finding["kind"],
): MutableFinding {
  return {
    status: "unchanged",
    kind,
    benchmarkId,
    key,
    metric: null,
    unit: null,
    baseline: null,
    candidate: null,
    ratio: null,
    interval: null,
    z: null,
    p: null,
    pAdjusted: null,
    reason: "",
  };
}

/**
 * Compares two results documents and judges each difference (see the README section "Comparing runs"):
 *
 * - benchmarks are compared only when their `version` is equal (else `incomparable`), cells only by equal key;
 *   cells present on one side are `added` or `removed`; runs of different `quick` flag are `incomparable`.
 * - accuracy metrics (machine-invariant): a cell with the same derived seed and the same digest is
 *   `identical`. Otherwise each reference prediction that changed at the same seed is a theory change
 *   (`accuracy-regression`, "predicted value changed"), a verdict that turned to `fail` is an
 *   `accuracy-regression`, and the value is tested: with standard errors by the z statistic
 *   (b − a)/√(se_a² + se_b²), without by relative difference against `rtol`. A significant change of a metric
 *   whose `better` is `none` is a regression; otherwise the direction decides.
 * - cost metrics (per-repeat samples): compared only when {@linkcode machineDifferences} is empty (else
 *   `incomparable`); with fewer than `minRepeats` repeats a side, or when no data of these sizes could reach
 *   α, `insufficient-repeats`; otherwise the two-sided Mann–Whitney test, and a regression needs both a
 *   Holm-significant p-value and a slow-down of at least `minEffect` in the ratio of medians (in the worse
 *   direction given by `better`). A bootstrap interval of the ratio is reported.
 * - every p-value (accuracy z tests and cost tests) enters one Holm–Bonferroni family at level α.
 *
 * @param baseline The reference run.
 * @param candidate The run under test.
 * @param options Generator for the bootstrap, α, minimum effect, tolerances.
 * @returns Findings, counts and the overall outcome.
 * @throws {RangeError} If an option is out of range.
 *
 * @example Usage
 * ```ts
 * import { compareDocuments } from "./compare_documents.ts";
 * import { Rng } from "../random/rng.ts";
 * import assert from "node:assert/strict";
 *
 * const env = { deno: "2.9.6", v8: "x", typescript: "x", tfjs: "4.22.0", backend: "wasm", simd: true,
 *   kernels: [], cpuModel: "A", logicalCores: 2, totalMemoryBytes: 1, os: "linux", arch: "x86_64" };
 * const doc = { schemaVersion: 1, suite: { name: "sgd-limits", version: "0.1.0" },
 *   run: { id: "r", startedAt: "", endedAt: "", argv: [], quick: true, seed: "1", filter: null, repeats: null,
 *     shard: null },
 *   source: { commit: null, dirty: null, lockSha256: null }, environment: env, benchmarks: [],
 *   summary: { cells: 0, ok: 0, diverged: 0, error: 0, pass: 0, fail: 0, expectedBreak: 0 } };
 * const report = compareDocuments(doc, doc, { rng: Rng.fromSeed(1n) });
 * assert.equal(report.outcome, "pass");
 * ```
 */
export function compareDocuments(
  baseline: ResultsDocument,
  candidate: ResultsDocument,
  options: CompareOptions,
): ComparisonReport {
  const alpha = options.alpha ?? 0.01;
  const minEffect = options.minEffect ?? 0.1;
  const rtol = options.rtol ?? 1e-6;
  const minRepeats = options.minRepeats ?? 3;
  if (!(alpha > 0 && alpha < 1)) {
    throw new RangeError(
      `Cannot compare as alpha must be in (0, 1): ${alpha}`,
    );
  }
  if (!(minEffect >= 0 && Number.isFinite(minEffect))) {
    throw new RangeError(
      `Cannot compare as minEffect must be >= 0: ${minEffect}`,
    );
  }
  if (!(rtol >= 0 && Number.isFinite(rtol))) {
    throw new RangeError(`Cannot compare as rtol must be >= 0: ${rtol}`);
  }
  if (!(Number.isInteger(minRepeats) && minRepeats >= 2)) {
    throw new RangeError(
      `Cannot compare as minRepeats must be an integer >= 2: ${minRepeats}`,
    );
  }
  const findings: MutableFinding[] = [];
  const pending: Pending[] = [];
  const machine = machineDifferences(
    baseline.environment,
    candidate.environment,
  );

  if (baseline.run.quick !== candidate.run.quick) {
    const f = base("*", null, "benchmark");
    f.status = "incomparable";
    f.reason = `incomparable (quick flag differs: baseline ${
      baseline.run.quick ? "--quick" : "full"
    }, candidate ${
      candidate.run.quick ? "--quick" : "full"
    }): workloads differ, so no number can be compared`;
    findings.push(f);
    return finish();
  }

  const baseById = new Map(baseline.benchmarks.map((b) => [b.id, b]));
  const candIds = new Set(candidate.benchmarks.map((b) => b.id));
  for (const cb of candidate.benchmarks) {
    const bb = baseById.get(cb.id);
    if (bb === undefined) {
      const f = base(cb.id, null, "benchmark");
      f.status = "added";
      f.reason = `benchmark added (${cb.cells.length} cells, v${cb.version})`;
      findings.push(f);
      continue;
    }
    if (bb.version !== cb.version) {
      const f = base(cb.id, null, "benchmark");
      f.status = "incomparable";
      f.reason =
        `incomparable (benchmark version changed: v${bb.version} → v${cb.version})`;
      findings.push(f);
      continue;
    }
    compareBenchmark(bb, cb);
  }
  for (const bb of baseline.benchmarks) {
    if (candIds.has(bb.id)) continue;
    const f = base(bb.id, null, "benchmark");
    f.status = "removed";
    f.reason = `benchmark removed (${bb.cells.length} cells, v${bb.version})`;
    findings.push(f);
  }
  return finish();

  function compareBenchmark(bb: StoredBenchmark, cb: StoredBenchmark): void {
    const baseCells = new Map(bb.cells.map((c) => [c.key, c]));
    const candKeys = new Set(cb.cells.map((c) => c.key));
    for (const cc of cb.cells) {
      const bc = baseCells.get(cc.key);
      if (bc === undefined) {
        const f = base(cb.id, cc.key, "cell");
        f.status = "added";
        f.reason = "cell added";
        findings.push(f);
      } else compareCell(cb.id, bc, cc);
    }
    for (const bc of bb.cells) {
      if (candKeys.has(bc.key)) continue;
      const f = base(bb.id, bc.key, "cell");
      f.status = "removed";
      f.reason = "cell removed";
      findings.push(f);
    }
  }

  function compareCell(id: string, bc: StoredCell, cc: StoredCell): void {
    if (bc.status !== cc.status) {
      const f = base(id, cc.key, "cell");
      const worse = STATUS_RANK[cc.status] < STATUS_RANK[bc.status];
      f.status = worse ? "accuracy-regression" : "improvement";
      f.reason = `status ${bc.status} → ${cc.status}${
        cc.message ? `: ${cc.message}` : ""
      }`;
      findings.push(f);
      return;
    }
    if (cc.status !== "ok") {
      const f = base(id, cc.key, "cell");
      f.status = "unchanged";
      f.reason = `${cc.status} in both runs`;
      findings.push(f);
      return;
    }
    const sameSeed = bc.seed === cc.seed;
    if (sameSeed && bc.digest === cc.digest) {
      const f = base(id, cc.key, "cell");
      f.status = "identical";
      f.reason =
        "identical accuracy outputs (same seed, same digest: bit-identical)";
      findings.push(f);
    } else {
      const names = new Set([
        ...Object.keys(bc.metrics),
        ...Object.keys(cc.metrics),
      ]);
      for (const name of names) {
        const bm = bc.metrics[name];
        const cm = cc.metrics[name];
        if (bm?.kind === "cost" || cm?.kind === "cost") continue;
        if (bm && cm && bm.unit !== cm.unit) continue;
        compareAccuracy(id, cc.key, name, bm, cm, sameSeed);
      }
    }
    for (const [name, cm] of Object.entries(cc.metrics)) {
      const bm = bc.metrics[name];
      if (bm === undefined) continue;
      if (bm.kind !== cm.kind || bm.unit !== cm.unit) {
        const f = base(id, cc.key, cm.kind);
        f.metric = name;
        f.status = "incomparable";
        f.reason = bm.kind !== cm.kind
          ? `incomparable (metric kind changed ${bm.kind} → ${cm.kind} without a version bump)`
          : `incomparable (unit changed "${bm.unit}" → "${cm.unit}" without a version bump)`;
        findings.push(f);
        continue;
      }
      if (cm.kind === "cost") compareCost(id, cc.key, name, bm, cm);
    }
  }

  function compareAccuracy(
    id: string,
    key: string,
    name: string,
    bm: StoredMetric | undefined,
    cm: StoredMetric | undefined,
    sameSeed: boolean,
  ): void {
    const f = base(id, key, "accuracy");
    f.metric = name;
    if (bm === undefined || cm === undefined) {
      f.status = bm === undefined ? "added" : "removed";
      f.reason = bm === undefined ? "metric added" : "metric removed";
      f.unit = (cm ?? bm)!.unit;
      findings.push(f);
      return;
    }
    f.unit = cm.unit;
    f.baseline = bm.value;
    f.candidate = cm.value;
    // Reference predictions: theory changes (same seed) and verdict changes.
    for (const [rn, br] of Object.entries(bm.references)) {
      const cr = cm.references[rn];
      const rf = { ...base(id, key, "accuracy"), metric: `${name}.${rn}` };
      rf.unit = cm.unit;
      if (cr === undefined) {
        rf.status = "accuracy-regression";
        rf.reason = `reference "${rn}" removed (predicted value changed)`;
        rf.baseline = br.value;
        findings.push(rf);
        continue;
      }
      if (sameSeed && cr.value !== br.value) {
        rf.status = "accuracy-regression";
        rf.baseline = br.value;
        rf.candidate = cr.value;
        rf.ratio = br.value !== 0 ? cr.value / br.value : null;
        rf.reason = `predicted value changed: ${fmt(br.value)} → ${
          fmt(cr.value)
        } at the same seed (theory change)`;
        findings.push(rf);
      }
      if (cr.verdict === "fail" && br.verdict !== "fail") {
        findings.push({
          ...rf,
          status: "accuracy-regression",
          baseline: bm.value,
          candidate: cm.value,
          ratio: null,
          reason: `verdict against "${rn}" ${br.verdict} → fail (${cr.rule})`,
        });
      } else if (br.verdict === "fail" && cr.verdict !== "fail") {
        findings.push({
          ...rf,
          status: "improvement",
          baseline: bm.value,
          candidate: cm.value,
          ratio: null,
          reason: `verdict against "${rn}" fail → ${cr.verdict}`,
        });
      }
    }
    for (const rn of Object.keys(cm.references)) {
      if (rn in bm.references) continue;
      findings.push({
        ...base(id, key, "accuracy"),
        metric: `${name}.${rn}`,
        unit: cm.unit,
        status: "added",
        candidate: cm.references[rn]!.value,
        reason: `reference "${rn}" added`,
      });
    }
    // The value itself.
    const a = bm.value;
    const b = cm.value;
    if (a === null || b === null) {
      if (a === null && b === null) {
        f.status = "unchanged";
        f.reason = "no value in either run";
      } else {
        f.status = a === null ? "improvement" : "accuracy-regression";
        f.reason = a === null ? "value now finite" : "value no longer finite";
      }
      findings.push(f);
      return;
    }
    f.ratio = a !== 0 ? b / a : null;
    if (a === b) {
      f.status = "unchanged";
      f.reason = "equal values";
      findings.push(f);
      return;
    }
    const se = bm.stderr !== null && cm.stderr !== null
      ? Math.hypot(bm.stderr, cm.stderr)
      : 0;
    if (se > 0) {
      const z = (b - a) / se;
      f.z = z;
      f.p = normalTwoSidedP(z);
      findings.push(f);
      pending.push({
        p: f.p,
        resolve(pAdj) {
          f.pAdjusted = pAdj;
          if (pAdj >= alpha) {
            f.status = "unchanged";
            f.reason = `within noise (z = ${z.toFixed(2)}, Holm p = ${
              fmt(pAdj)
            })`;
            return;
          }
          const better = cm.better === "none"
            ? null
            : (cm.better === "lower") === (b < a);
          f.status = better === true ? "improvement" : "accuracy-regression";
          f.reason = `changed significantly (z = ${z.toFixed(2)}, Holm p = ${
            fmt(pAdj)
          } < α = ${alpha})${
            better === null ? "" : better ? ", in the better direction" : ""
          }`;
        },
      });
      return;
    }
    const rel = Math.abs(b - a) / Math.max(Math.abs(a), Math.abs(b));
    if (rel <= rtol) {
      f.status = "unchanged";
      f.reason = `equal within rtol ${rtol} (no stderr; rel. diff ${fmt(rel)})`;
    } else {
      const better = cm.better === "none"
        ? null
        : (cm.better === "lower") === (b < a);
      f.status = better === true ? "improvement" : "accuracy-regression";
      f.reason = `deterministic value changed by ${
        fmt(rel)
      } (relative) > rtol ${rtol}`;
    }
    findings.push(f);
  }

  function compareCost(
    id: string,
    key: string,
    name: string,
    bm: StoredMetric,
    cm: StoredMetric,
  ): void {
    const f = base(id, key, "cost");
    f.metric = name;
    f.unit = cm.unit;
    f.baseline = bm.value;
    f.candidate = cm.value;
    if (bm.value !== null && cm.value !== null && bm.value !== 0) {
      f.ratio = cm.value / bm.value;
    }
    findings.push(f);
    if (machine.length > 0) {
      f.status = "incomparable";
      f.reason = `incomparable (different machine: ${machine.join(", ")})`;
      return;
    }
    const xa = bm.samples ?? [];
    const xb = cm.samples ?? [];
    if (xa.length < minRepeats || xb.length < minRepeats) {
      f.status = "insufficient-repeats";
      f.reason =
        `insufficient repeats (${xa.length} vs ${xb.length}; need ≥ ${minRepeats} a side)`;
      return;
    }
    const mw = mannWhitneyU(xa, xb);
    if (mw.minAttainableP >= alpha) {
      f.status = "insufficient-repeats";
      f.reason =
        `insufficient repeats (${xa.length} vs ${xb.length}: smallest attainable p = ${
          fmt(mw.minAttainableP)
        } ≥ α = ${alpha})`;
      return;
    }
    const ma = median(xa);
    const mb = median(xb);
    f.ratio = ma !== 0 ? mb / ma : null;
    if (xa.every((v) => v > 0) && xb.every((v) => v > 0)) {
      const ci = bootstrapMedianRatio(xa, xb, {
        rng: options.rng,
        ...(options.resamples !== undefined
          ? { resamples: options.resamples }
          : {}),
      });
      f.interval = [ci.lo, ci.hi];
    }
    f.p = mw.p;
    pending.push({
      p: mw.p,
      resolve(pAdj) {
        f.pAdjusted = pAdj;
        const ratio = f.ratio;
        // slow-down factor: > 1 means worse
        const slow = ratio === null || cm.better === "none"
          ? null
          : cm.better === "lower"
          ? ratio
          : 1 / ratio;
        const pText = `Mann-Whitney p = ${fmt(mw.p)}, Holm p = ${fmt(pAdj)}`;
        if (pAdj >= alpha) {
          f.status = "unchanged";
          f.reason = `no significant change (${pText})`;
        } else if (slow === null) {
          f.status = "unchanged";
          f.reason =
            `changed (${pText}) but the metric has no better direction`;
        } else if (slow >= 1 + minEffect) {
          f.status = "cost-regression";
          f.reason = `${fmt((slow - 1) * 100)} % worse (${pText})`;
        } else if (slow <= 1 / (1 + minEffect)) {
          f.status = "improvement";
          f.reason = `${fmt((1 - slow) * 100)} % better (${pText})`;
        } else {
          f.status = "unchanged";
          f.reason = `significant but below the ${
            fmt(minEffect * 100)
          } % minimum effect (${pText})`;
        }
      },
    });
  }

  function finish(): ComparisonReport {
    const adjusted = holmAdjust(pending.map((t) => t.p));
    pending.forEach((t, i) => t.resolve(adjusted[i]!));
    const counts = Object.fromEntries(
      FINDING_STATUSES.map((s) => [s, 0]),
    ) as Record<FindingStatus, number>;
    for (const f of findings) counts[f.status]++;
    const outcome: CompareOutcome = counts["accuracy-regression"] > 0
      ? "accuracy-regression"
      : counts["cost-regression"] > 0
      ? "cost-regression"
      : counts.incomparable > 0
      ? "incomparable"
      : "pass";
    return {
      baseline: identity(baseline),
      candidate: identity(candidate),
      machineDifferences: machine,
      alpha,
      minEffect,
      tests: pending.length,
      findings,
      counts,
      outcome,
    };
  }
}
