import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // web/**: the page's pure modules only (state rules, formatting); nothing there touches a DOM.
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
