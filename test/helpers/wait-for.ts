// Polls until a probe finds something, or the time is up.

/** `probe`'s first answer other than undefined, asked every `intervalMs`; undefined if none came within `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 5): Promise<T | undefined> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, intervalMs))) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  return undefined;
}
