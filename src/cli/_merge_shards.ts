import { createHash } from "node:crypto";
import { benchmarkCells } from "../bench/cells.ts";
import { selectBenchmarks } from "../bench/select.ts";
import type { BenchmarkDefinition } from "../bench/types.ts";
import type {
  ResultsDocument,
  StoredBenchmark,
  StoredCell,
} from "../results/types.ts";

/** A shard document and where it came from. */
export interface ShardInput {
  readonly path: string;
  readonly doc: ResultsDocument;
}

/** What {@linkcode mergeShards} returns. */
export interface MergeOutput {
  readonly doc: ResultsDocument;
  /** Things the caller should tell the user (e.g. shards ran on different machines). */
  readonly warnings: readonly string[];
}

/** A shard set that cannot be merged; the message names the offending file. */
export class MergeError extends RangeError {
  /** The offending file, when there is one. */
  readonly path: string | null;
  /**
   * @param path The offending file (or null).
   * @param message What is wrong.
   */
  constructor(path: string | null, message: string) {
    super(
      path === null
        ? `Cannot merge shards as ${message}`
        : `Cannot merge shard "${path}" as ${message}`,
    );
    this.name = "MergeError";
    this.path = path;
  }
}

function stripFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--shard" || a === "--out") {
      i++;
      continue;
    }
    if (a.startsWith("--shard=") || a.startsWith("--out=")) continue;
    out.push(a);
  }
  return out;
}

