// Which processes run: proof that a private server is gone, or which embedded-engine children this process has.
import { promises as fs } from 'node:fs';

/** The arguments of every process but this one, read from /proc. */
async function commandLines(): Promise<Array<{ pid: number; args: string[] }>> {
  const found: Array<{ pid: number; args: string[] }> = [];
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await fs.readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    found.push({ pid: Number(entry), args: cmdline.split('\0') });
  }
  return found;
}

const mentions = (args: string[], text: string) => args.some((arg) => arg.includes(text));

/** Pids (other than this process) whose command line mentions `text`, e.g. a snapshot folder a server was started on. */
export async function processesMentioning(text: string): Promise<number[]> {
  return (await commandLines()).filter(({ args }) => mentions(args, text)).map(({ pid }) => pid);
}

/**
 * Of those, the ones running `program` itself (`program …`, or `/bin/sh program …` for a script), not a shell that
 * runs it (`/bin/sh -c SCRIPT program …`: surreal/parent-watchdog.ts).
 */
export async function programsMentioning(program: string, text: string): Promise<number[]> {
  const running = ({ args: [first, second] }: { args: string[] }) => first === program || second === program;
  return (await commandLines()).filter((line) => mentions(line.args, text) && running(line)).map(({ pid }) => pid);
}

/** The processes still mentioning `text` once none is left or `withinMs` has passed. */
export async function processesLeftMentioning(text: string, withinMs: number): Promise<number[]> {
  let left = await processesMentioning(text);
  for (const deadline = Date.now() + withinMs; left.length && Date.now() < deadline; left = await processesMentioning(text)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return left;
}

/** The embedded-engine children (surreal/embedded.ts) of `parent`: by default this process's own. */
export async function engineWorkersOf(parent = process.pid): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const [cmdline, stat] = await Promise.all([
      fs.readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => ''),
      fs.readFile(`/proc/${entry}/stat`, 'utf8').catch(() => ''),
    ]);
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === parent && cmdline.includes('embedded-worker.js')) pids.push(Number(entry));
  }
  return pids;
}
