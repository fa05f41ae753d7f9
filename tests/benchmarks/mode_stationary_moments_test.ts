import assert from "node:assert/strict";
import { modeStationaryMoments } from "../../benchmarks/mode_stationary_moments.ts";
import { Rng } from "../../src/random/rng.ts";
import { assertClose } from "../_util/assert_close.ts";

const ctx = () => ({
  rng: Rng.fromSeed(3n),
  seed: 3n,
  quick: true,
  now: () => 0,
});

Deno.test("modeStationaryMoments: ηh = 3 at β = 0 is past 2(1+β) and is diverged without simulating", async () => {
  const out = await modeStationaryMoments.run({ etaH: 3, beta: 0 }, ctx());
  assert.deepEqual(out.metrics, {});
  assert.match(out.diverged!, /unstable/);
});

Deno.test("modeStationaryMoments: references are theory.md §3.3/§7.1 closed forms (h = s = S = 1, η = ηh)", async () => {
  for (const [etaH, beta] of [[0.12, 0], [1.2, 0.9]] as const) {
    const out = await modeStationaryMoments.run({ etaH, beta }, ctx());
    const eta = etaH;
    const gap = 2 * (1 + beta) - eta;
    const x = out.metrics.positionVariance!.references!;
    const v = out.metrics.velocityVariance!.references!;
    const c = out.metrics.positionVelocityCorrelation!.references!;
    // Closed forms typed from theory.md; round-off only.
    assertClose(x.exact!.value, eta * (1 + beta) / ((1 - beta) * gap), {
      rtol: 1e-12,
    });
    assertClose(x.continuous!.value, eta / (2 * (1 - beta)), { rtol: 1e-12 });
    assertClose(v.exact!.value, 2 / ((1 - beta) * gap), { rtol: 1e-12 });
    assertClose(v.continuous!.value, 1 / (1 - beta * beta), { rtol: 1e-12 });
    assertClose(c.exact!.value, Math.sqrt(eta / (2 * (1 + beta))), {
      rtol: 1e-12,
    });
    assert.equal(c.continuous!.value, 0);
    // The C5 break is declared whenever the exact correlation is resolvable (> 4 stderr).
    const se = out.metrics.positionVelocityCorrelation!.stderr!;
    assert.equal(
      c.continuous!.expectedBreak !== undefined,
      c.exact!.value > 4 * se,
    );
    // ηh/(2(1+β)) = 0.06 keeps the first-order budget; 0.316 is declared a break.
    assert.equal(x.continuous!.budget, etaH / (2 * (1 + beta)));
    if (etaH === 1.2) assert.ok(x.continuous!.expectedBreak !== undefined);
  }
});
