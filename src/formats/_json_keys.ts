/**
 * Private: finds a duplicate key in JSON text. `JSON.parse` silently keeps the last of two equal keys, which
 * would let a crafted header show different tensors to different readers.
 *
 * @module
 */

/**
 * Returns the first key that occurs twice in the same object of `text`, or `null`. `text` must already be
 * valid JSON (checked by `JSON.parse`), so a light scan that tracks strings and nesting is exact.
 */
export function findDuplicateKey(text: string): string | null {
  const stack: (Set<string> | null)[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) {
      stack.push(new Set());
      i++;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      i++;
    } else if (c === 0x22 /* " */) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \ */) j += 2;
        else if (d === 0x22) break;
        else j++;
      }
      const literal = text.slice(i, j + 1);
      i = j + 1;
      let k = i;
      while (k < n && /\s/.test(text[k]!)) k++;
      const top = stack[stack.length - 1];
      if (text[k] === ":" && top) {
        const key = JSON.parse(literal) as string;
        if (top.has(key)) return key;
        top.add(key);
      }
    } else {
      i++;
    }
  }
  return null;
}
