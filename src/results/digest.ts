import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical_json.ts";
import type { StoredCell } from "./types.ts";

/**
 * Computes a cell's digest: sha256 (hex) of the compact canonical JSON of its deterministic outputs —
 * params, status, message, the `accuracy` metrics (value, stderr, n, references), plots and notes. Cost
 * metrics, timing and the digest itself are left out, so the same seed gives the same digest on any machine.
 *
 * @param cell The cell (its `digest` field, if present, is ignored).
 * @returns 64 hex characters.
 *
 * @example Usage
 * ```ts
 * import { cellDigest } from "./digest.ts";
 * import assert from "node:assert/strict";
 *
 * const cell = { key: "n=1", params: { n: 1 }, seed: "1", status: "ok" as const, message: null,
 *   verdict: "none" as const, metrics: {}, plots: [], notes: [], timing: null };
 * assert.equal(cellDigest(cell), cellDigest({ ...cell, timing: { warmup: 0, repeats: 1, medianMs: 5, minMs: 5, maxMs: 5 } }));
 * ```
 */
export function cellDigest(cell: Omit<StoredCell, "digest">): string {
  const metrics: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(cell.metrics)) {
    if (m.kind !== "accuracy") continue;
    metrics[name] = {
      value: m.value,
      stderr: m.stderr,
      n: m.n,
      references: m.references,
    };
  }
  const payload = {
    key: cell.key,
    params: cell.params,
    status: cell.status,
    message: cell.message,
    metrics,
    plots: cell.plots,
    notes: cell.notes,
  };
  return createHash("sha256").update(canonicalJson(payload, 0)).digest("hex");
}
