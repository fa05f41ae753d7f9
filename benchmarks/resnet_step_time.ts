import { defineBenchmark } from "../src/bench/types.ts";
import { flattenParams } from "../src/nn/flatten_params.ts";
import { DataParallelSgd } from "../src/nn/parallel/data_parallel_sgd.ts";
import {
  createModel,
  type ResNet18Spec,
} from "../src/nn/parallel/model_spec.ts";
import { resnet18TrainingFlops } from "../src/nn/parallel/training_flops.ts";
import {
  cpuTrainingStepMs,
  randomBatch,
  wasmMatmulGflops,
  withBackend,
} from "../src/nn/training_cost.ts";
import { median } from "../src/stats/quantile.ts";

const HYPER = { eta: 0.01, beta: 0.9, weightDecay: 1e-4 };
/** Timing of the definition: the runner calls a cell warmup + repeats times. */
const TIMING = { warmup: 1, repeats: 5 } as const;

function spec(width: number): ResNet18Spec {
  return {
    kind: "resnet18",
    width,
    stem: "small",
    inChannels: 3,
    numClasses: 10,
    imageSize: 32,
  };
}

/**
 * Data-parallel trainers are expensive to start (a Worker loads tfjs and wasm in ~1–3 s), so one trainer per cell
 * is kept across the runner's warm-up and repeat calls of that cell and terminated when another cell starts or
 * after the default number of calls.
 */
let cached: { key: string; trainer: DataParallelSgd; calls: number } | null =
  null;

const cpuPeerMs = new Map<string, number>();

function dropCached(): void {
  cached?.trainer.terminate();
  cached = null;
}

/**
 * Wall time of one momentum-SGD training step of ResNet-18 (width 16, small stem, 32×32×3, batch 64) with tfjs
 * wasm SIMD, data-parallel over 2 Workers vs one Worker, with the effective GFLOP/s, the wasm matMul peak of the
 * same process and the tfjs cpu backend as a peer. Issue 5's target: ≤ 0.55 s per step on 2 cores (PyTorch CPU
 * ≈ 0.21 s).
 */
export const resnetStepTime = defineBenchmark({
  id: "resnet_step_time",
  version: 1,
  title:
    "ResNet-18 (width 16) training step time: data-parallel wasm SIMD on 1 and 2 Workers",
  paperRef:
    "cost of the network experiments of Kunin et al. 2024 (theory.md §5.1 protocol)",
  grid: { workers: [1, 2], width: [16], batch: [64] },
  quickGrid: { workers: [1, 2], width: [8], batch: [16] },
  timing: TIMING,
  metrics: {
    stepMs: {
      unit: "ms",
      better: "lower",
      kind: "cost",
      description:
        "Median wall time of momentum-SGD steps (forward, backward, fixed-order gradient averaging, update) on the Workers, startup excluded",
    },
    gflops: {
      unit: "GFLOP/s",
      better: "higher",
      kind: "cost",
      description:
        "Effective throughput: 6·S·(conv + linear MACs per image) FLOP per step (3 passes × 2 FLOP/MAC; BN, ReLU and pooling not counted) divided by the step time",
    },
    matmulGflops: {
      unit: "GFLOP/s",
      better: "higher",
      kind: "cost",
      description:
        "wasm SIMD tf.matMul 1024×1024×1024 (2n³ FLOP) in the benchmark process, median of 3",
    },
    cpuPeerStepMs: {
      unit: "ms",
      better: "lower",
      kind: "cost",
      description:
        "One step of the same network and batch on tfjs's pure-JS cpu backend in the benchmark process (one step, measured once per process; batch 8 in the full grid, width 4 and batch 4 in the quick grid, to fit the time budget)",
    },
  },
  async run(params, ctx) {
    const workers = Number(params.workers);
    const width = Number(params.width);
    const batch = Number(params.batch);
    const key = `${workers}/${width}/${batch}`;
    const s = spec(width);
    if (cached?.key !== key) {
      dropCached();
      const net = await withBackend("wasm", () => createModel(s, ctx.rng));
      const state = {
        params: flattenParams(net.params),
        buffers: flattenParams(net.buffers),
      };
      net.dispose();
      cached = {
        key,
        trainer: await DataParallelSgd.create(s, state, { workers, ...HYPER }),
        calls: 0,
      };
    }
    const entry = cached;
    const { trainer } = entry;
    entry.calls++;
    try {
      const { x, y } = randomBatch(ctx.rng, batch);
      // The first step of a fresh trainer compiles and allocates: untimed.
      if (trainer.steps === 0) await trainer.step(x, y, batch);
      const timed = ctx.quick ? 1 : 2;
      const times: number[] = [];
      for (let i = 0; i < timed; i++) {
        const t0 = ctx.now();
        await trainer.step(x, y, batch);
        times.push(ctx.now() - t0);
      }
      const stepMs = median(times);
      const flops = resnet18TrainingFlops(s, batch);
      const matmulGflops = await wasmMatmulGflops(1024, ctx.rng, ctx.now);
      // The cpu backend is ~300× slower (one full-size step took 377 s here): its peer step uses a batch of 8
      // (full) or width 4, batch 4 (quick) to fit the budget; its cost grows about linearly with the batch.
      const peer = ctx.quick
        ? { width: 4, batch: 4 }
        : { width, batch: Math.min(batch, 8) };
      const peerKey = `${peer.width}/${peer.batch}`;
      let cpuMs = cpuPeerMs.get(peerKey);
      if (cpuMs === undefined) {
        // Measured once per process and size: the cpu step is slow (minutes at full size).
        cpuMs = await cpuTrainingStepMs(spec(peer.width), {
          hyper: HYPER,
          batch: peer.batch,
          rng: ctx.rng,
          now: ctx.now,
        });
        cpuPeerMs.set(peerKey, cpuMs);
      }
      return {
        metrics: {
          stepMs: { value: stepMs },
          gflops: { value: flops / (stepMs * 1e6) },
          matmulGflops: { value: matmulGflops },
          cpuPeerStepMs: { value: cpuMs },
        },
        notes: [
          `ResNet-18 width ${width}, small stem, 32×32×3 random inputs, batch ${batch} (${
            batch / workers
          } per Worker, BatchNorm statistics per Worker), η=${HYPER.eta}, β=${HYPER.beta}, λ=${HYPER.weightDecay}`,
          `${(flops / 1e9).toFixed(2)} GFLOP per step = 6·S·${
            (flops / 6 / batch / 1e6).toFixed(2)
          } M MACs per image (convs + linear; 3 passes × 2 FLOP/MAC)`,
          `${timed} timed step(s) per call after one untimed first step per trainer; the trainer is reused across this cell's calls`,
          `cpu peer: a single step on tfjs-backend-cpu at width ${peer.width}, batch ${peer.batch}${
            peer.batch !== batch || peer.width !== width
              ? " (smaller than the cell to fit the time budget)"
              : ""
          }, measured once per process and reused by later calls`,
        ],
      };
    } finally {
      if (entry.calls >= TIMING.warmup + TIMING.repeats) dropCached();
    }
  },
});
