import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describeError } from './safe'
import { log } from './state'

/**
 * Finds the installed copies of a client package and hands each loaded module to `patch`.
 *
 * A package with both builds has two module instances, each with its own classes: `require()`
 * gets the CommonJS one and `import` the ESM one, so both are patched. The package is resolved
 * from the app's working directory and from this SDK (they may differ in a workspace). The ESM
 * build is loaded synchronously with `require(esm)` (Node >= 20.19), so that a client made right
 * after `init()` is already traced; where that is unavailable it is imported asynchronously.
 */
export function patchInstalledPackage(
  packageName: string,
  patch: (moduleExports: unknown) => number,
): void {
  for (const { require, path } of resolveEntries(packageName)) {
    try {
      patch(require(path))
    } catch (error) {
      if (!path.endsWith('.mjs') && !isRequireEsmError(error)) {
        log.warn(`could not load ${packageName} from ${path}: ${describeError(error)}`)
        continue
      }
      import(pathToFileURL(path).href).then(
        (moduleExports: unknown) => patch(moduleExports),
        (importError: unknown) =>
          log.warn(`could not import ${packageName} from ${path}: ${describeError(importError)}`),
      )
    }
  }
}

interface Entry {
  require: NodeJS.Require
  path: string
}

function resolveEntries(packageName: string): Entry[] {
  const bases = [join(process.cwd(), 'package.json'), fileURLToPath(import.meta.url)]
  const entries = new Map<string, Entry>()
  for (const base of bases) {
    const require = createRequire(base)
    let main: string
    try {
      main = require.resolve(packageName)
    } catch {
      continue
    }
    if (!entries.has(main)) entries.set(main, { require, path: main })
    const esm = esmEntry(main, packageName)
    if (esm && !entries.has(esm)) entries.set(esm, { require, path: esm })
  }
  return [...entries.values()]
}

/** The file `import packageName` loads, from the package's `exports` map. */
function esmEntry(main: string, packageName: string): string | undefined {
  const root = packageRoot(main, packageName)
  if (!root) return undefined
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports?: unknown
    module?: unknown
  }
  const exportsMap = manifest.exports as Record<string, unknown> | string | undefined
  const dot = typeof exportsMap === 'object' && exportsMap !== null ? exportsMap['.'] : exportsMap
  const target = importTarget(dot) ?? (typeof manifest.module === 'string' ? manifest.module : '')
  if (!target) return undefined
  const path = join(root, target)
  return existsSync(path) ? path : undefined
}

function importTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry
  if (entry === null || typeof entry !== 'object') return undefined
  const conditions = entry as Record<string, unknown>
  for (const condition of ['node', 'import', 'default']) {
    const target = importTarget(conditions[condition])
    if (target && !/\.d\.[mc]?ts$/.test(target)) return target
  }
  return undefined
}

function packageRoot(file: string, packageName: string): string | undefined {
  let dir = dirname(file)
  for (let depth = 0; depth < 8; depth++) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest)) {
      try {
        const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }
        if (name === packageName) return dir
      } catch {
        // An unreadable manifest on the way up is not ours; keep looking.
      }
    }
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
  return undefined
}

function isRequireEsmError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE'
}
