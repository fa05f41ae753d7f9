import { Ajv } from "ajv";
import schema from "./schema.json" with { type: "json" };
import { cellDigest } from "./digest.ts";
import { type ResultsDocument, SCHEMA_VERSION } from "./types.ts";

/** A results document that cannot be used: malformed, of another schema version, or inconsistent. */
export class ResultsError extends SyntaxError {
  /** Where the document came from (a file path or a label). */
  readonly source: string;
  /**
   * Creates the error; the message reads `Cannot read results "<source>" as <message>`.
   *
   * @param source Where the document came from.
   * @param message What is wrong.
   * @param options Error options (`cause`).
   */
  constructor(source: string, message: string, options?: ErrorOptions) {
    super(`Cannot read results "${source}" as ${message}`, options);
    this.name = "ResultsError";
    this.source = source;
  }
}

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const validateSchema = ajv.compile(schema);

/** The results JSON Schema (draft-07) this build validates against. */
export const RESULTS_SCHEMA: unknown = schema;

/**
 * Parses and validates a results document: JSON syntax, `schemaVersion` (unknown, older or newer versions are
 * rejected with a clear message), the JSON Schema, and consistency rules the schema cannot express (plot
 * lines of equal length, unique benchmark ids and cell keys, summary counts, and every cell digest).
 *
 * @param text The file contents.
 * @param source A name for messages (usually the path).
 * @returns The document.
 * @throws {ResultsError} When anything is wrong; the message names the source and the first problem.
 *
 * @example Usage
 * ```ts
 * import { parseResults, ResultsError } from "./validate.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => parseResults('{"schemaVersion": 99}', "x.json"), ResultsError);
 * ```
 */
export function parseResults(text: string, source: string): ResultsDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ResultsError(
      source,
      `it is not valid JSON: ${(e as Error).message}`,
      { cause: e },
    );
  }
  return validateResults(doc, source);
}

/**
 * Validates an already parsed results document (see {@linkcode parseResults}).
 *
 * @param doc The parsed JSON value.
 * @param source A name for messages.
 * @returns The document, typed.
 * @throws {ResultsError} When anything is wrong.
 *
 * @example Usage
 * ```ts
 * import { validateResults } from "./validate.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => validateResults([], "x"), /not a JSON object/);
 * ```
 */
export function validateResults(doc: unknown, source: string): ResultsDocument {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new ResultsError(source, "it is not a JSON object");
  }
  const version = (doc as Record<string, unknown>).schemaVersion;
  if (typeof version !== "number" || !Number.isInteger(version)) {
    throw new ResultsError(
      source,
      "it has no integer schemaVersion (not an sgd-limits results file?)",
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new ResultsError(
      source,
      `its schemaVersion is ${version}, newer than this build reads (${SCHEMA_VERSION}): update sgd-limits`,
    );
  }
  if (version < SCHEMA_VERSION) {
    throw new ResultsError(
      source,
      `its schemaVersion is ${version}, older than this build reads (${SCHEMA_VERSION}): rerun the benchmarks`,
    );
  }
  if (!validateSchema(doc)) {
    const err = validateSchema.errors?.[0];
    const where = err?.instancePath || "/";
    throw new ResultsError(
      source,
      `it does not match the schema at ${where}: ${err?.message ?? "invalid"}`,
    );
  }
  const results = doc as unknown as ResultsDocument;
  checkConsistency(results, source);
  return results;
}

function checkConsistency(doc: ResultsDocument, source: string): void {
  const ids = new Set<string>();
  const counts = {
    cells: 0,
    ok: 0,
    diverged: 0,
    error: 0,
    pass: 0,
    fail: 0,
    expectedBreak: 0,
  };
  for (const b of doc.benchmarks) {
    if (ids.has(b.id)) {
      throw new ResultsError(source, `benchmark "${b.id}" appears twice`);
    }
    ids.add(b.id);
    const keys = new Set<string>();
    for (const c of b.cells) {
      const where = `benchmark "${b.id}" cell "${c.key}"`;
      if (keys.has(c.key)) {
        throw new ResultsError(source, `${where} appears twice`);
      }
      keys.add(c.key);
      for (const p of c.plots) {
        for (const line of p.lines) {
          if (
            line.x.length !== line.y.length ||
            (line.stderr && line.stderr.length !== line.y.length)
          ) {
            throw new ResultsError(
              source,
              `${where} plot "${p.id}" line "${line.label}" has unequal lengths`,
            );
          }
        }
      }
      const digest = cellDigest(c);
      if (digest !== c.digest) {
        throw new ResultsError(
          source,
          `${where} digest does not match its contents (edited or corrupt)`,
        );
      }
      counts.cells++;
      counts[c.status]++;
      for (const m of Object.values(c.metrics)) {
        for (const r of Object.values(m.references)) {
          if (r.verdict === "pass") counts.pass++;
          else if (r.verdict === "fail") counts.fail++;
          else counts.expectedBreak++;
        }
      }
    }
  }
  for (const [k, v] of Object.entries(counts)) {
    const stored = doc.summary[k as keyof typeof counts];
    if (stored !== v) {
      throw new ResultsError(
        source,
        `summary.${k} is ${stored} but the cells give ${v}`,
      );
    }
  }
}
