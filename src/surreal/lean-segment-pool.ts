// Copies a SurrealDB 2 store's log segments without their derived records, a thread per core: the copy is CPU-bound
// (each record's checksum, then its key), and segments are independent of each other; a log of one segment is cut in
// two. At 20,000 messages (four segments, 1.7 GB) one thread took 3.7-4.0 s, two 2.3 s; a whole 2→3 run peaked at
// 223-229 MB instead of 195 MB.
import { promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compiledPath } from '../files/compiled-path.js';
import { copySegmentLean, type LeftOut } from './lean-segment-copy.js';
import { copySegmentLeanInHalves, type HalfCopied } from './lean-segment-halves.js';

/** Threads at most: each holds about 15 MB (its buffers and its own heap), and the disk is read at its own pace. */
const MAX_THREADS = 4;

export interface SegmentJob {
  from: string;
  to: string;
  /** Only the records from the first one found at or past this byte (copySecondHalf). */
  after?: number;
}

export type SegmentOutcome = ({ readable: boolean; leftOut: LeftOut } & Partial<HalfCopied>) | { error: { message: string; code?: string } };

/**
 * A log of one segment at least this large is copied in two halves, on two threads (copySegmentLeanInHalves): at 5,000
 * messages (one segment, 280 MB) the copy took 0.79-0.91 s against 1.14-1.25 s on one thread (4 alternating pairs of
 * whole runs), the same bytes.
 */
const HALVES_FROM_BYTES = 32 << 20;

/** What the error a worker reported would have been in this thread: its code is what a full disk is known by. */
function rethrown({ message, code }: { message: string; code?: string }): Error {
  return Object.assign(new Error(message), code !== undefined ? { code } : {});
}

/** One worker, given segments one at a time. */
class SegmentWorker {
  private readonly worker = new Worker(compiledPath(import.meta.url, './lean-segment-worker.js'));
  private failed: Error | undefined;

  constructor() {
    this.worker.on('error', (error) => (this.failed = error));
  }

  copy(job: SegmentJob): Promise<SegmentOutcome> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      const onExit = () => reject(this.failed ?? new Error('The thread copying the store log stopped.'));
      this.worker.once('exit', onExit);
      this.worker.once('message', (outcome: SegmentOutcome) => {
        this.worker.off('exit', onExit);
        resolve(outcome);
      });
      this.worker.postMessage(job);
    });
  }

  end(): Promise<number> {
    return this.worker.terminate();
  }
}

/** One segment, its first half copied by this thread and its second by a worker. */
export async function copyInHalves(job: SegmentJob, leftOut: LeftOut): Promise<boolean> {
  const worker = new SegmentWorker();
  try {
    return await copySegmentLeanInHalves(job.from, job.to, leftOut, async (half) => {
      const outcome = await worker.copy(half);
      if ('error' in outcome) throw rethrown(outcome.error);
      return { startedAt: outcome.startedAt ?? null, readable: outcome.readable, leftOut: outcome.leftOut };
    });
  } finally {
    await worker.end();
  }
}

/**
 * Copies every segment of `jobs`; false as soon as one would not be read to its end (the caller then copies the store
 * whole). Every copy started is waited for, so that no thread still writes once this returns or throws.
 */
export async function copySegmentsLean(jobs: SegmentJob[], leftOut: LeftOut): Promise<boolean> {
  if (jobs.length === 1 && availableParallelism() > 1 && (await fs.stat(jobs[0]!.from)).size >= HALVES_FROM_BYTES) return copyInHalves(jobs[0]!, leftOut);
  if (jobs.length < 2) {
    for (const job of jobs) if (!(await copySegmentLean(job.from, job.to, leftOut))) return false;
    return true;
  }
  const workers = Array.from({ length: Math.min(availableParallelism(), MAX_THREADS, jobs.length) }, () => new SegmentWorker());
  const queue = [...jobs];
  let readable = true;
  const drain = async (worker: SegmentWorker) => {
    for (let job = queue.shift(); job && readable; job = queue.shift()) {
      const outcome = await worker.copy(job);
      if ('error' in outcome) {
        readable = false;
        throw rethrown(outcome.error);
      }
      leftOut.records += outcome.leftOut.records;
      leftOut.bytes += outcome.leftOut.bytes;
      if (!outcome.readable) readable = false;
    }
  };
  try {
    const settled = await Promise.allSettled(workers.map(drain));
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    return readable;
  } finally {
    await Promise.all(workers.map((worker) => worker.end()));
  }
}
