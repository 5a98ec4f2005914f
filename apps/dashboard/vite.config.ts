import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The collector serves dist/ at `/` and answers index.html for every client route, so assets are
// addressed from the root and routing uses the history API.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // dist/.vite/manifest.json lists every chunk and what it imports, for the build test.
    manifest: true,
    rolldownOptions: {
      output: {
        // React and the charting stack change less often than the app, so they get chunks of
        // their own that stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'charts', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    // `pnpm dev` talks to a collector started with `pnpm agentmeter start` on its default port.
    proxy: { '/api': 'http://127.0.0.1:4318' },
  },
})
