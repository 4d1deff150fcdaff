// --json: one JSON object a line on stdout, for scripts. Every line, of every command, is the same envelope:
// {"type": …, "command": "<the command>", …the line's own fields}. A command streams its events (status, progress,
// log, diagnostic; the doctor one "check" per check) and ends with one "result" (render/result.ts).

export type JsonEvent = { type: string } & Record<string, unknown>;

export function jsonRenderer(out: NodeJS.WritableStream, command: string): (event: JsonEvent) => void {
  return ({ type, ...fields }) => {
    out.write(JSON.stringify({ type, command, ...fields }) + '\n');
  };
}
