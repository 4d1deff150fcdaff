import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * Path of a compiled module to run in a child process. Child processes need JavaScript, so when the
 * caller runs from TypeScript sources (under vitest) the matching file in dist/ is used: run `npm run build` first.
 */
export function compiledPath(callerUrl: string, relativeJs: string): string {
  const callerDir = path.dirname(fileURLToPath(callerUrl));
  const segments = callerDir.split(path.sep);
  const distIndex = segments.lastIndexOf('dist');
  if (distIndex >= 0) return path.join(callerDir, relativeJs);
  const srcIndex = segments.lastIndexOf('src');
  const root = segments.slice(0, srcIndex).join(path.sep);
  const under = segments.slice(srcIndex).join(path.sep);
  return path.join(root, 'dist', under, relativeJs);
}

export const repoRoot = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const segments = here.split(path.sep);
  const cut = segments.lastIndexOf('dist') >= 0 ? segments.lastIndexOf('dist') : segments.lastIndexOf('src');
  return segments.slice(0, cut).join(path.sep);
})();
