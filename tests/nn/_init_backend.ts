// Spawned by backend_test.ts: initialises the backend named in argv and prints what is active as JSON.
import { type BackendName, initBackend } from "../../src/nn/backend.ts";

try {
  const info = await initBackend(Deno.args[0] as BackendName);
  // deno-lint-ignore no-console
  console.log(JSON.stringify(info));
} catch (e) {
  // deno-lint-ignore no-console
  console.error((e as Error).message);
  Deno.exit(1);
}
