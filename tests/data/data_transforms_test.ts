import assert from "node:assert/strict";
import { Rng } from "../../src/random/rng.ts";
import {
  epochBatches,
  gatherBatch,
  type ImageDataset,
  normalizeImages,
  oneHot,
  padImages,
  PIXEL_STATS,
  pixelStats,
  shuffledIndices,
  takeFirst,
  validateImageDataset,
} from "../../src/data/mod.ts";
import { assertAllClose } from "../_util/assert_close.ts";

function toy(count: number, h: number, w: number, c: number): ImageDataset {
  const images = new Uint8Array(count * h * w * c);
  for (let i = 0; i < images.length; i++) images[i] = (i * 37 + 11) % 256;
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  return {
    name: "mnist",
    images,
    labels,
    count,
    height: h,
    width: w,
    channels: c,
    numClasses: 10,
  };
}

Deno.test("takeFirst() returns the first n examples and rejects n outside [0, count]", () => {
  const ds = toy(5, 2, 3, 1);
  const sub = takeFirst(ds, 2);
  assert.equal(sub.count, 2);
  assert.deepEqual(
    Array.from(sub.images),
    Array.from(ds.images.subarray(0, 12)),
  );
  assert.deepEqual(Array.from(sub.labels), [0, 1]);
  assert.throws(() => takeFirst(ds, 6), RangeError);
  assert.throws(() => takeFirst(ds, -1), RangeError);
});

Deno.test("padImages() places each pixel at (y + p, x + p) and zeros elsewhere", () => {
  const ds = toy(3, 28, 28, 2);
  const p = padImages(ds, 2);
  assert.deepEqual([p.height, p.width, p.channels, p.count], [32, 32, 2, 3]);
  // Brute-force reference: read every padded pixel back from the source coordinates.
  for (let i = 0; i < 3; i++) {
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        for (let c = 0; c < 2; c++) {
          const sy = y - 2;
          const sx = x - 2;
          const inside = sy >= 0 && sy < 28 && sx >= 0 && sx < 28;
          const want = inside
            ? ds.images[((i * 28 + sy) * 28 + sx) * 2 + c]!
            : 0;
          assert.equal(p.images[((i * 32 + y) * 32 + x) * 2 + c], want);
        }
      }
    }
  }
  assert.deepEqual(padImages(ds, 0).images, ds.images);
  assert.throws(() => padImages(ds, -1), RangeError);
});

Deno.test("normalizeImages() computes (p/255 − mean)/std rounded once to float32", () => {
  const ds = toy(2, 4, 4, 1);
  const check = (got: Float32Array, mean: number, std: number) =>
    assert.deepEqual(
      Array.from(got),
      Array.from(ds.images, (v) => Math.fround((v / 255 - mean) / std)),
    );
  check(normalizeImages(ds, "unit"), 0, 1);
  check(
    normalizeImages(ds, "standard"),
    PIXEL_STATS.mnist!.mean,
    PIXEL_STATS.mnist!.std,
  );
  check(normalizeImages(ds, { mean: 0.25, std: 2 }), 0.25, 2);
  assert.throws(
    () => normalizeImages({ ...ds, name: "cifar" }, "standard"),
    RangeError,
  );
  assert.throws(() => normalizeImages(ds, { mean: 0, std: 0 }), RangeError);
});

Deno.test("normalizeImages() with 'standard' gives zero mean and unit std on the data behind pixelStats()", () => {
  const ds = toy(20, 8, 8, 1);
  const s = pixelStats(ds);
  const x = normalizeImages(ds, s);
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let v2 = 0;
  for (const v of x) v2 += (v - m) ** 2;
  // float32 rounding of each value: mean and variance off by ~1e-7 relative.
  assertAllClose([m, Math.sqrt(v2 / x.length)], [0, 1], { atol: 1e-6 });
});

Deno.test("oneHot() sets exactly one 1 per row and rejects bad labels", () => {
  const y = oneHot([0, 2, 1], 3);
  assert.deepEqual(Array.from(y), [1, 0, 0, 0, 0, 1, 0, 1, 0]);
  assert.throws(() => oneHot([3], 3), RangeError);
  assert.throws(() => oneHot([0.5], 3), RangeError);
  assert.throws(() => oneHot([0], 0), RangeError);
});

