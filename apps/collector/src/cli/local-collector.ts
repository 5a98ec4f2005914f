import fs from 'node:fs'
import path from 'node:path'

/**
 * How CLI commands find the collector that holds an embedded store: `start` writes the
 * collector's URL and a local admin token into the data directory (readable by its owner only),
 * and commands that cannot open the store because that collector holds it use the admin API
 * with them. Whoever can read the data directory can read the data anyway, so the token grants
 * nothing new.
 */
export interface LocalCollector {
  url: string
  adminToken: string
  pid: number
}

const FILE_NAME = 'collector.json'

export function writeLocalCollector(dataDir: string, collector: LocalCollector): void {
  fs.writeFileSync(path.join(dataDir, FILE_NAME), JSON.stringify(collector) + '\n', { mode: 0o600 })
}

export function readLocalCollector(dataDir: string): LocalCollector | null {
  try {
    const parsed = JSON.parse(
      fs.readFileSync(path.join(dataDir, FILE_NAME), 'utf8'),
    ) as LocalCollector
    return typeof parsed.url === 'string' && typeof parsed.adminToken === 'string' ? parsed : null
  } catch {
    return null
  }
}

export function removeLocalCollector(dataDir: string): void {
  fs.rmSync(path.join(dataDir, FILE_NAME), { force: true })
}

/**
 * The collector `start` left in the data directory, while its process lives: a file left behind
 * by a process that died (a SIGKILL, a crash) names no collector.
 */
export function liveLocalCollector(dataDir: string): LocalCollector | null {
  const found = readLocalCollector(dataDir)
  if (!found) return null
  try {
    process.kill(found.pid, 0)
    return found
  } catch (err) {
    // EPERM: the process lives under another user; ESRCH: it died and left the file behind.
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? found : null
  }
}
