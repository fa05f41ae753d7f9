import type { MetricSpec, MetricValue, VerdictRule } from "./types.ts";

/** Outcome of judging one value against one reference. */
export type Verdict = "pass" | "fail" | "expected-break";

/** A reference value with its judgement, as stored in results. */
export interface JudgedReference {
  /** The reference (predicted) value. */
  readonly value: number;
  /** (measured − reference) / stderr, when a standard error is known. */
  readonly z: number | null;
  /** (measured − reference) / |reference|, when the reference is non-zero. */
  readonly relError: number | null;
  /** The relative budget of a `budget` rule, else null. */
  readonly budget: number | null;
  /** The rule, as text (e.g. `|z| <= 4`). */
  readonly rule: string;
  /** The outcome. */
  readonly verdict: Verdict;
  /** Why the reference was expected not to hold, if declared. */
  readonly expectedBreak: string | null;
}

function ruleText(rule: VerdictRule, budget: number | null): string {
  switch (rule.rule) {
    case "zscore":
      return `|z| <= ${rule.maxAbsZ}`;
    case "budget":
      return `|rel err| <= budget(${
        budget === null ? "?" : budget.toPrecision(3)
      }) + ${rule.maxAbsZ}·stderr/|ref|`;
    case "relative":
      return `|rel err| <= ${rule.maxRelError}`;
  }
}

/**
 * Judges a measured value against one reference under a verdict rule.
 *
 * @param measured The cell's metric value.
 * @param refName Name of the reference (for messages).
 * @param rule The rule declared for that reference.
 * @returns The judged reference.
 * @throws {TypeError} If the rule needs a standard error or budget the cell did not supply.
 *
 * @example Usage
 * ```ts
 * import { judgeReference } from "./verdict.ts";
 * import assert from "node:assert/strict";
 *
 * const m = { value: 1.02, stderr: 0.01, references: { exact: { value: 1 } } };
 * const j = judgeReference(m, "exact", { rule: "zscore", maxAbsZ: 4 });
 * assert.equal(j.verdict, "pass");
 * assert.ok(Math.abs(j.z! - 2) < 1e-9);
 * ```
 */
export function judgeReference(
  measured: MetricValue,
  refName: string,
  rule: VerdictRule,
): JudgedReference {
  const ref = measured.references?.[refName];
  if (ref === undefined) {
    throw new TypeError(
      `Cannot judge metric as reference "${refName}" is missing`,
    );
  }
  const diff = measured.value - ref.value;
  const se = measured.stderr;
  // z and the relative error are null where undefined (no stderr, zero reference, non-finite values).
  const z = se !== undefined && se > 0 && Number.isFinite(diff / se)
    ? diff / se
    : null;
  const relError = ref.value !== 0 && Number.isFinite(diff / ref.value)
    ? diff / Math.abs(ref.value)
    : null;
  const budget = ref.budget ?? null;
  let ok: boolean;
  switch (rule.rule) {
    case "zscore":
      if (se === undefined) {
        throw new TypeError(
          `Cannot judge reference "${refName}" by z-score as the metric has no stderr`,
        );
      }
      ok = Math.abs(diff) <= rule.maxAbsZ * se;
      break;
    case "budget":
      if (budget === null) {
        throw new TypeError(
          `Cannot judge reference "${refName}" by budget as the cell gave no budget`,
        );
      }
      ok = Math.abs(diff) <=
        budget * Math.abs(ref.value) + rule.maxAbsZ * (se ?? 0);
      break;
    case "relative":
      ok = Math.abs(diff) <= rule.maxRelError * Math.abs(ref.value);
      break;
  }
  // Non-finite values never pass.
  if (!Number.isFinite(measured.value) || !Number.isFinite(ref.value)) {
    ok = false;
  }
  const verdict: Verdict = ok
    ? "pass"
    : ref.expectedBreak !== undefined
    ? "expected-break"
    : "fail";
  return {
    value: ref.value,
    z,
    relError,
    budget,
    rule: ruleText(rule, budget),
    verdict,
    expectedBreak: ref.expectedBreak ?? null,
  };
}

/**
 * Judges every declared reference of a metric.
 *
 * @param spec The metric declaration.
 * @param measured The cell's value.
 * @returns Judged references by name.
 * @throws {TypeError} If a declared reference is missing or an undeclared one is present.
 *
 * @example Usage
 * ```ts
 * import { judgeMetric } from "./verdict.ts";
 * import assert from "node:assert/strict";
 *
 * const spec = { unit: "1", better: "none" as const, kind: "accuracy" as const, description: "",
 *   references: { exact: { rule: "relative" as const, maxRelError: 0.1 } } };
 * const out = judgeMetric(spec, { value: 2, references: { exact: { value: 1 } } });
 * assert.equal(out.exact!.verdict, "fail");
 * ```
 */
export function judgeMetric(
  spec: MetricSpec,
  measured: MetricValue,
): Record<string, JudgedReference> {
  const out: Record<string, JudgedReference> = {};
  const declared = spec.references ?? {};
  for (const name of Object.keys(measured.references ?? {})) {
    if (!(name in declared)) {
      throw new TypeError(
        `Cannot judge metric as reference "${name}" is not declared in its spec`,
      );
    }
  }
  for (const [name, rule] of Object.entries(declared)) {
    out[name] = judgeReference(measured, name, rule);
  }
  return out;
}
