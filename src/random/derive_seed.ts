import { createHash } from "node:crypto";

/**
 * Derives an independent 64-bit seed from a base seed and labels (e.g. a benchmark id and a canonical parameter
 * key): the first 8 bytes of sha256(`base`, NUL, label₁, NUL, label₂, …) read big-endian. Different labels give
 * unrelated streams, and the result does not depend on anything else (run order, filters, other cells).
 *
 * @param base The base seed.
 * @param labels Strings that identify the consumer.
 * @returns A seed in [0, 2^64).
 *
 * @example Usage
 * ```ts
 * import { deriveSeed } from "./derive_seed.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(deriveSeed(1n, ["a", "b"]), deriveSeed(1n, ["a", "b"]));
 * assert.notEqual(deriveSeed(1n, ["a", "b"]), deriveSeed(1n, ["ab"]));
 * ```
 */
export function deriveSeed(base: bigint, labels: readonly string[]): bigint {
  const h = createHash("sha256");
  h.update(BigInt.asUintN(64, base).toString());
  for (const label of labels) {
    h.update("\u0000");
    h.update(label);
  }
  const bytes = h.digest();
  let seed = 0n;
  for (let i = 0; i < 8; i++) seed = (seed << 8n) | BigInt(bytes[i]!);
  return seed;
}
