// Two pages, built once by `make install` into the Python package, served by the service:
// index.html (the dashboard at /) and graphiql.html (GraphiQL at /graphql). No CDN at run time.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  base: '/static/',
  build: {
    outDir: resolve(import.meta.dirname, '../service/static'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 5000,
    rollupOptions: {
      // graphiql's React-compiler directives ("use no memo") are dropped by bundling, harmlessly.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      input: {
        dashboard: resolve(import.meta.dirname, 'index.html'),
        graphiql: resolve(import.meta.dirname, 'graphiql.html'),
      },
    },
  },
  server: {
    // `npm run dev` against a service on :8000 (`make run`).
    fs: { allow: ['..'] },
    proxy: { '/graphql': { target: 'http://127.0.0.1:8000', ws: true } },
  },
});
