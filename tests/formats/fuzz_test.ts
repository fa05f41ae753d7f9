import assert from "node:assert/strict";
import { readIdx } from "../../src/formats/idx.ts";
import { readNpy } from "../../src/formats/npy.ts";
import { readNpz } from "../../src/formats/npz.ts";
import { readSafetensors } from "../../src/formats/safetensors.ts";
import { Rng } from "../../src/random/rng.ts";
import { fixtureBytes } from "./_fixtures.ts";

/** Random corruptions of a valid file: byte flips, truncation, insertion, deletion. */
function mutate(rng: Rng, bytes: Uint8Array): Uint8Array {
  const kind = rng.int(4);
  if (kind === 0) {
    const out = bytes.slice();
    const flips = 1 + rng.int(4);
    for (let k = 0; k < flips; k++) out[rng.int(out.length)] = rng.int(256);
    return out;
  }
  if (kind === 1) return bytes.slice(0, rng.int(bytes.length));
  const at = rng.int(bytes.length);
  if (kind === 2) {
    const extra = new Uint8Array(1 + rng.int(8)).map(() => rng.int(256));
    return new Uint8Array([
      ...bytes.subarray(0, at),
      ...extra,
      ...bytes.subarray(at),
    ]);
  }
  return new Uint8Array([
    ...bytes.subarray(0, at),
    ...bytes.subarray(at + 1 + rng.int(8)),
  ]);
}

const READERS: [string, (b: Uint8Array) => unknown][] = [
  ["golden.safetensors", (b) => readSafetensors(b)],
  ["f4_fortran_2x3x4.npy", (b) => readNpy(b)],
  ["f8_big_endian_2x2.npy", (b) => readNpy(b)],
  ["f4_v3_2x3.npy", (b) => readNpy(b)],
  ["savez.npz", (b) => readNpz(b)],
  ["savez_compressed.npz", (b) => readNpz(b)],
  ["images-idx3-ubyte", (b) => readIdx(b)],
  ["images-idx3-ubyte.gz", (b) => readIdx(b, { maxBytes: 1 << 20 })],
];

Deno.test("readers either succeed or throw RangeError/SyntaxError on randomly corrupted files", () => {
  const rng = Rng.fromSeed(2024n);
  for (const [name, read] of READERS) {
    const golden = fixtureBytes(name);
    let failures = 0;
    for (let trial = 0; trial < 400; trial++) {
      const bytes = mutate(rng, golden);
      try {
        read(bytes);
      } catch (e) {
        failures++;
        assert.ok(
          (e instanceof RangeError || e instanceof SyntaxError) &&
            /^Cannot [a-z]+ [a-zA-Z]+ as /.test(e.message) &&
            !e.message.endsWith("."),
          `${name}, trial ${trial}: unexpected ${String(e)}`,
        );
      }
    }
    assert.ok(
      failures > 100,
      `${name}: only ${failures} of 400 corruptions were rejected`,
    );
  }
});