function compactTime(iso: string): string {
  return iso.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

/**
 * Joins the shard documents of one sharded run (`bench --shard i/n` for i = 1..n) into the document a single
 * run would have written: the cells are copied unchanged (digests included), benchmarks come in registry order
 * and cells in grid order, and the summary is recomputed. The merged `run` has `shard: null`, `startedAt` of
 * the earliest shard, `endedAt` of the latest, `argv` of shard 1 without `--shard`/`--out` (the equivalent
 * single-machine command) and a deterministic id `<start>-<commit8>-merged<n>-<hash6>`; `source.dirty` is true
 * if any shard was dirty; `environment` is shard 1's (a warning lists fields in which other shards differ).
 *
 * Refused, naming the file: a document that is not a shard; a different suite version, commit, lockfile,
 * seed, quick flag, filter, repeats or shard count than the first file; a repeated shard index; a missing
 * shard; a benchmark unknown to the registry or of another version; a cell not in the grid, with another
 * derived seed, belonging to another shard, or present in two files; a cell of the run missing from all.
 *
 * @param shards The shard documents (any order), at least one.
 * @param registry The benchmark registry (order and grids; the CLI passes BENCHMARKS).
 * @returns The merged document and warnings.
 * @throws {MergeError} If the shards do not form one complete run.
 *
 * @example Usage
 * ```ts
 * import { MergeError, mergeShards } from "./_merge_shards.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => mergeShards([], []), MergeError);
 * ```
 */
export function mergeShards(
  shards: readonly ShardInput[],
  registry: readonly BenchmarkDefinition[],
): MergeOutput {
  if (shards.length === 0) throw new MergeError(null, "no shard was given");
  for (const s of shards) {
    if (s.doc.run.shard === null) {
      throw new MergeError(
        s.path,
        "it is not a shard (run.shard is null: it was not written by bench --shard)",
      );
    }
  }
  const sorted = [...shards].sort((a, b) =>
    a.doc.run.shard!.index - b.doc.run.shard!.index
  );
  const first = shards[0]!;
  const f = first.doc;
  const count = f.run.shard!.count;
  const same: [string, (d: ResultsDocument) => unknown][] = [
    ["suite version", (d) => d.suite.version],
    ["source commit", (d) => d.source.commit],
    ["lockfile sha256", (d) => d.source.lockSha256],
    ["seed", (d) => d.run.seed],
    ["quick flag", (d) => d.run.quick],
    ["filter", (d) => d.run.filter],
    ["repeats", (d) => d.run.repeats],
    ["shard count", (d) => d.run.shard!.count],
  ];
  for (const s of shards.slice(1)) {
    for (const [what, get] of same) {
      if (get(s.doc) !== get(f)) {
        throw new MergeError(
          s.path,
          `its ${what} (${
            JSON.stringify(get(s.doc))
          }) differs from "${first.path}" (${JSON.stringify(get(f))})`,
        );
      }
    }
  }
  const byIndex = new Map<number, ShardInput>();
  for (const s of shards) {
    const i = s.doc.run.shard!.index;
    const other = byIndex.get(i);
    if (other !== undefined) {
      throw new MergeError(
        s.path,
        `it is shard ${i}/${count} like "${other.path}"`,
      );
    }
    byIndex.set(i, s);
  }
  for (let i = 1; i <= count; i++) {
    if (!byIndex.has(i)) {
      throw new MergeError(
        null,
        `shard ${i}/${count} is missing (got ${
          [...byIndex.keys()].sort((a, b) => a - b).join(", ")
        } of ${count})`,
      );
    }
  }

  let selected: BenchmarkDefinition[];
  try {
    selected = selectBenchmarks(registry, f.run.filter ?? undefined);
  } catch (e) {
    throw new MergeError(
      first.path,
      `its filter does not select from this registry: ${(e as Error).message}`,
    );
  }
  const seed = BigInt(f.run.seed);
  const known = new Map(registry.map((d) => [d.id, d]));
  const chosen = new Set(selected.map((d) => d.id));
  // Expected cells in run order, with the shard each belongs to (round-robin over all selected cells).
  const expected = new Map<
    string,
    Map<string, { seed: bigint; shard: number }>
  >();
  let j = 0;
  for (const def of selected) {
    const m = new Map<string, { seed: bigint; shard: number }>();
    for (const c of benchmarkCells(def, { seed, quick: f.run.quick })) {
      m.set(c.key, { seed: c.seed, shard: (j++ % count) + 1 });
    }
    expected.set(def.id, m);
  }
  const found = new Map<
    string,
    Map<string, { cell: StoredCell; path: string }>
  >();
  const meta = new Map<string, StoredBenchmark>();
  const placed: {
    path: string;
    where: string;
    index: number;
    shard: number;
  }[] = [];
  for (const s of sorted) {
    const index = s.doc.run.shard!.index;
    for (const b of s.doc.benchmarks) {
      const def = known.get(b.id);
      if (def === undefined) {
        throw new MergeError(
          s.path,
          `benchmark "${b.id}" is not in this checkout's registry`,
        );
      }
      if (def.version !== b.version) {
        throw new MergeError(
          s.path,
          `benchmark "${b.id}" is version ${b.version} but the registry has ${def.version} (merge with the checkout the shards ran on)`,
        );
      }
      if (!chosen.has(b.id)) {
        throw new MergeError(
          s.path,
          `benchmark "${b.id}" is not selected by the run's filter ${
            JSON.stringify(f.run.filter)
          }`,
        );
      }
      if (!meta.has(b.id)) meta.set(b.id, b);
      const exp = expected.get(b.id)!;
      const got = found.get(b.id) ?? new Map();
      found.set(b.id, got);
      for (const c of b.cells) {
        const e = exp.get(c.key);
        if (e === undefined) {
          throw new MergeError(
            s.path,
            `cell "${b.id}/${c.key}" is not in the benchmark's ${
              f.run.quick ? "quick " : ""
            }grid`,
          );
        }
        if (e.seed.toString() !== c.seed) {
          throw new MergeError(
            s.path,
            `cell "${b.id}/${c.key}" has seed ${c.seed} but the run's seed derives ${e.seed}`,
          );
        }
        const dup = got.get(c.key);
        if (dup !== undefined) {
          throw new MergeError(
            s.path,
            `cell "${b.id}/${c.key}" is also in "${dup.path}"`,
          );
        }
        got.set(c.key, { cell: c, path: s.path });
        placed.push({
          path: s.path,
          where: `${b.id}/${c.key}`,
          index,
          shard: e.shard,
        });
      }
    }
  }
  // Only once every cell is known to belong to the grid: each must sit in the shard the round-robin gives it.
  for (const p of placed) {
    if (p.shard !== p.index) {
      throw new MergeError(
        p.path,
        `cell "${p.where}" belongs to shard ${p.shard}/${count}, not ${p.index}/${count}`,
      );
    }
  }
  const benchmarks: StoredBenchmark[] = [];
  const summary = {
    cells: 0,
    ok: 0,
    diverged: 0,
    error: 0,
    pass: 0,
    fail: 0,
    expectedBreak: 0,
  };
  for (const def of selected) {
    const got = found.get(def.id);
    const cells: StoredCell[] = [];
    for (const [key, e] of expected.get(def.id)!) {
      const c = got?.get(key);
      if (c === undefined) {
        throw new MergeError(
          byIndex.get(e.shard)!.path,
          `cell "${def.id}/${key}" of shard ${e.shard}/${count} is missing`,
        );
      }
      cells.push(c.cell);
      summary.cells++;
      summary[c.cell.status]++;
      for (const m of Object.values(c.cell.metrics)) {
        for (const r of Object.values(m.references)) {
          if (r.verdict === "pass") summary.pass++;
          else if (r.verdict === "fail") summary.fail++;
          else summary.expectedBreak++;
        }
      }
    }
    const b = meta.get(def.id)!;
    benchmarks.push({
      id: def.id,
      version: b.version,
      title: b.title,
      paperRef: b.paperRef,
      cells,
    });
  }

  const s1 = byIndex.get(1)!;
  const warnings: string[] = [];
  for (const s of sorted.slice(1)) {
    const fields =
      (Object.keys(s1.doc.environment) as (keyof typeof s1.doc.environment)[])
        .filter((k) =>
          JSON.stringify(s.doc.environment[k]) !==
            JSON.stringify(s1.doc.environment[k])
        );
    if (fields.length > 0) {
      warnings.push(
        `shard ${
          s.doc.run.shard!.index
        } ("${s.path}") ran on a different environment (${
          fields.join(", ")
        }); the merged file records shard 1's`,
      );
    }
  }
  const startedAt = sorted.map((s) => s.doc.run.startedAt).sort()[0]!;
  const endedAt = sorted.map((s) => s.doc.run.endedAt).sort().at(-1)!;
  const hash = createHash("sha256").update(
    sorted.map((s) => s.doc.run.id).join("\n"),
  ).digest("hex").slice(0, 6);
  const dirty = sorted.some((s) => s.doc.source.dirty === true)
    ? true
    : sorted.every((s) => s.doc.source.dirty === null)
    ? null
    : false;
  const doc: ResultsDocument = {
    schemaVersion: f.schemaVersion,
    suite: f.suite,
    run: {
      id: `${compactTime(startedAt)}-${
        f.source.commit?.slice(0, 8) ?? "nogit"
      }-merged${count}-${hash}`,
      startedAt,
      endedAt,
      argv: stripFlags(s1.doc.run.argv),
      quick: f.run.quick,
      seed: f.run.seed,
      filter: f.run.filter,
      repeats: f.run.repeats,
      shard: null,
    },
    source: { ...f.source, dirty },
    environment: s1.doc.environment,
    benchmarks,
    summary,
  };
  return { doc, warnings };
}
