import type { BenchmarkDefinition } from "../bench/types.ts";
import { runSuite } from "../bench/run_suite.ts";
import { hostInfo, type SourceInfo } from "../io/environment.ts";
import { type BackendName, initBackend } from "../nn/backend.ts";
import { type ResultsDocument, SCHEMA_VERSION } from "../results/types.ts";
import { log } from "./error.ts";
import denoJson from "../../deno.json" with { type: "json" };

/** What {@linkcode runDocument} needs. */
export interface RunDocumentOptions {
  readonly benchmarks: readonly BenchmarkDefinition[];
  readonly id: string;
  readonly startedAt: Date;
  readonly argv: readonly string[];
  readonly source: SourceInfo;
  readonly backend: BackendName;
  readonly seed: bigint;
  readonly quick: boolean;
  readonly filter: string | null;
  readonly repeats?: number;
  readonly shard?: { readonly index: number; readonly count: number };
  readonly select?: (benchmarkId: string, key: string) => boolean;
}

function fmtDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60
    ? `${s}s`
    : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/**
 * Initialises the backend, runs the cells with progress on stderr and assembles the results document
 * (provenance, environment, benchmarks, summary). Shared by `bench` and `verify`.
 *
 * @param o What to run and the provenance to record.
 * @returns The document (not yet written).
 */
export async function runDocument(
  o: RunDocumentOptions,
): Promise<ResultsDocument> {
  const backend = await initBackend(o.backend);
  const host = await hostInfo();
  const shardText = o.shard ? `, shard ${o.shard.index}/${o.shard.count}` : "";
  log(
    `sgd-limits: ${o.benchmarks.length} benchmark(s), seed ${o.seed}${
      o.quick ? ", quick" : ""
    }, ` +
      `backend ${backend.backend}${backend.simd ? " (SIMD)" : ""}${shardText}`,
  );
  const suite = await runSuite(o.benchmarks, {
    seed: o.seed,
    quick: o.quick,
    ...(o.repeats !== undefined ? { repeats: o.repeats } : {}),
    ...(o.shard !== undefined ? { shard: o.shard } : {}),
    ...(o.select !== undefined ? { select: o.select } : {}),
    now: () => performance.now(),
    onProgress: (p) => {
      if (p.phase === "start") {
        const eta = p.etaMs === null ? "" : `, ETA ${fmtDuration(p.etaMs)}`;
        log(
          `[${p.done + 1}/${p.total}] ${p.benchmarkId} (${p.key}) elapsed ${
            fmtDuration(p.elapsedMs)
          }${eta}`,
        );
      } else if (p.status !== "ok") {
        log(`  -> ${p.status}`);
      }
    },
  });
  return {
    schemaVersion: SCHEMA_VERSION,
    suite: { name: "sgd-limits", version: denoJson.version },
    run: {
      id: o.id,
      startedAt: o.startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      argv: [...o.argv],
      quick: o.quick,
      seed: o.seed.toString(),
      filter: o.filter,
      repeats: o.repeats ?? null,
      shard: o.shard ?? null,
    },
    source: o.source,
    environment: {
      deno: host.deno,
      v8: host.v8,
      typescript: host.typescript,
      tfjs: backend.tfjs,
      backend: backend.backend,
      simd: backend.simd,
      kernels: backend.kernels,
      cpuModel: host.cpuModel,
      logicalCores: host.logicalCores,
      totalMemoryBytes: host.totalMemoryBytes,
      os: host.os,
      arch: host.arch,
    },
    benchmarks: suite.benchmarks,
    summary: suite.summary,
  };
}
