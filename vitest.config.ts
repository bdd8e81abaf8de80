import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure code, fast, runs on every Node we support) and
// `integration` (real processes, sockets and binaries; grouped by component under test/).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'bench/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Integration tests open ports and spawn processes; keep them from starving each other on 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
