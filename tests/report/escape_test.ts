import assert from "node:assert/strict";
import {
  escapeHtml,
  inlineScript,
  jsonForScript,
} from "../../src/report/escape.ts";
import { EVIL_IMG, EVIL_MIXED, EVIL_SCRIPT } from "./_fixtures.ts";

Deno.test("escapeHtml() replaces the five HTML special characters and nothing else", () => {
  assert.equal(escapeHtml(`a&b<c>d"e'f`), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
  assert.equal(escapeHtml("η² ≪ 1 — plain"), "η² ≪ 1 — plain");
  for (const evil of [EVIL_SCRIPT, EVIL_IMG, EVIL_MIXED]) {
    assert.doesNotMatch(escapeHtml(evil), /[<>"']/);
  }
});

Deno.test("jsonForScript() leaves no raw <, >, &, U+2028 or U+2029 and parses back to the same value", () => {
  const value = {
    a: EVIL_SCRIPT,
    b: [EVIL_IMG, EVIL_MIXED],
    c: 1.5,
    "key<&>": null,
  };
  const text = jsonForScript(value);
  assert.doesNotMatch(text, /[<>&\u2028\u2029]/);
  assert.deepEqual(JSON.parse(text), value);
  // The escapes are the JSON \uXXXX forms of the characters.
  assert.equal(
    jsonForScript("<>&\u2028\u2029"),
    '"\\u003c\\u003e\\u0026\\u2028\\u2029"',
  );
});

Deno.test("jsonForScript() throws TypeError for values without a JSON form", () => {
  assert.throws(() => jsonForScript(undefined), TypeError);
  assert.throws(() => jsonForScript(1n), TypeError);
});

Deno.test("inlineScript() breaks every </script in any case and rejects <!--", () => {
  const src = 'a("</script>"); b("</SCRIPT"); c(/<\\/sCrIpT/);';
  const out = inlineScript(src);
  assert.doesNotMatch(out, /<\/script/i);
  // Inside a string literal "<\/script>" is the same string as "</script>".
  assert.equal(
    new Function(`return ${inlineScript('"</script>"')}`)(),
    "</script>",
  );
  assert.throws(() => inlineScript("x = '<!--'"), SyntaxError);
});
