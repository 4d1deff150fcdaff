import { describe, expect, it } from 'vitest';
import { sendThroughWindow, type WindowChunk } from '../../src/steps/chunks-in-flight.js';

interface Chunk extends WindowChunk {
  ms: number;
  fails?: boolean;
}

const chunk = (index: number, ms: number, more: Partial<Chunk> = {}): Chunk => ({ index, ms, recordsOnly: true, ...more });

/** Runs the window over `chunks` and records what happened, in order: "start N", "end N", "done N" (the checkpoint). */
async function trace(chunks: Chunk[], width: number): Promise<{ events: string[]; peak: number; error?: unknown }> {
  const events: string[] = [];
  let inFlight = 0;
  let peak = 0;
  try {
    await sendThroughWindow(chunks, {
      width,
      send: async (c) => {
        events.push(`start ${c.index}`);
        peak = Math.max(peak, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, c.ms));
        inFlight -= 1;
        events.push(`end ${c.index}`);
        if (c.fails) throw new Error(`chunk ${c.index} refused`);
      },
      prefixDone: async (c) => void events.push(`done ${c.index}`),
    });
    return { events, peak };
  } catch (error) {
    return { events, peak, error };
  }
}

describe('sendThroughWindow', () => {
  it('keeps at most `width` chunks in flight and checkpoints only the done prefix, in order', async () => {
    const { events, peak } = await trace([chunk(0, 60), chunk(1, 5), chunk(2, 5), chunk(3, 5)], 2);
    expect(peak).toBe(2);
    // Chunk 1 ends first, but is checkpointed only after chunk 0; chunk 2 waits for chunk 0 (the window's start).
    expect(events.slice(0, 3)).toEqual(['start 0', 'start 1', 'end 1']);
    expect(events.indexOf('start 2')).toBeGreaterThan(events.indexOf('end 0'));
    expect(events.filter((e) => e.startsWith('done'))).toEqual(['done 0', 'done 1', 'done 2', 'done 3']);
    expect(events.indexOf('done 1')).toBeGreaterThan(events.indexOf('done 0'));
  });

  it('sends a chunk that is not records-only alone, after everything before it', async () => {
    const { events } = await trace([chunk(0, 20), chunk(1, 20), chunk(2, 5, { recordsOnly: false }), chunk(3, 5), chunk(4, 5)], 3);
    const at = (e: string) => events.indexOf(e);
    expect(at('start 2')).toBeGreaterThan(Math.max(at('end 0'), at('end 1')));
    expect(at('start 3')).toBeGreaterThan(at('end 2'));
    expect(at('start 4')).toBeLessThan(at('end 3'));
  });

  it('sends held-back records one at a time, though each holds only records', async () => {
    const { events, peak } = await trace([chunk(0, 20), chunk(1, 20), chunk(2, 10, { heldBack: true }), chunk(3, 10, { heldBack: true }), chunk(4, 5)], 3);
    const at = (e: string) => events.indexOf(e);
    expect(at('start 1')).toBeLessThan(at('end 0'));
    expect(at('start 2')).toBeGreaterThan(Math.max(at('end 0'), at('end 1')));
    expect(at('start 3')).toBeGreaterThan(at('end 2'));
    expect(at('start 4')).toBeGreaterThan(at('end 3'));
    expect(peak).toBe(2);
  });

  it('goes on when every chunk in flight ended before the next one was cut (a reader slower than the server)', async () => {
    async function* slowlyCut(): AsyncGenerator<Chunk> {
      for (let index = 0; index < 5; index += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        yield chunk(index, 1);
      }
    }
    const events: string[] = [];
    await sendThroughWindow(slowlyCut(), {
      width: 2,
      send: async (c) => void (await new Promise((resolve) => setTimeout(resolve, c.ms))),
      prefixDone: async (c) => void events.push(`done ${c.index}`),
    });
    expect(events).toEqual(['done 0', 'done 1', 'done 2', 'done 3', 'done 4']);
  });

  it('is one after the other with a width of 1', async () => {
    const { events, peak } = await trace([chunk(0, 5), chunk(1, 1), chunk(2, 1)], 1);
    expect(peak).toBe(1);
    expect(events).toEqual(['start 0', 'end 0', 'done 0', 'start 1', 'end 1', 'done 1', 'start 2', 'end 2', 'done 2']);
  });

  it('starts nothing after a failure, lets what is in flight finish, and throws the lowest failed chunk', async () => {
    const { events, error } = await trace([chunk(5, 15), chunk(6, 30, { fails: true }), chunk(7, 1, { fails: true }), chunk(8, 1)], 3);
    expect((error as Error).message).toBe('chunk 6 refused');
    expect(events).not.toContain('start 8');
    expect(events).toContain('end 7');
    // Only the chunks before the failed one are checkpointed.
    expect(events.filter((e) => e.startsWith('done'))).toEqual(['done 5']);
  });
});
