// Whether a URL's host is this machine: what crosses no network (no TLS needed, nothing gained by compressing).
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

/** `host` as URL.hostname gives it (an IPv6 address in brackets). */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}
