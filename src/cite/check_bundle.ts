import type { ResultsDocument, StoredBenchmark } from "../results/types.ts";
import { validateResults } from "../results/validate.ts";
import { type Bundle, BUNDLE_VERSION, bundleHash } from "./bundle.ts";
import { BUNDLE_FILES, renderBundleFiles } from "./render_bundle.ts";

/** A bundle that cannot be used: missing files, malformed, edited or of another version. */
export class BundleError extends SyntaxError {
  /** Where the bundle came from (its folder). */
  readonly source: string;
  /**
   * @param source The bundle folder.
   * @param message What is wrong.
   * @param options Error options (`cause`).
   */
  constructor(source: string, message: string, options?: ErrorOptions) {
    super(`Cannot read bundle "${source}" as ${message}`, options);
    this.name = "BundleError";
    this.source = source;
  }
}

const TOP_KEYS = [
  "bundleVersion",
  "cited",
  "environment",
  "hash",
  "location",
  "results",
  "run",
  "source",
  "suite",
];

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * Checks a bundle's files and returns the bundle: bundle.json must parse, be of this bundle version and hold
 * exactly the expected fields; the run, source, environment and cited cells must satisfy the results schema and
 * every cell digest must match its contents (so an edited number is caught); the stored hash must equal the
 * recomputed one (so an edited hash or seed is caught); and every other file must equal what bundle.json
 * renders to (so an edited macro or table is caught).
 *
 * @param files File name → contents (undefined or absent when missing).
 * @param source The bundle folder, for messages.
 * @returns The bundle.
 * @throws {BundleError} On the first problem found.
 *
 * @example Usage
 * ```ts
 * import { BundleError, checkBundle } from "./check_bundle.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => checkBundle({}, "b"), BundleError);
 * ```
 */
export function checkBundle(
  files: Readonly<Record<string, string | undefined>>,
  source: string,
): Bundle {
  const text = files["bundle.json"];
  if (text === undefined) {
    throw new BundleError(source, "bundle.json is missing");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BundleError(
      source,
      `bundle.json is not valid JSON: ${(e as Error).message}`,
      { cause: e },
    );
  }
  if (!isObject(raw)) {
    throw new BundleError(source, "bundle.json is not an object");
  }
  if (raw.bundleVersion !== BUNDLE_VERSION) {
    throw new BundleError(
      source,
      `its bundleVersion is ${
        JSON.stringify(raw.bundleVersion)
      }, this build reads ${BUNDLE_VERSION}`,
    );
  }
  const keys = Object.keys(raw).sort();
  if (keys.join() !== TOP_KEYS.join()) {
    throw new BundleError(
      source,
      `bundle.json has fields [${keys.join(", ")}], expected [${
        TOP_KEYS.join(", ")
      }]`,
    );
  }
  const results = raw.results;
  if (
    !isObject(results) || typeof results.path !== "string" ||
    typeof results.sha256 !== "string" ||
    !/^[0-9a-f]{64}$/.test(results.sha256) || Object.keys(results).length !== 2
  ) {
    throw new BundleError(source, "bundle.json field results is malformed");
  }
  if (typeof raw.hash !== "string" || !/^[0-9a-f]{64}$/.test(raw.hash)) {
    throw new BundleError(
      source,
      "bundle.json field hash is not 64 hex digits",
    );
  }
  if (typeof raw.location !== "string" || raw.location.length > 4096) {
    throw new BundleError(source, "bundle.json field location is malformed");
  }
  if (!Array.isArray(raw.cited) || raw.cited.length === 0) {
    throw new BundleError(source, "bundle.json cites no cell");
  }
  const benchmarks: StoredBenchmark[] = [];
  for (const [i, c] of raw.cited.entries()) {
    if (
      !isObject(c) || !isObject(c.benchmark) || !isObject(c.cell) ||
      !Array.isArray(c.naming) ||
      !c.naming.every((n: unknown) => typeof n === "string") ||
      Object.keys(c).length !== 3
    ) {
      throw new BundleError(source, `bundle.json cited[${i}] is malformed`);
    }
    const b = c.benchmark as unknown as StoredBenchmark;
    const last = benchmarks.at(-1);
    if (last && last.id === b.id) {
      (last.cells as unknown[]).push(c.cell);
    } else {
      benchmarks.push({
        ...(c.benchmark as object),
        cells: [c.cell],
      } as unknown as StoredBenchmark);
    }
  }
  // The cited cells, run, source and environment must form a valid results document (schema + digests).
  const pseudo: Record<string, unknown> = {
    schemaVersion: 1,
    suite: raw.suite,
    run: raw.run,
    source: raw.source,
    environment: raw.environment,
    benchmarks,
    summary: {},
  };
  let counted: ResultsDocument;
  try {
    pseudo.summary = summaryOf(benchmarks);
    counted = validateResults(pseudo, "bundle.json");
  } catch (e) {
    const msg = (e as Error).message.replace(
      /^Cannot read results "bundle\.json" as /,
      "",
    );
    throw new BundleError(source, `bundle.json: ${msg}`, { cause: e });
  }
  void counted;
  const bundle = raw as unknown as Bundle;
  const recomputed = bundleHash(bundle);
  if (recomputed !== bundle.hash) {
    throw new BundleError(
      source,
      `its hash ${bundle.hash} does not match its contents (recomputed ${recomputed}): edited or corrupt`,
    );
  }
  let rendered: Record<string, string>;
  try {
    rendered = renderBundleFiles(bundle);
  } catch (e) {
    throw new BundleError(source, (e as Error).message, { cause: e });
  }
  for (const name of BUNDLE_FILES) {
    const got = files[name];
    if (got === undefined) throw new BundleError(source, `${name} is missing`);
    if (got !== rendered[name]) {
      throw new BundleError(
        source,
        `${name} does not match bundle.json (edited or corrupt)`,
      );
    }
  }
  return bundle;
}

function summaryOf(benchmarks: readonly StoredBenchmark[]) {
  const s = {
    cells: 0,
    ok: 0,
    diverged: 0,
    error: 0,
    pass: 0,
    fail: 0,
    expectedBreak: 0,
  };
  for (const b of benchmarks) {
    if (!Array.isArray(b.cells)) continue;
    for (const c of b.cells) {
      s.cells++;
      const status: unknown = c.status;
      if (status === "ok" || status === "diverged" || status === "error") {
        s[status]++;
      }
      if (!isObject(c.metrics)) continue;
      for (const m of Object.values(c.metrics)) {
        if (!isObject(m) || !isObject(m.references)) continue;
        for (const r of Object.values(m.references)) {
          const verdict: unknown = isObject(r) ? r.verdict : undefined;
          if (verdict === "pass") s.pass++;
          else if (verdict === "fail") s.fail++;
          else s.expectedBreak++;
        }
      }
    }
  }
  return s;
}
