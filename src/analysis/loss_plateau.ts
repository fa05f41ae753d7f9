/**
 * Has a training loss stopped falling? Compares the mean batch loss of the last window of a run with the window
 * before it — the check behind "trained to a plateau" for a pretraining phase.
 *
 * @module
 */

import { checkFiniteArray } from "./_validate.ts";

/** Result of {@linkcode lossPlateau}. */
export interface LossPlateau {
  /** Samples per window w = max(1, ⌊fraction·n⌋). */
  readonly window: number;
  /** Mean loss over the last w samples. */
  readonly last: number;
  /** Mean loss over the w samples before them. */
  readonly previous: number;
  /** (last − previous)/previous: ≈ 0 on a plateau, negative while the loss still falls. */
  readonly relativeChange: number;
}

/**
 * Mean batch loss of the last window and of the window before it, and their relative change.
 *
 * @param loss Batch losses in step order (finite, at least 2).
 * @param fraction Window length as a fraction of the run, in (0, 0.5] (default 0.1).
 * @returns The two window means and the relative change.
 * @throws {RangeError} For fewer than 2 losses, a non-finite loss or a fraction outside (0, 0.5].
 *
 * @example A loss that halves between the two last tenths
 * ```ts
 * import assert from "node:assert/strict";
 * import { lossPlateau } from "./loss_plateau.ts";
 *
 * const loss = Array.from({ length: 100 }, (_, k) => (k < 90 ? (k < 80 ? 4 : 2) : 1));
 * const r = lossPlateau(loss);
 * assert.deepEqual([r.window, r.last, r.previous, r.relativeChange], [10, 1, 2, -0.5]);
 * ```
 */
export function lossPlateau(
  loss: ArrayLike<number>,
  fraction = 0.1,
): LossPlateau {
  const action = "compute the loss plateau";
  const n = loss.length;
  if (n < 2) {
    throw new RangeError(
      `Cannot ${action} as at least 2 losses are needed: got ${n}`,
    );
  }
  checkFiniteArray(loss, "loss", action);
  if (!(fraction > 0 && fraction <= 0.5)) {
    throw new RangeError(
      `Cannot ${action} as fraction must be in (0, 0.5]: current value is ${fraction}`,
    );
  }
  const w = Math.max(1, Math.floor(fraction * n));
  const mean = (from: number) => {
    let s = 0;
    for (let i = from; i < from + w; i++) s += loss[i]!;
    return s / w;
  };
  const last = mean(n - w);
  const previous = mean(n - 2 * w);
  return {
    window: w,
    last,
    previous,
    relativeChange: (last - previous) / previous,
  };
}
