import assert from "node:assert/strict";
import { ROOT } from "../_util/cli.ts";

async function init(
  backend: string,
  read: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--allow-read=${read}`,
      "tests/nn/_init_backend.ts",
      backend,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

Deno.test("initBackend('wasm') activates wasm with SIMD and the repaired kernels", async () => {
  const r = await init("wasm", ".");
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.backend, "wasm");
  assert.equal(info.simd, true);
  assert.ok(info.kernels.includes("wasm:Conv2DBackpropFilter"));
});

Deno.test("initBackend('wasm-nosimd') loads the plain wasm build", async () => {
  const r = await init("wasm-nosimd", ".");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).simd, false);
});

Deno.test("initBackend() fails loudly when tfjs falls back to cpu", async () => {
  // Without read access to node_modules the wasm binary cannot load; stock tfjs then silently runs on cpu.
  const r = await init("wasm", "./src,./tests,./deno.json");
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /Cannot initialise tfjs backend "wasm" as tfjs is running on "cpu" instead/,
  );
});
