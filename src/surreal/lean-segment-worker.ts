// Worker thread: copies the log segments it is sent without their derived records (lean-segment-copy.ts), one at a
// time, or the second half of one (`after`), answering each with what it left out, or with the error that stopped it
// (its code kept: a full disk is told apart across the thread).
import { parentPort } from 'node:worker_threads';
import { copySegmentLean, type LeftOut } from './lean-segment-copy.js';
import { copySecondHalf } from './lean-segment-halves.js';
import type { SegmentJob, SegmentOutcome } from './lean-segment-pool.js';

parentPort!.on('message', async ({ from, to, after }: SegmentJob) => {
  const leftOut: LeftOut = { records: 0, bytes: 0 };
  let outcome: SegmentOutcome;
  try {
    outcome = after === undefined ? { readable: await copySegmentLean(from, to, leftOut), leftOut } : { ...(await copySecondHalf(from, to, after, leftOut)), leftOut };
  } catch (error) {
    const { message, code } = error as NodeJS.ErrnoException;
    outcome = { error: { message: String(message ?? error), ...(code !== undefined ? { code } : {}) } };
  }
  parentPort!.postMessage(outcome);
});