Deno.test("shuffledIndices() is a permutation, reproducible per seed, and uniform over S3", async (t) => {
  await t.step("permutation and reproducibility", () => {
    const a = shuffledIndices(100, Rng.fromSeed(7n));
    assert.deepEqual(
      Array.from(a).sort((x, y) => x - y),
      Array.from({ length: 100 }, (_, i) => i),
    );
    assert.deepEqual(a, shuffledIndices(100, Rng.fromSeed(7n)));
    assert.notDeepEqual(a, shuffledIndices(100, Rng.fromSeed(8n)));
    assert.equal(shuffledIndices(0, Rng.fromSeed(1n)).length, 0);
    assert.throws(() => shuffledIndices(-1, Rng.fromSeed(1n)), RangeError);
  });
  await t.step(
    "each of the 6 permutations of 3 has frequency 1/6 within 4σ",
    () => {
      const rng = Rng.fromSeed(11n);
      const n = 6000;
      const counts = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const k = Array.from(shuffledIndices(3, rng)).join();
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      assert.equal(counts.size, 6);
      const sigma = Math.sqrt(n * (1 / 6) * (5 / 6));
      for (const c of counts.values()) {
        assert.ok(
          Math.abs(c - n / 6) < 4 * sigma,
          `count ${c}`,
        );
      }
    },
  );
});

Deno.test("epochBatches() covers every index once per epoch and honours dropLast", () => {
  const rng = Rng.fromSeed(3n);
  const all = epochBatches(10, rng, { batchSize: 3, dropLast: false });
  assert.deepEqual(all.map((b) => b.length), [3, 3, 3, 1]);
  assert.deepEqual(all.flatMap((b) => Array.from(b)).sort((a, b) => a - b), [
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
  ]);
  const dropped = epochBatches(10, Rng.fromSeed(3n), { batchSize: 3 });
  assert.deepEqual(dropped.map((b) => b.length), [3, 3, 3]);
  // Same seed, same permutation: the dropped epoch is a prefix of the full one.
  assert.deepEqual(dropped, all.slice(0, 3));
  assert.deepEqual(
    epochBatches(4, rng, { batchSize: 2, shuffle: false }).map((b) =>
      Array.from(b)
    ),
    [[0, 1], [2, 3]],
  );
  assert.throws(() => epochBatches(4, rng, { batchSize: 0 }), RangeError);
});

Deno.test("gatherBatch() copies inputs and one-hot labels of the chosen examples", () => {
  const ds = toy(4, 2, 2, 1);
  const inputs = normalizeImages(ds, "unit");
  const b = gatherBatch({
    inputs,
    labels: ds.labels,
    exampleSize: 4,
    numClasses: 10,
  }, [3, 1]);
  assert.equal(b.size, 2);
  assert.deepEqual(Array.from(b.x), [
    ...inputs.subarray(12, 16),
    ...inputs.subarray(4, 8),
  ]);
  assert.deepEqual(Array.from(b.y), Array.from(oneHot([3, 1], 10)));
  assert.throws(
    () =>
      gatherBatch(
        { inputs, labels: ds.labels, exampleSize: 4, numClasses: 10 },
        [4],
      ),
    RangeError,
  );
  assert.throws(
    () =>
      gatherBatch(
        { inputs, labels: ds.labels, exampleSize: 3, numClasses: 10 },
        [0],
      ),
    TypeError,
  );
});

Deno.test("validateImageDataset() rejects inconsistent sizes and labels", () => {
  const ds = toy(2, 2, 2, 1);
  validateImageDataset(ds);
  assert.throws(() => validateImageDataset({ ...ds, count: 3 }), TypeError);
  assert.throws(
    () => validateImageDataset({ ...ds, numClasses: 1 }),
    RangeError,
  );
  assert.throws(() => validateImageDataset({ ...ds, height: 0 }), RangeError);
});
