import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // src/web/page holds only pure tests (state rules, formatting): nothing there touches a DOM.
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
