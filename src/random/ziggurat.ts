/**
 * Fast standard normal deviates: a 128-layer ziggurat (Marsaglia & Tsang 2000) driven by its own xoshiro128**
 * state, seeded from an {@linkcode Rng}. Exact in distribution up to the 2^-24 relative resolution inside each
 * layer (the value bits and the layer bits of each 32-bit output are disjoint, avoiding the index/value
 * correlation of the original RNOR that Doornik 2005 pointed out); wedges and tail use exact rejection with
 * 53-bit uniforms.
 *
 * @module
 */

import type { Rng } from "./rng.ts";

const LAYERS = 128;
/** Right edge r of the base strip and the common area v of every layer for 128 layers (Marsaglia & Tsang 2000). */
const R = 3.442619855899;
const V = 9.91256303526217e-3;
/** Scale of the 25-bit signed value part: |j + ½| < 2^24. */
const M = 16777216;
/** Block length of {@linkcode Ziggurat.fill}'s deferred-rejection loop. */
const BLOCK = 1024;
const TWO_M53 = 2 ** -53;

/** kn[i]: acceptance threshold on |j + ½|; wn[i]: x per unit of j; fn[i] = exp(−x_i²/2). */
const KN = new Float64Array(LAYERS);
const WN = new Float64Array(LAYERS);
const FN = new Float64Array(LAYERS);
{
  let dn = R;
  let tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  KN[0] = (dn / q) * M;
  KN[1] = 0;
  WN[0] = q / M;
  WN[LAYERS - 1] = dn / M;
  FN[0] = 1;
  FN[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = (dn / tn) * M;
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / M;
  }
}

/**
 * A fast standard-normal generator (ziggurat on xoshiro128**). Construct it from an {@linkcode Rng}: it takes four
 * 32-bit words from that generator as its own state, so the same seed always gives the same deviates, on every
 * host (only 32-bit integer arithmetic plus `Math.exp`/`Math.log` in the rare wedge and tail branches).
 *
 * About 98.8 % of draws cost one 32-bit output, a table lookup, a compare and a multiply.
 *
 * @example Usage
 * ```ts
 * import { Rng } from "./rng.ts";
 * import { Ziggurat } from "./ziggurat.ts";
 * import assert from "node:assert/strict";
 *
 * const a = Ziggurat.fromRng(Rng.fromSeed(7n));
 * const b = Ziggurat.fromRng(Rng.fromSeed(7n));
 * const xs = a.fill(new Float64Array(1000));
 * assert.deepEqual(xs, b.fill(new Float64Array(1000)));
 * const m = xs.reduce((s, x) => s + x, 0) / xs.length;
 * assert.ok(Math.abs(m) < 0.15);
 * ```
 */
export class Ziggurat {
  /** xoshiro128** state; public-but-internal so that hot loops elsewhere can inline the generator. */
  s0: number;
  /** See {@linkcode Ziggurat.s0}. */
  s1: number;
  /** See {@linkcode Ziggurat.s0}. */
  s2: number;
  /** See {@linkcode Ziggurat.s0}. */
  s3: number;
  #rejIdx = new Int32Array(BLOCK);
  #rejU = new Int32Array(BLOCK);

  /**
   * Creates a generator from four 32-bit words of xoshiro128** state (not all zero). Prefer
   * {@linkcode Ziggurat.fromRng}.
   *
   * @param state Four unsigned 32-bit integers.
   * @throws {RangeError} If the state is all zero.
   */
  constructor(state: readonly [number, number, number, number]) {
    const [a, b, c, d] = state;
    if ((a | b | c | d) === 0) {
      throw new RangeError(
        "Cannot create Ziggurat as its state is all zero",
      );
    }
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 0;
  }

  /**
   * Creates a generator whose state is the next four outputs of `rng` (re-drawn in the astronomically unlikely
   * case that all four are zero).
   *
   * @param rng Source of the seed state; advanced by four 32-bit draws.
   * @returns A new generator.
   *
   * @example Usage
   * ```ts
   * import { Rng } from "./rng.ts";
   * import { Ziggurat } from "./ziggurat.ts";
   * import assert from "node:assert/strict";
   *
   * assert.notEqual(Ziggurat.fromRng(Rng.fromSeed(1n)).normal(), Ziggurat.fromRng(Rng.fromSeed(2n)).normal());
   * ```
   */
  static fromRng(rng: Rng): Ziggurat {
    for (;;) {
      const s: [number, number, number, number] = [
        rng.uint32(),
        rng.uint32(),
        rng.uint32(),
        rng.uint32(),
      ];
      if ((s[0] | s[1] | s[2] | s[3]) !== 0) return new Ziggurat(s);
    }
  }

