import { createHash } from "node:crypto";
import type { ParamValue } from "../bench/types.ts";
import { canonicalJson } from "../results/canonical_json.ts";
import type {
  ResultsDocument,
  StoredBenchmark,
  StoredCell,
} from "../results/types.ts";

/** Version of the bundle format this build writes and reads. */
export const BUNDLE_VERSION = 1;

/** Length of the short hash used as the bundle folder name. */
export const SHORT_HASH_LENGTH = 16;

/** One cited cell, stored whole so that its digest can be recomputed. */
export interface CitedCell {
  readonly benchmark: {
    readonly id: string;
    readonly version: number;
    readonly title: string;
    readonly paperRef: string;
  };
  /** Parameters whose value varies among the benchmark's cells in the results file (used in macro names). */
  readonly naming: readonly string[];
  readonly cell: StoredCell;
}

/** A citation bundle (the content of bundle.json). */
export interface Bundle {
  readonly bundleVersion: number;
  /** sha256 over {@linkcode hashInput} (64 hex). */
  readonly hash: string;
  /** Folder the bundle was created in (relative to the project root), used in the re-verify command. */
  readonly location: string;
  readonly results: { readonly path: string; readonly sha256: string };
  readonly suite: ResultsDocument["suite"];
  readonly run: ResultsDocument["run"];
  readonly source: ResultsDocument["source"];
  readonly environment: ResultsDocument["environment"];
  readonly cited: readonly CitedCell[];
}

/** A cell selector: a benchmark id and optionally one cell key (null: every cell of the benchmark). */
export interface CellSelector {
  readonly benchmarkId: string;
  readonly key: string | null;
}

/**
 * Parses a `--cells` value: comma-separated `benchmarkId/key` items, where a key itself contains commas
 * (`sgd_quadratic_speed/batchSize=8,beta=0,eta=0.05,weightDecay=0.001`); a new item starts at each comma
 * followed by `<id>/`. A bare `benchmarkId` selects all its cells.
 *
 * @param spec The flag value.
 * @returns Selectors, in order.
 * @throws {SyntaxError} If an item is empty or its id is malformed.
 *
 * @example Usage
 * ```ts
 * import { parseCellSpec } from "./bundle.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseCellSpec("a_b/x=1,y=2,c/z=3,d"), [
 *   { benchmarkId: "a_b", key: "x=1,y=2" }, { benchmarkId: "c", key: "z=3" }, { benchmarkId: "d", key: null }]);
 * ```
 */
export function parseCellSpec(spec: string): CellSelector[] {
  const items = spec.split(/,(?=[a-z][a-z0-9_]{0,63}(?:\/|,|$))/);
  return items.map((item) => {
    const slash = item.indexOf("/");
    const id = slash < 0 ? item : item.slice(0, slash);
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(id)) {
      throw new SyntaxError(
        `Cannot parse cell selector as "${item}" does not start with a benchmark id`,
      );
    }
    const key = slash < 0 ? null : item.slice(slash + 1);
    if (key === "") {
      throw new SyntaxError(
        `Cannot parse cell selector as "${item}" has an empty cell key`,
      );
    }
    return { benchmarkId: id, key };
  });
}

function namingParams(b: StoredBenchmark): string[] {
  const values = new Map<string, Set<string>>();
  for (const c of b.cells) {
    for (const [k, v] of Object.entries(c.params)) {
      const s = values.get(k) ?? new Set();
      s.add(JSON.stringify(v as ParamValue));
      values.set(k, s);
    }
  }
  return [...values].filter(([, s]) => s.size > 1).map(([k]) => k).sort();
}

/**
 * The data the bundle hash covers: the results file's sha256, the lockfile's sha256 and the commit of the run,
 * the run's base seed, and for each cited cell its benchmark id and version, key, derived seed and digest.
 *
 * @param b The bundle (its `hash` and `location` are ignored).
 * @returns Canonical JSON text (compact).
 *
 * @example Usage
 * ```ts
 * import { hashInput } from "./bundle.ts";
 * import assert from "node:assert/strict";
 *
 * const text = hashInput({ results: { sha256: "a" }, source: { commit: null, lockSha256: null },
 *   run: { seed: "1" }, cited: [] } as never);
 * assert.equal(text, '{"cells":[],"commit":null,"lockSha256":null,"resultsSha256":"a","seed":"1"}');
 * ```
 */
