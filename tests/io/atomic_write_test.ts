import assert from "node:assert/strict";
import { writeTextAtomic } from "../../src/io/atomic_write.ts";

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

Deno.test("writeTextAtomic() creates the file and leaves no temporary file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeTextAtomic(`${dir}/a.json`, "hello\n");
    assert.equal(await Deno.readTextFile(`${dir}/a.json`), "hello\n");
    assert.deepEqual(await listDir(dir), ["a.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeTextAtomic() never overwrites an existing file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/a.json`, "old\n");
    await assert.rejects(
      () => writeTextAtomic(`${dir}/a.json`, "new\n"),
      Deno.errors.AlreadyExists,
    );
    assert.equal(await Deno.readTextFile(`${dir}/a.json`), "old\n");
    assert.deepEqual(await listDir(dir), ["a.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeTextAtomic() fails cleanly when the folder does not exist", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      () => writeTextAtomic(`${dir}/missing/a.json`, "x"),
      Deno.errors.NotFound,
    );
    assert.deepEqual(await listDir(dir), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
