// A fake code host for the code-review agent: pull requests and file contents made from their
// ids, the same id always giving the same pull request and the same files.
import type { Rng } from '../prng'
import { fakeSource, stableHash } from './text'

export interface PullRequest {
  id: string
  title: string
  files: readonly string[]
}

/**
 * The kinds of pull request the reviewer gets (each task a new one of a kind, see
 * `newPullRequest`); the fourth carries a binary file the reader refuses.
 */
export const PULL_REQUESTS: readonly PullRequest[] = [
  {
    id: 'PR-101',
    title: 'Retry failed webhooks',
    files: ['src/webhooks/retry.ts', 'src/webhooks/queue.ts'],
  },
  {
    id: 'PR-102',
    title: 'Add invoice export',
    files: ['src/billing/export.ts', 'src/billing/format.ts', 'src/api/routes/invoices.ts'],
  },
  { id: 'PR-103', title: 'Fix timezone bug', files: ['src/util/dates.ts'] },
  { id: 'PR-104', title: 'New logo and header', files: ['src/ui/header.tsx', 'assets/logo.png'] },
  {
    id: 'PR-105',
    title: 'Refactor auth middleware',
    files: [
      'src/auth/middleware.ts',
      'src/auth/session.ts',
      'src/auth/tokens.ts',
      'src/auth/index.ts',
    ],
  },
]

/** Files a pull request of any kind may touch besides its own. */
const OTHER_FILES = [
  'src/api/server.ts',
  'src/api/errors.ts',
  'src/db/pool.ts',
  'src/db/migrations.ts',
  'src/util/retry.ts',
  'src/util/logger.ts',
  'src/config.ts',
  'src/jobs/scheduler.ts',
]

/** Generated pull requests: `PR-`, the kind (1 to 5), and four digits. */
const GENERATED = /^PR-([1-5])\d{4}$/

/** A new pull request of the kind of `template`, with an id of its own. */
export function newPullRequest(template: PullRequest, rng: Rng): PullRequest {
  const kind = PULL_REQUESTS.indexOf(template) + 1
  return pullRequest(`PR-${kind}${String(rng.int(0, 9999)).padStart(4, '0')}`)!
}

// A generated pull request: its kind's files, sometimes one more, and a title naming the change.
function pullRequest(id: string): PullRequest | null {
  const fixed = PULL_REQUESTS.find((pr) => pr.id === id)
  if (fixed !== undefined) return fixed
  const match = GENERATED.exec(id)
  if (match === null) return null
  const template = PULL_REQUESTS[Number(match[1]) - 1]!
  const hash = stableHash(id)
  const extra = hash % 3 === 0 ? [OTHER_FILES[(hash >>> 2) % OTHER_FILES.length]!] : []
  return { id, title: `${template.title} (#${id.slice(3)})`, files: [...template.files, ...extra] }
}

/** @throws Error when the pull request does not exist */
export function changedFiles(id: unknown): readonly string[] {
  const pr = pullRequest(String(id))
  if (pr === null) throw new Error(`pull request ${String(id)} not found`)
  return pr.files
}

/**
 * A file's content at the head of a pull request, 20 to 400 lines: the same path reads
 * differently in two pull requests, as code changes between them.
 * @throws Error for binary files
 */
export function readSource(path: unknown, prId: unknown = ''): string {
  const file = String(path)
  if (/\.(png|jpe?g|gif|woff2?)$/.test(file)) throw new Error(`${file} is a binary file`)
  const revision = `${file}@${String(prId)}`
  return fakeSource(file, 20 + (stableHash(revision) % 381), revision)
}
