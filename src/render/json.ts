// One JSON object per line on stdout, for scripts: every event, then a final {"type":"result",...}.
import type { PatternDbEvent } from '../core/events.js';

export type ResultEvent = { type: 'result' } & Record<string, unknown>;
/** One doctor check's result. */
export type CheckEvent = { type: 'check' } & Record<string, unknown>;

export function jsonRenderer(out: NodeJS.WritableStream): (event: PatternDbEvent | ResultEvent | CheckEvent) => void {
  return (event) => {
    out.write(JSON.stringify(event) + '\n');
  };
}
