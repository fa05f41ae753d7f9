import assert from "node:assert/strict";
import { StagedDir } from "../../src/io/staged_dir.ts";

async function tree(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const name = `${prefix}${e.name}`;
    if (e.isDirectory) out.push(...await tree(`${dir}/${e.name}`, `${name}/`));
    else out.push(`${name}=${await Deno.readTextFile(`${dir}/${e.name}`)}`);
  }
  return out.sort();
}

async function withTemp(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir();
  try {
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("StagedDir.commit() moves the complete folder into place and leaves nothing hidden", async () => {
  await withTemp(async (root) => {
    const staged = await StagedDir.create(`${root}/a/site`);
    try {
      assert.deepEqual(await tree(`${root}/a`), []); // staging is an empty hidden folder
      await staged.write("index.html", "i");
      await staged.write("benchmarks/x.html", "x");
      assert.equal(await Deno.lstat(`${root}/a/site`).catch(() => null), null);
      await staged.commit({ replace: false });
    } finally {
      await staged.discard();
    }
    assert.deepEqual(await tree(root), [
      "a/site/benchmarks/x.html=x",
      "a/site/index.html=i",
    ]);
  });
});

Deno.test("StagedDir.commit() without replace refuses an existing target and keeps it", async () => {
  await withTemp(async (root) => {
    await Deno.mkdir(`${root}/site`);
    const staged = await StagedDir.create(`${root}/site`);
    try {
      await staged.write("new.txt", "n");
      await assert.rejects(
        staged.commit({ replace: false }),
        Deno.errors.AlreadyExists,
      );
    } finally {
      await staged.discard();
    }
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(root))).map((e) => e.name),
      ["site"],
    );
    assert.deepEqual(await tree(`${root}/site`), []);
  });
});

Deno.test("StagedDir.commit() with replace swaps an existing folder and deletes the old one", async () => {
  await withTemp(async (root) => {
    await Deno.mkdir(`${root}/site/sub`, { recursive: true });
    await Deno.writeTextFile(`${root}/site/sub/old.txt`, "o");
    const staged = await StagedDir.create(`${root}/site`);
    const stale: string[] = [];
    try {
      await staged.write("new.txt", "n");
      await staged.commit({ replace: true, onStaleOld: (p) => stale.push(p) });
    } finally {
      await staged.discard();
    }
    assert.deepEqual(stale, []);
    assert.deepEqual(await tree(root), ["site/new.txt=n"]);
  });
});

Deno.test("StagedDir.discard() removes an uncommitted folder; writing a file twice fails", async () => {
  await withTemp(async (root) => {
    const staged = await StagedDir.create(`${root}/site`);
    await staged.write("a.txt", "1");
    await assert.rejects(staged.write("a.txt", "2"), Deno.errors.AlreadyExists);
    await staged.discard();
    await staged.discard();
    assert.deepEqual(await tree(root), []);
  });
});
