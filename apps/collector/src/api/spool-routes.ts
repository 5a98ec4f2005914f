import { Hono } from 'hono'
import type { QuarantineRecord } from '../store/spool/quarantine'
import type { SpoolStatus } from '../store/spool/settings'
import { requireAdminToken } from './admin-routes'

/** What the spool routes need of the durable writer. */
export interface SpoolControl {
  status(): SpoolStatus
  quarantined(): Promise<QuarantineRecord[]>
  redrive(): Promise<number>
}

/**
 * Instance admin routes of this collector's local spool (`AGENTMETER_ADMIN_TOKEN`): the
 * quarantined batches with their errors, and re-driving them once the cause is fixed. The
 * spool belongs to the process, not to a project, so project keys cannot reach these.
 */
export function createSpoolRoutes(spool: SpoolControl, adminToken: string | undefined) {
  const routes = new Hono()
  routes.use('/admin/spool', requireAdminToken(adminToken))
  routes.use('/admin/spool/*', requireAdminToken(adminToken))

  routes.get('/admin/spool', async (c) =>
    c.json({ ...spool.status(), quarantine: await spool.quarantined() }),
  )

  routes.post('/admin/spool/redrive', async (c) => {
    const redriven = await spool.redrive()
    return c.json({ redriven, ...spool.status() })
  })

  return routes
}
