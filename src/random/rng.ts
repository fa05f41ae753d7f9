/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna) on 32-bit integer arithmetic, seeded through
 * splitmix64 so that nearby seeds give unrelated streams. Pure TypeScript, bit-identical on every host.
 *
 * @module
 */

const MASK64 = (1n << 64n) - 1n;

function splitmix64(state: bigint): [bigint, bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [next, z ^ (z >> 31n)];
}

/** 2^-32 and 2^-53, for turning integers into doubles in [0, 1). */
const TWO_M32 = 2 ** -32;
const TWO_M53 = 2 ** -53;

/**
 * A seeded random number generator (xoshiro128**, period 2^128 − 1).
 *
 * The same seed always gives the same stream, on every machine: only 32-bit integer operations are used to
 * advance the state, and normal deviates use `Math.log`, `Math.sqrt`, `Math.cos` and `Math.sin`, which V8
 * computes with the same portable (fdlibm) code on every host.
 *
 * @example Usage
 * ```ts
 * import { Rng } from "./rng.ts";
 * import assert from "node:assert/strict";
 *
 * const a = Rng.fromSeed(1n);
 * const b = Rng.fromSeed(1n);
 * assert.equal(a.float(), b.float());
 * const x = a.float();
 * assert.ok(x >= 0 && x < 1);
 * ```
 */
export class Rng {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  #spare = 0;
  #hasSpare = false;

  /**
   * Creates a generator from four 32-bit words of state (not all zero). Prefer {@linkcode Rng.fromSeed}.
   *
   * @param state Four unsigned 32-bit integers.
   */
  constructor(state: readonly [number, number, number, number]) {
    const [a, b, c, d] = state;
    if ((a | b | c | d) === 0) {
      throw new RangeError("Cannot create Rng as its state is all zero");
    }
    this.#s0 = a >>> 0;
    this.#s1 = b >>> 0;
    this.#s2 = c >>> 0;
    this.#s3 = d >>> 0;
  }

  /**
   * Creates a generator from a 64-bit seed (any bigint; taken modulo 2^64).
   *
   * @param seed The seed.
   * @returns A new generator.
   *
   * @example Usage
   * ```ts
   * import { Rng } from "./rng.ts";
   * import assert from "node:assert/strict";
   *
   * assert.notEqual(Rng.fromSeed(1n).uint32(), Rng.fromSeed(2n).uint32());
   * ```
   */
  static fromSeed(seed: bigint): Rng {
    let s = BigInt.asUintN(64, seed);
    let z1: bigint;
    let z2: bigint;
    [s, z1] = splitmix64(s);
    [s, z2] = splitmix64(s);
    return new Rng([
      Number(z1 & 0xffffffffn),
      Number(z1 >> 32n),
      Number(z2 & 0xffffffffn),
      Number(z2 >> 32n),
    ]);
  }

  /**
   * Returns the next unsigned 32-bit integer.
   *
   * @returns An integer in [0, 2^32).
   */
  uint32(): number {
    const s0 = this.#s0;
    const s1 = this.#s1;
    const s2 = this.#s2;
    const s3 = this.#s3;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.#s1 = s1 ^ n2;
    this.#s0 = s0 ^ n3;
    this.#s2 = n2 ^ t;
    this.#s3 = (n3 << 11) | (n3 >>> 21);
    return result;
  }

  /**
   * Returns a uniform double in [0, 1) with 53 random bits.
   *
   * @returns A number in [0, 1).
   */
  float(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * TWO_M53;
  }

  /**
   * Returns a uniform integer in [0, n) without modulo bias (rejection sampling).
   *
   * @param n Upper bound, an integer in [1, 2^32].
   * @returns An integer in [0, n).
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) {
      throw new RangeError(
        `Cannot draw an integer as n must be an integer in [1, 2^32]: n=${n}`,
      );
    }
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const u = this.uint32();
      if (u < limit) return u % n;
    }
  }

  /**
   * Returns a standard normal deviate (Box–Muller; the second deviate of each pair is kept for the next call).
   *
   * @returns A draw from N(0, 1).
   */
  normal(): number {
    if (this.#hasSpare) {
      this.#hasSpare = false;
      return this.#spare;
    }
    // u1 in (0, 1]: never log(0).
    const u1 = 1 - this.float();
    const u2 = this.uint32() * TWO_M32;
    const r = Math.sqrt(-2 * Math.log(u1));
    const a = 2 * Math.PI * u2;
    this.#spare = r * Math.sin(a);
    this.#hasSpare = true;
    return r * Math.cos(a);
  }

  /**
   * Fills `out` with standard normal deviates; the same as calling {@linkcode Rng.normal} `out.length` times.
   *
   * @param out Array to fill.
   * @returns `out`.
   */
  fillNormal<T extends Float64Array | Float32Array>(out: T): T {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }
}
