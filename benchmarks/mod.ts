/**
 * The benchmark registry: an explicit list. Each id equals its file name and its key in results.
 *
 * @module
 */
import type { BenchmarkDefinition } from "../src/bench/types.ts";
import { sgdQuadraticSpeed } from "./sgd_quadratic_speed.ts";

/** Every benchmark of the suite, in run order. */
export const BENCHMARKS: readonly BenchmarkDefinition[] = [
  sgdQuadraticSpeed,
];