export function hashInput(
  b: Pick<Bundle, "results" | "source" | "run" | "cited">,
): string {
  return canonicalJson({
    resultsSha256: b.results.sha256,
    lockSha256: b.source.lockSha256,
    commit: b.source.commit,
    seed: b.run.seed,
    cells: b.cited.map((c) => ({
      benchmark: c.benchmark.id,
      version: c.benchmark.version,
      key: c.cell.key,
      seed: c.cell.seed,
      digest: c.cell.digest,
    })),
  }, 0);
}

/**
 * Computes the bundle hash: sha256 (hex) of {@linkcode hashInput}.
 *
 * @param b The bundle fields the hash covers.
 * @returns 64 hex characters.
 *
 * @example Usage
 * ```ts
 * import { bundleHash } from "./bundle.ts";
 * import assert from "node:assert/strict";
 *
 * const b = { results: { sha256: "a" }, source: { commit: null, lockSha256: null }, run: { seed: "1" }, cited: [] };
 * assert.match(bundleHash(b as never), /^[0-9a-f]{64}$/);
 * ```
 */
export function bundleHash(
  b: Pick<Bundle, "results" | "source" | "run" | "cited">,
): string {
  return createHash("sha256").update(hashInput(b)).digest("hex");
}

/** Options of {@linkcode buildBundle}. */
export interface BuildOptions {
  /** Path of the results file (as given by the user). */
  readonly resultsPath: string;
  /** sha256 (hex) of the results file's bytes. */
  readonly resultsSha256: string;
  /** Cells to cite, or "all" for every `ok` cell. */
  readonly select: readonly CellSelector[] | "all";
  /** Folder the bundle goes to; `{hash}` is replaced by the short hash. */
  readonly location: string;
}

/**
 * Builds a citation bundle from a results document: the selected cells (whole, with their digests), the run,
 * source and environment, and the bundle hash.
 *
 * @param doc A validated results document.
 * @param options Results path and sha256, selection, location.
 * @returns The bundle.
 * @throws {RangeError} If a selector matches no benchmark or cell, a selected cell is not `ok`, or nothing is
 * selected.
 *
 * @example Usage
 * ```ts ignore
 * import { buildBundle } from "./bundle.ts";
 * const bundle = buildBundle(doc, { resultsPath: "r.json", resultsSha256: "…", select: "all",
 *   location: "results/cite/{hash}" });
 * ```
 */
export function buildBundle(
  doc: ResultsDocument,
  options: BuildOptions,
): Bundle {
  const chosen = new Map<string, Set<string>>();
  if (options.select === "all") {
    for (const b of doc.benchmarks) {
      chosen.set(
        b.id,
        new Set(b.cells.filter((c) => c.status === "ok").map((c) => c.key)),
      );
    }
  } else {
    for (const s of options.select) {
      const b = doc.benchmarks.find((x) => x.id === s.benchmarkId);
      if (b === undefined) {
        throw new RangeError(
          `Cannot cite "${s.benchmarkId}" as the results have no such benchmark (have: ${
            doc.benchmarks.map((x) => x.id).join(", ") || "none"
          })`,
        );
      }
      const set = chosen.get(b.id) ?? new Set<string>();
      chosen.set(b.id, set);
      if (s.key === null) {
        for (const c of b.cells) if (c.status === "ok") set.add(c.key);
        continue;
      }
      const c = b.cells.find((x) => x.key === s.key);
      if (c === undefined) {
        throw new RangeError(
          `Cannot cite "${b.id}/${s.key}" as the benchmark has no such cell`,
        );
      }
      if (c.status !== "ok") {
        throw new RangeError(
          `Cannot cite "${b.id}/${s.key}" as its status is ${c.status}: there is no number to cite`,
        );
      }
      set.add(c.key);
    }
  }
  const cited: CitedCell[] = [];
  for (const b of doc.benchmarks) {
    const keys = chosen.get(b.id);
    if (keys === undefined) continue;
    const naming = namingParams(b);
    for (const c of b.cells) {
      if (!keys.has(c.key)) continue;
      cited.push({
        benchmark: {
          id: b.id,
          version: b.version,
          title: b.title,
          paperRef: b.paperRef,
        },
        naming,
        cell: c,
      });
    }
  }
  if (cited.length === 0) {
    throw new RangeError("Cannot cite as no ok cell is selected");
  }
  const partial = {
    results: { path: options.resultsPath, sha256: options.resultsSha256 },
    source: doc.source,
    run: doc.run,
    cited,
  };
  const hash = bundleHash(partial);
  return {
    bundleVersion: BUNDLE_VERSION,
    hash,
    location: options.location.replace(
      "{hash}",
      hash.slice(0, SHORT_HASH_LENGTH),
    ),
    results: partial.results,
    suite: doc.suite,
    run: doc.run,
    source: doc.source,
    environment: doc.environment,
    cited,
  };
}
