/** Helpers for tests/formats: fixture access and decoding of expected.json values. */

const DIR = new URL("../../fixtures/formats/", import.meta.url);

/** Reads a file from fixtures/formats/. */
export function fixtureBytes(name: string): Uint8Array {
  return Deno.readFileSync(new URL(name, DIR));
}

/** Parses a JSON fixture from fixtures/formats/. */
export function fixtureJson<T>(name: string): T {
  return JSON.parse(new TextDecoder().decode(fixtureBytes(name))) as T;
}

/** A value as written by gen_formats.py: a number, "NaN", "Infinity", "-Infinity", "-0" or an int64 string. */
export type JsonValue = number | string;

/** Decodes a float value from expected.json. */
export function num(v: JsonValue): number {
  if (typeof v === "number") return v;
  switch (v) {
    case "NaN":
      return NaN;
    case "Infinity":
      return Infinity;
    case "-Infinity":
      return -Infinity;
    case "-0":
      return -0;
  }
  return Number(v);
}

/** Element-wise comparison of a float array against expected.json values, with Object.is (NaN, -0 exact). */
export function sameFloats(
  actual: ArrayLike<number>,
  expected: readonly JsonValue[],
  msg: string,
): void {
  if (actual.length !== expected.length) {
    throw new Error(
      `${msg}: length ${actual.length}, expected ${expected.length}`,
    );
  }
  for (let i = 0; i < actual.length; i++) {
    const e = num(expected[i]!);
    if (!Object.is(actual[i], e)) {
      throw new Error(`${msg}: element ${i} is ${actual[i]}, expected ${e}`);
    }
  }
}
