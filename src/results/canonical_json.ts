/**
 * Serialises a JSON value with object keys in sorted order, 2-space indentation and a trailing newline, so
 * that equal documents are equal byte for byte and reruns diff cleanly. Non-finite numbers are rejected (JSON
 * cannot hold them; store null and say why).
 *
 * @param value A JSON-compatible value.
 * @param indent Spaces per level (0 for compact output, as used by digests).
 * @returns The text.
 * @throws {TypeError} On non-finite numbers, bigints, functions or undefined inside arrays.
 *
 * @example Usage
 * ```ts
 * import { canonicalJson } from "./canonical_json.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(canonicalJson({ b: 1, a: [true, null] }, 0), '{"a":[true,null],"b":1}');
 * ```
 */
export function canonicalJson(value: unknown, indent = 2): string {
  const text = JSON.stringify(sortKeys(value, "$"), null, indent || undefined);
  return indent ? text + "\n" : text;
}

function sortKeys(value: unknown, path: string): unknown {
  if (
    value === null || typeof value === "string" || typeof value === "boolean"
  ) return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new TypeError(
        `Cannot serialise JSON as ${path} is not a finite number: ${value}`,
      );
    }
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((v, i) => sortKeys(v, `${path}[${i}]`));
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(
      value as unknown as ArrayLike<number>,
      (v, i) => sortKeys(v, `${path}[${i}]`),
    );
  }
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) continue;
      out[k] = sortKeys(v, `${path}.${k}`);
    }
    return out;
  }
  throw new TypeError(
    `Cannot serialise JSON as ${path} has type ${typeof value}`,
  );
}
