import type { BenchmarkDefinition } from "./types.ts";

const ID_REGEXP = /^[a-z][a-z0-9_]{0,63}$/;
const NAME_REGEXP = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * Validates a registry without running anything (after asv's `check`): ids are unique snake_case, versions are
 * positive integers, grids are non-empty with valid names, quick grids only override declared parameters,
 * metrics have valid names, units and verdict rules. Returns the problems found (empty when valid).
 *
 * @param registry The benchmarks.
 * @returns One message per problem.
 *
 * @example Usage
 * ```ts
 * import { checkRegistry } from "./check_registry.ts";
 * import assert from "node:assert/strict";
 *
 * const bad = [{ id: "Bad-Id", version: 0, title: "", paperRef: "", grid: {}, metrics: {}, run: () => ({ metrics: {} }) }];
 * assert.ok(checkRegistry(bad).length >= 2);
 * ```
 */
export function checkRegistry(
  registry: readonly BenchmarkDefinition[],
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const def of registry) {
    const at = `benchmark "${def.id}"`;
    if (!ID_REGEXP.test(def.id)) {
      problems.push(`${at}: id must be snake_case (${ID_REGEXP.source})`);
    }
    if (seen.has(def.id)) problems.push(`${at}: id is not unique`);
    seen.add(def.id);
    if (!Number.isInteger(def.version) || def.version < 1) {
      problems.push(`${at}: version must be an integer ≥ 1`);
    }
    if (def.title.trim() === "") problems.push(`${at}: title is empty`);
    if (def.paperRef.trim() === "") problems.push(`${at}: paperRef is empty`);
    for (const [name, values] of Object.entries(def.grid)) {
      if (!NAME_REGEXP.test(name)) {
        problems.push(`${at}: parameter name "${name}" is invalid`);
      }
      if (values.length === 0) {
        problems.push(`${at}: parameter "${name}" has no values`);
      }
      if (new Set(values).size !== values.length) {
        problems.push(`${at}: parameter "${name}" repeats a value`);
      }
    }
    for (const [name, values] of Object.entries(def.quickGrid ?? {})) {
      if (!(name in def.grid)) {
        problems.push(
          `${at}: quickGrid overrides undeclared parameter "${name}"`,
        );
      }
      if (values.length === 0) {
        problems.push(`${at}: quickGrid parameter "${name}" has no values`);
      }
    }
    if (Object.keys(def.metrics).length === 0) {
      problems.push(`${at}: declares no metrics`);
    }
    for (const [name, spec] of Object.entries(def.metrics)) {
      if (!NAME_REGEXP.test(name)) {
        problems.push(`${at}: metric name "${name}" is invalid`);
      }
      if (spec.unit.trim() === "") {
        problems.push(`${at}: metric "${name}" has no unit`);
      }
      for (const [ref, rule] of Object.entries(spec.references ?? {})) {
        if (!NAME_REGEXP.test(ref)) {
          problems.push(
            `${at}: metric "${name}" reference "${ref}" has an invalid name`,
          );
        }
        const bound = rule.rule === "relative"
          ? rule.maxRelError
          : rule.maxAbsZ;
        if (!(bound >= 0) || !Number.isFinite(bound)) {
          problems.push(
            `${at}: metric "${name}" reference "${ref}" has an invalid bound`,
          );
        }
      }
      if (
        spec.kind === "cost" && spec.references &&
        Object.keys(spec.references).length > 0
      ) {
        problems.push(
          `${at}: cost metric "${name}" must not have verdict references (costs are compared, not judged)`,
        );
      }
    }
    const timing = def.timing;
    if (
      timing &&
      (!Number.isInteger(timing.warmup) || timing.warmup < 0 ||
        !Number.isInteger(timing.repeats) || timing.repeats < 1)
    ) {
      problems.push(
        `${at}: timing must have integer warmup ≥ 0 and repeats ≥ 1`,
      );
    }
  }
  return problems;
}