  /**
   * Returns the next output of the internal xoshiro128** generator.
   *
   * @returns An integer in [0, 2^32).
   *
   * @example Usage
   * ```ts
   * import { Rng } from "./rng.ts";
   * import { Ziggurat } from "./ziggurat.ts";
   * import assert from "node:assert/strict";
   *
   * const u = Ziggurat.fromRng(Rng.fromSeed(3n)).uint32();
   * assert.ok(Number.isInteger(u) && u >= 0 && u < 2 ** 32);
   * ```
   */
  uint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = (n3 << 11) | (n3 >>> 21);
    return result;
  }

  /**
   * Returns a uniform double in (0, 1) with 53 random bits (never 0, so `Math.log` is finite).
   *
   * @returns A number in (0, 1).
   *
   * @example Usage
   * ```ts
   * import { Rng } from "./rng.ts";
   * import { Ziggurat } from "./ziggurat.ts";
   * import assert from "node:assert/strict";
   *
   * const u = Ziggurat.fromRng(Rng.fromSeed(3n)).float();
   * assert.ok(u > 0 && u < 1);
   * ```
   */
  float(): number {
    const hi = this.uint32() >>> 5;
    const lo = this.uint32() >>> 6;
    return ((hi * 67108864 + lo) + 0.5) * TWO_M53;
  }

  /**
   * Returns one standard normal deviate.
   *
   * @returns A draw from N(0, 1).
   *
   * @example Usage
   * ```ts
   * import { Rng } from "./rng.ts";
   * import { Ziggurat } from "./ziggurat.ts";
   * import assert from "node:assert/strict";
   *
   * assert.ok(Number.isFinite(Ziggurat.fromRng(Rng.fromSeed(3n)).normal()));
   * ```
   */
  normal(): number {
    const u = this.uint32();
    const i = u & 127;
    const j = ((u | 0) >> 7) + 0.5;
    if (Math.abs(j) < KN[i]!) return j * WN[i]!;
    return this.slow(u);
  }

  /**
   * Rejection branch of the ziggurat for a 32-bit draw `u` that fell outside its layer's rectangle core. Exposed
   * only so that inlined hot loops elsewhere (e.g. the SGD simulators) can share it; callers normally use
   * {@linkcode Ziggurat.normal} or {@linkcode Ziggurat.fill}.
   *
   * @param u The rejected 32-bit draw.
   * @returns A draw from N(0, 1).
   *
   * @example Usage
   * ```ts
   * import { Rng } from "./rng.ts";
   * import { Ziggurat } from "./ziggurat.ts";
   * import assert from "node:assert/strict";
   *
   * // A base-strip draw beyond r: layer 0, |j| at the top of the range, goes to the tail.
   * const x = Ziggurat.fromRng(Rng.fromSeed(3n)).slow(0x7fffff80);
   * assert.ok(x > 3.44);
   * ```
   */
  slow(u: number): number {
    for (;;) {
      const i = u & 127;
      const j = ((u | 0) >> 7) + 0.5;
      if (Math.abs(j) < KN[i]!) return j * WN[i]!;
      if (i === 0) {
        // Tail beyond r (Marsaglia 1964): x = −ln(u1)/r, accept if −2 ln(u2) > x².
        let x: number;
        let y: number;
        do {
          x = -Math.log(this.float()) / R;
          y = -Math.log(this.float());
        } while (y + y < x * x);
        return j > 0 ? R + x : -R - x;
      }
      const x = j * WN[i]!;
      const f0 = FN[i]!;
      if (f0 + this.float() * (FN[i - 1]! - f0) < Math.exp(-0.5 * x * x)) {
        return x;
      }
      u = this.uint32();
    }
  }

  /**
   * Fills `out[start..end)` with independent standard normal deviates. Faster than repeated
   * {@linkcode Ziggurat.normal} calls: the ~1.2 % of draws that miss their layer's core are completed after each
   * block of 1024 fast draws, so the sequence differs from `normal()`'s (both are exact, both deterministic).
   *
   * @param out Array to fill.
   * @param start First index (default 0).
   * @param end One past the last index (default `out.length`).
   * @returns `out`.
   *
   * @example Usage
   * ```ts
   * import { Rng } from "./rng.ts";
   * import { Ziggurat } from "./ziggurat.ts";
   * import assert from "node:assert/strict";
   *
   * const a = Ziggurat.fromRng(Rng.fromSeed(5n)).fill(new Float64Array(3000));
   * const b = Ziggurat.fromRng(Rng.fromSeed(5n)).fill(new Float64Array(3000));
   * assert.deepEqual(a, b);
   * assert.ok(a.every(Number.isFinite));
   * ```
   */
  fill<T extends Float64Array | Float32Array>(
    out: T,
    start = 0,
    end: number = out.length,
  ): T {
    const rejIdx = this.#rejIdx;
    const rejU = this.#rejU;
    for (let lo = start; lo < end; lo += BLOCK) {
      const hi = Math.min(end, lo + BLOCK);
      let s0 = this.s0;
      let s1 = this.s1;
      let s2 = this.s2;
      let s3 = this.s3;
      let nr = 0;
      for (let k = lo; k < hi; k++) {
        const m = Math.imul(s1, 5);
        const u = Math.imul((m << 7) | (m >>> 25), 9);
        const t = s1 << 9;
        const n2 = s2 ^ s0;
        const n3 = s3 ^ s1;
        s1 = s1 ^ n2;
        s0 = s0 ^ n3;
        s2 = n2 ^ t;
        s3 = (n3 << 11) | (n3 >>> 21);
        const i = u & 127;
        const j = (u >> 7) + 0.5;
        out[k] = j * WN[i]!;
        if (!(Math.abs(j) < KN[i]!)) {
          rejIdx[nr] = k;
          rejU[nr] = u;
          nr++;
        }
      }
      this.s0 = s0;
      this.s1 = s1;
      this.s2 = s2;
      this.s3 = s3;
      for (let r = 0; r < nr; r++) out[rejIdx[r]!] = this.slow(rejU[r]!);
    }
    return out;
  }
}

/** The ziggurat tables (read-only views) for tests and inlined loops: thresholds, widths and densities. */
export const ZIGGURAT_TABLES: {
  readonly kn: Float64Array;
  readonly wn: Float64Array;
  readonly fn: Float64Array;
} = { kn: KN, wn: WN, fn: FN };
