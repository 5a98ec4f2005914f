import fs from 'node:fs'
import path from 'node:path'

export interface SpoolLock {
  release(): void
}

/**
 * The spool belongs to one collector process: two processes replaying the same files would
 * insert every batch twice and race on the unlinks. The lock is a file holding the owner's pid,
 * created exclusively; a lock left by a process that no longer runs (a kill -9) is taken over.
 */
export function acquireSpoolLock(dir: string): SpoolLock {
  const file = path.join(dir, 'LOCK')
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 })
      return {
        release: () => {
          if (readPid(file) === process.pid) fs.rmSync(file, { force: true })
        },
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const holder = readPid(file)
      if (holder !== null && holder !== process.pid && isRunning(holder)) {
        throw new Error(
          `the spool ${dir} is in use by process ${holder}; each collector process needs its own data directory (AGENTMETER_DATA_DIR)`,
          { cause: err },
        )
      }
      fs.rmSync(file, { force: true })
    }
  }
  throw new Error(`could not take the spool lock ${file}`)
}

function readPid(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
