// A fake code host for the code-review agent: pull requests and file contents from fixed data.
import { fakeSource, stableHash } from './text'

export interface PullRequest {
  id: string
  title: string
  files: readonly string[]
}

/** Pull requests to review; PR-104 contains a binary file the reader refuses. */
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

/** @throws Error when the pull request does not exist */
export function changedFiles(id: unknown): readonly string[] {
  const pr = PULL_REQUESTS.find((p) => p.id === id)
  if (pr === undefined) throw new Error(`pull request ${String(id)} not found`)
  return pr.files
}

/**
 * A file's content, 20 to 400 lines.
 * @throws Error for binary files
 */
export function readSource(path: unknown): string {
  const file = String(path)
  if (/\.(png|jpe?g|gif|woff2?)$/.test(file)) throw new Error(`${file} is a binary file`)
  return fakeSource(file, 20 + (stableHash(file) % 381))
}
