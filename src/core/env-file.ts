// Upsert into a dotenv file as Pattern reads it (dotenvy 0.15.7): replace in place, append the rest.
import { PatternDbError } from './errors.js';

const KEY = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const SAFE = /^[A-Za-z0-9_.\/:@%+,=-]+$/;

/** dotenvy value syntax: plain when safe, else double quotes with `\\ \" \$ \n` escapes. */
export function dotenvValue(value: string): string {
  if (SAFE.test(value)) return value;
  // `$` must be escaped even inside double quotes: dotenvy substitutes variables there.
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}

export function upsertEnvVars(text: string, vars: Record<string, string>): string {
  for (const key of Object.keys(vars)) {
    if (!KEY.test(key)) {
      throw new PatternDbError('E_INTERNAL', `${JSON.stringify(key)} is not a valid .env variable name.`, {
        fix: 'This is a bug in pattern-db. Run again with --json and report the output.',
      });
    }
  }
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const seen = new Set<string>();
  const out = logicalLines(text.slice(bom.length)).map((line) => {
    const match = /^([ \t]*(?:export[ \t]+)?)([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*/.exec(line.body);
    const key = match?.[2];
    if (!match || key === undefined || !Object.hasOwn(vars, key)) return line.body + line.eol;
    seen.add(key);
    const rest = line.body.slice(match[0].length);
    const comment = /^[ \t]+#.*$/s.exec(rest.slice(valueLength(rest)))?.[0] ?? '';
    return `${match[1]}${key}=${dotenvValue(vars[key]!)}${comment}${line.eol}`;
  });
  let result = bom + out.join('');
  const missing = Object.keys(vars).filter((key) => !seen.has(key));
  if (missing.length === 0) return result;
  if (result.length > bom.length && !result.endsWith('\n')) result += eol;
  return result + missing.map((key) => `${key}=${dotenvValue(vars[key]!)}${eol}`).join('');
}

/** Physical lines joined while a quote is open, like dotenvy's QuotedLines. */
function logicalLines(text: string): { body: string; eol: string }[] {
  const lines: { body: string; eol: string }[] = [];
  let start = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      // dotenvy lets a backslash escape the next character inside either quote when it joins lines.
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === start || /[ \t]/.test(text[i - 1]!))) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '\\') {
      i++;
    }
    if (text[i] === '\n' && !quote) {
      const cr = text[i - 1] === '\r' && i - 1 >= start ? 1 : 0;
      lines.push({ body: text.slice(start, i - cr), eol: cr ? '\r\n' : '\n' });
      start = i + 1;
    }
  }
  if (start < text.length) lines.push({ body: text.slice(start), eol: '' });
  return lines;
}

/** Length of a dotenv value at the start of `rest`: quoted spans, escapes, up to unquoted whitespace. */
function valueLength(rest: string): number {
  let i = 0;
  let quote: string | null = null;
  for (; i < rest.length; i++) {
    const c = rest[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '\\') i++;
    else if (c === ' ' || c === '\t') break;
  }
  return i;
}

/** The variables a dotenv file sets, as dotenvy reads them (quotes removed, `\n` and `\"` escapes in double quotes). */
export function readEnvVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of logicalLines(text.replace(/^\uFEFF/, ''))) {
    const match = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*/.exec(line.body);
    if (!match) continue;
    const rest = line.body.slice(match[0].length);
    const raw = rest.slice(0, valueLength(rest));
    vars[match[1]!] = unquote(raw);
  }
  return vars;
}

function unquote(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      out += raw.slice(i + 1, end < 0 ? raw.length : end);
      i = end < 0 ? raw.length : end;
    } else if (c === '"') {
      for (i += 1; i < raw.length && raw[i] !== '"'; i++) {
        if (raw[i] === '\\' && i + 1 < raw.length) {
          i += 1;
          out += raw[i] === 'n' ? '\n' : raw[i];
        } else out += raw[i];
      }
    } else if (c === '\\' && i + 1 < raw.length) {
      i += 1;
      out += raw[i];
    } else out += c;
  }
  return out;
}
