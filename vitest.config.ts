import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    // Integration tests start real servers and build stores: keep them from fighting over 2 cores.
    fileParallelism: false,
    reporters: ['default', './test/helpers/plain-summary-reporter.ts'],
    // The temporary folders the helpers made for a test file are removed when it ends (test/helpers/temp-folders.ts).
    setupFiles: ['./test/helpers/remove-temp-folders.ts'],
  },
});
