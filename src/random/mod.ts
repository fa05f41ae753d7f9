/**
 * Seeded randomness: a portable xoshiro128** generator and per-consumer seed derivation.
 *
 * @example Usage
 * ```ts
 * import { deriveSeed, Rng } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const rng = Rng.fromSeed(deriveSeed(1n, ["my_benchmark", "eta=0.1"]));
 * assert.ok(Number.isFinite(rng.normal()));
 * ```
 *
 * @module
 */
export * from "./rng.ts";
export * from "./derive_seed.ts";
export * from "./ziggurat.ts";
