import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describeError } from './safe'
import { log } from './state'

/** The ESM builds `preloadEsmBuilds` imported, by file: the instances the app's `import` gets. */
const importedEsmBuilds = new Map<string, unknown>()

/**
 * Finds the installed copies of a client package and hands each loaded module to `patch`.
 *
 * A package with both builds has two module instances, each with its own classes: `require()`
 * gets the CommonJS one and `import` the ESM one, so both are patched. The package is resolved
 * from the app's working directory and from this SDK (they may differ in a workspace).
 *
 * An ESM build that `preloadEsmBuilds` imported is patched as it is, synchronously, so a client
 * made right after `init()` is already traced. Otherwise the ESM build is loaded with
 * `require(esm)` (Node >= 20.19), which only shares the instance `import` gets while no loader
 * hooks `require` (tsx does, and returns a copy of its own), and where that is unavailable it is
 * imported asynchronously.
 */
export function patchInstalledPackage(
  packageName: string,
  patch: (moduleExports: unknown) => number,
): void {
  for (const { require, path } of resolveEntries(packageName)) {
    if (importedEsmBuilds.has(path)) {
      try {
        patch(importedEsmBuilds.get(path))
      } catch (error) {
        log.warn(`could not patch ${packageName} from ${path}: ${describeError(error)}`)
      }
      continue
    }
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

/**
 * Imports the ESM builds of the installed client packages, by the file URL the app's own
 * `import` resolves to: ESM instances are one per URL, so these are the app's classes. The ESM
 * entry of this SDK awaits it at load, before the app's code runs, so `init()` can patch them
 * synchronously even though the app's imports (hoisted) ran first. Never rejects: a package that
 * is missing or fails to load is skipped, and left to the other ways `patchInstalledPackage` has.
 */
export async function preloadEsmBuilds(packageNames: readonly string[]): Promise<void> {
  for (const packageName of packageNames) {
    let paths: string[]
    try {
      paths = resolveEntries(packageName)
        .filter((entry) => entry.esm)
        .map((entry) => entry.path)
    } catch (error) {
      log.warn(`could not resolve ${packageName}: ${describeError(error)}`)
      continue
    }
    for (const path of paths) {
      try {
        importedEsmBuilds.set(path, await import(pathToFileURL(path).href))
      } catch (error) {
        log.warn(`could not import ${packageName} from ${path}: ${describeError(error)}`)
      }
    }
  }
}

interface Entry {
  require: NodeJS.Require
  path: string
  /** The file `import packageName` loads (the ESM build). */
  esm: boolean
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
    const esm = esmEntry(main, packageName)
    if (!entries.has(main)) entries.set(main, { require, path: main, esm: main === esm })
    if (esm && !entries.has(esm)) entries.set(esm, { require, path: esm, esm: true })
  }
  return [...entries.values()]
}

/**
 * The file `import packageName` loads, from the package's `exports` map as Node reads it. Without
 * one, `import` loads `main`, the same file (and instance) as `require()`.
 */
function esmEntry(main: string, packageName: string): string | undefined {
  const root = packageRoot(main, packageName)
  if (!root) return undefined
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    exports?: unknown
  }
  const exportsMap = manifest.exports
  const dot =
    typeof exportsMap === 'object' && exportsMap !== null && !Array.isArray(exportsMap)
      ? (exportsMap as Record<string, unknown>)['.']
      : exportsMap
  const target = importTarget(dot)
  if (!target) return undefined
  const path = join(root, target)
  return existsSync(path) ? path : undefined
}

/** The conditions Node's `import` matches; `module-sync` only where `require(esm)` is on. */
const IMPORT_CONDITIONS = new Set(['node', 'import', 'default'])
if ((process.features as { require_module?: boolean }).require_module) {
  IMPORT_CONDITIONS.add('module-sync')
}

/** Like Node: the first condition, in the map's own order, that matches and has a target. */
function importTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry
  if (Array.isArray(entry)) {
    for (const fallback of entry) {
      const target = importTarget(fallback)
      if (target) return target
    }
    return undefined
  }
  if (entry === null || typeof entry !== 'object') return undefined
  for (const [condition, value] of Object.entries(entry as Record<string, unknown>)) {
    if (!IMPORT_CONDITIONS.has(condition)) continue
    const target = importTarget(value)
    if (target) return target
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
