import assert from "node:assert/strict";
import { loadImageDataset } from "../../src/io/datasets.ts";
import { PIXEL_STATS, pixelStats } from "../../src/data/normalize_images.ts";
import { assertClose } from "../_util/assert_close.ts";

// Expected values from an independent reader (numpy on the same files), run while writing this test:
//   /usr/bin/python3 -c "import gzip, numpy as np; ..." — parse the IDX header by hand, np.frombuffer the
//   bytes, print the first 10 labels, the pixel sums of the first and last image, and mean/std of X/255.
const EXPECTED = {
  "mnist": {
    train: {
      count: 60000,
      labels: [5, 0, 4, 1, 9, 2, 1, 3, 1, 4],
      firstSum: 27525,
      lastSum: 20920,
    },
    test: {
      count: 10000,
      labels: [7, 2, 1, 0, 4, 1, 4, 9, 5, 9],
      firstSum: 18454,
      lastSum: 41833,
    },
    stats: { mean: 0.1306604762738429, std: 0.3081078038564622 },
  },
  "fashion-mnist": {
    train: {
      count: 60000,
      labels: [9, 0, 0, 3, 0, 2, 7, 2, 5, 5],
      firstSum: 76247,
      lastSum: 16684,
    },
    test: {
      count: 10000,
      labels: [9, 2, 1, 1, 6, 1, 4, 6, 5, 7],
      firstSum: 33456,
      lastSum: 24390,
    },
    stats: { mean: 0.2860405969887955, std: 0.35302424451492237 },
  },
} as const;

function imageSum(images: Uint8Array, i: number): number {
  let s = 0;
  for (let j = i * 784; j < (i + 1) * 784; j++) s += images[j]!;
  return s;
}

for (const name of ["mnist", "fashion-mnist"] as const) {
  for (const split of ["train", "test"] as const) {
    Deno.test(`loadImageDataset() reads ${name} ${split} as numpy does`, async () => {
      const e = EXPECTED[name][split];
      const ds = await loadImageDataset(name, { split });
      assert.equal(ds.count, e.count);
      assert.deepEqual([ds.height, ds.width, ds.channels, ds.numClasses], [
        28,
        28,
        1,
        10,
      ]);
      assert.equal(ds.images.length, e.count * 784);
      assert.deepEqual(Array.from(ds.labels.subarray(0, 10)), e.labels);
      assert.equal(imageSum(ds.images, 0), e.firstSum);
      assert.equal(imageSum(ds.images, e.count - 1), e.lastSum);
      if (split === "train") {
        const s = pixelStats(ds);
        // float64 histogram accumulation vs numpy's pairwise sums over 47M values: ~1e-12 relative.
        assertClose(s.mean, EXPECTED[name].stats.mean, { rtol: 1e-10 });
        assertClose(s.std, EXPECTED[name].stats.std, { rtol: 1e-10 });
        // PIXEL_STATS are the data's values rounded to 4 decimals.
        assertClose(PIXEL_STATS[name]!.mean, s.mean, { atol: 5e-5 });
        assertClose(PIXEL_STATS[name]!.std, s.std, { atol: 5e-5 });
      }
    });
  }
}

Deno.test("loadImageDataset() with limit keeps the first N examples in file order", async () => {
  const ds = await loadImageDataset("fashion-mnist", {
    split: "test",
    limit: 3,
  });
  assert.equal(ds.count, 3);
  assert.equal(ds.images.length, 3 * 784);
  assert.deepEqual(Array.from(ds.labels), [9, 2, 1]);
  assert.equal(imageSum(ds.images, 0), EXPECTED["fashion-mnist"].test.firstSum);
  const none = await loadImageDataset("mnist", { split: "test", limit: 0 });
  assert.equal(none.count, 0);
});

Deno.test("loadImageDataset() throws RangeError for a limit beyond the split", async () => {
  await assert.rejects(
    loadImageDataset("mnist", { split: "test", limit: 10001 }),
    RangeError,
  );
  await assert.rejects(
    loadImageDataset("mnist", { split: "test", limit: 1.5 }),
    RangeError,
  );
});

Deno.test("loadImageDataset() names the file and its package when the folder is missing", async () => {
  await assert.rejects(
    loadImageDataset("fashion-mnist", {
      split: "train",
      dir: "/nonexistent/fashion",
    }),
    (e: unknown) =>
      e instanceof Error &&
      e.message.includes("/nonexistent/fashion/train-images-idx3-ubyte.gz") &&
      e.message.includes("dataset-fashion-mnist"),
  );
});

Deno.test("loadImageDataset() rejects a file that is not IDX with SyntaxError", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(
      `${dir}/t10k-images-idx3-ubyte`,
      new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]),
    );
    await Deno.writeFile(
      `${dir}/t10k-labels-idx1-ubyte`,
      new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0]),
    );
    await assert.rejects(
      loadImageDataset("mnist", { split: "test", dir }),
      SyntaxError,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadImageDataset() rejects images that are not [N, 28, 28] with TypeError", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // 1 image of 2×2 and 1 label: valid IDX, wrong image size.
    await Deno.writeFile(
      `${dir}/t10k-images-idx3-ubyte`,
      new Uint8Array([
        0,
        0,
        8,
        3,
        0,
        0,
        0,
        1,
        0,
        0,
        0,
        2,
        0,
        0,
        0,
        2,
        1,
        2,
        3,
        4,
      ]),
    );
    await Deno.writeFile(
      `${dir}/t10k-labels-idx1-ubyte`,
      new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 3]),
    );
    await assert.rejects(
      loadImageDataset("mnist", { split: "test", dir }),
      TypeError,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
