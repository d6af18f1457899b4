import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const apiTarget = `http://127.0.0.1:${process.env.PORT ?? '8080'}`;

export default defineConfig({
  root: 'client',
  publicDir: 'public',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 3000,
    // Two pages: the app and the wall display (/wall, a kiosk bundle of its own).
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('client/index.html', import.meta.url)),
        wall: fileURLToPath(new URL('client/wall.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: { '/api': apiTarget, '/tiles': apiTarget, '/docs': apiTarget, '/socket.io': { target: apiTarget, ws: true } },
  },
  test: {
    root: '.',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['server/**/*.test.ts', 'client/**/*.test.{ts,tsx}', 'data/**/*.test.ts', 'db/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/realtime/**/*.test.ts'],
          globalSetup: ['tests/helpers/database-setup.ts'],
          setupFiles: ['tests/helpers/file-database.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/helpers/database-setup.ts', 'tests/helpers/server-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
