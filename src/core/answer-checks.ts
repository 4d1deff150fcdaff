// What is wrong with an address, a server URL or a user name, in the user's words; undefined when nothing is.
// The flags (--bind, --target, --username) and the wizard's questions both check through these, so both say the same.

export const BIND_HINT = 'Write HOST:PORT, e.g. 127.0.0.1:8000 (0.0.0.0:8000 listens on every interface).';
export const SERVER_URL_HINT = 'Write http://HOST:PORT (or https://, ws://, wss://), e.g. http://127.0.0.1:8000.';
export const USER_NAME_HINT = 'A user name is one word without ":", e.g. root.';

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** HOST:PORT ([v6]:PORT allowed) split, or why it is not one. */
export function checkBind(bind: string): Checked<{ host: string; port: number }> {
  const text = bind.trim();
  if (!text) return { ok: false, problem: 'An address is needed.' };
  const match = /^(\[[^\]]+\]|[^:\s]*):(\S*)$/.exec(text);
  if (!match) return { ok: false, problem: `"${text}" is not HOST:PORT.` };
  const [, host, port] = match as unknown as [string, string, string];
  if (!host) return { ok: false, problem: `"${text}" has no host.` };
  if (!port) return { ok: false, problem: `"${text}" has no port.` };
  if (/^\d+(\.\d+){3}$/.test(host) && host.split('.').some((octet) => Number(octet) > 255)) {
    return { ok: false, problem: `${host} is not an IPv4 address: each of its four numbers goes from 0 to 255.` };
  }
  const number = /^\d+$/.test(port) ? Number(port) : NaN;
  if (!Number.isInteger(number) || number < 1 || number > 65535) return { ok: false, problem: `${port} is not a port: ports go from 1 to 65535.` };
  return { ok: true, value: { host: host.replace(/^\[|\]$/g, ''), port: number } };
}

/** Why `url` cannot name a SurrealDB server (http, https, ws, wss with a host), or undefined. */
export function serverUrlProblem(url: string): string | undefined {
  const text = url.trim();
  if (!text) return 'A server URL is needed.';
  if (!/^(https?|wss?):\/\//i.test(text)) return `"${text}" is not an http(s):// or ws(s):// URL.`;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return /^[a-z]+:\/\/\/*$/i.test(text) ? `"${text}" has no host.` : `"${text}" is not a URL.`;
  }
  if (!parsed.hostname) return `"${text}" has no host.`;
  if (parsed.username || parsed.password) return 'The URL holds credentials; they would show up in logs and process lists.';
  return undefined;
}

/** The shortest root password a new server is given: anyone who has it owns the server. */
export const NEW_SERVER_PASSWORD_MIN = 8;

/** Why a typed password cannot be used, or undefined: empty never; for a new server's root user, too short. */
export function passwordProblem(password: string, newServer: boolean): string | undefined {
  const generatedHint = newServer ? ' Type one, or press tab to take the generated one.' : '';
  if (password === '') return `A password is needed.${generatedHint}`;
  if (newServer && [...password].length < NEW_SERVER_PASSWORD_MIN) {
    return `The root password of a new server needs at least ${NEW_SERVER_PASSWORD_MIN} characters: whoever guesses it owns the server.${generatedHint}`;
  }
  return undefined;
}

/** Why `name` cannot be a root user's name (it travels in an HTTP Basic header, split at the first ":"), or undefined. */
export function userNameProblem(name: string): string | undefined {
  if (!name.trim()) return 'A user name is needed.';
  if (/[\s\p{Cc}]/u.test(name)) return `"${name}" has spaces or control characters in it.`;
  if (name.includes(':')) return `"${name}" has a ":" in it.`;
  return undefined;
}
