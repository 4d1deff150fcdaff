// Whether a `pattern-db migrate --json` run counts: it exited 0 and its result says the verification passed.

interface ResultLine {
  ok?: boolean;
  verify?: { ok?: boolean };
  error?: { code: string; message: string; evidence?: string };
}

function resultLine(stdoutLines: string[]): ResultLine | undefined {
  const line = [...stdoutLines].reverse().find((l) => l.startsWith('{"type":"result"'));
  if (!line) return undefined;
  try {
    return JSON.parse(line) as ResultLine;
  } catch {
    return undefined;
  }
}

/** Why the run does not count, in pattern-db's own words where it gave them; undefined when it counts. */
export function migrateFailure(exitCode: number | null, stdoutLines: string[], stderrTail: string[]): string | undefined {
  const result = resultLine(stdoutLines);
  if (result?.error) {
    const said = result.error.evidence?.split('\n').filter((l) => l.trim()).at(-1);
    return `exit ${exitCode}: ${result.error.code}: ${result.error.message}${said ? ` (${said})` : ''}`;
  }
  if (exitCode !== 0) return `exit ${exitCode ?? 'by signal'}${stderrTail.length ? `: ${stderrTail.at(-1)}` : ''}`;
  if (!result) return 'exit 0 without a result line';
  if (result.verify?.ok !== true) return 'exit 0, but the result does not say the verification passed';
  return undefined;
}
