import { CLIENT_PACKAGES } from './instrumentations'
import { preloadEsmBuilds } from './module-loader'

/**
 * The SDK as `import` loads it. An app's static imports all run before its code, so by the time
 * it calls `init()` its `openai` and `@anthropic-ai/sdk` are loaded as ESM, and ESM gives no
 * synchronous way to reach them. This entry imports them (the same instances, one per URL) before
 * the app's code runs, so `init()` patches their classes at once and the app's very first call
 * is traced. A `require()` of the SDK gets `index.ts`, without the wait: a CommonJS app's
 * `require('openai')` gets the CommonJS build, which `init()` loads synchronously itself.
 */
export * from './index'

await preloadEsmBuilds(CLIENT_PACKAGES)
