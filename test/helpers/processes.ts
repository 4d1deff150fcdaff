// Which processes are still running with a path in their command line: proof that a private server is gone.
import { promises as fs } from 'node:fs';

/** Pids (other than this process) whose command line mentions `text`, e.g. a snapshot folder a server was started on. */
export async function processesMentioning(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await fs.readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').some((arg) => arg.includes(text))) pids.push(Number(entry));
  }
  return pids;
}

/** The processes still mentioning `text` once none is left or `withinMs` has passed. */
export async function processesLeftMentioning(text: string, withinMs: number): Promise<number[]> {
  let left = await processesMentioning(text);
  for (const deadline = Date.now() + withinMs; left.length && Date.now() < deadline; left = await processesMentioning(text)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return left;
}
