import { apiPath, requestJson } from './client'
import { decodeCostRows, decodeSessionProject, decodeTaskDetail, decodeTaskPage } from './decode'
import type { CostGroupBy, CostRow, Project, TaskDetail, TaskPage, TimeWindow } from './types'

/** The Explore filters the read routes take besides the window and the task name. */
export type SpanFilterParams = Partial<
  Record<'environment' | 'service' | 'step' | 'model' | 'provider' | 'tag', string>
>

/** The query of a task list: the window, the filters and the page size. */
export type TaskListQuery = TimeWindow & SpanFilterParams & { name?: string; limit: number }

/**
 * A page of `GET /api/v1/tasks`, newest first: the first without `cursor`, else the one after
 * the page whose `nextCursor` it is (asked with the same query).
 */
export async function fetchTaskPage(
  query: TaskListQuery,
  cursor?: string,
  signal?: AbortSignal,
): Promise<TaskPage> {
  const path = apiPath('/tasks', { ...query, cursor })
  return decodeTaskPage(await requestJson(path, { signal }))
}

/** `GET /api/v1/tasks/:taskId`; an unknown id fails with a 404 `ApiError`. */
export async function fetchTask(taskId: string, signal?: AbortSignal): Promise<TaskDetail> {
  const path = apiPath(`/tasks/${encodeURIComponent(taskId)}`)
  return decodeTaskDetail(await requestJson(path, { signal }))
}

/** `GET /api/v1/costs`. */
export async function fetchCosts(
  query: TimeWindow &
    SpanFilterParams & { groupBy: CostGroupBy; split?: 'task_name' | 'model'; name?: string },
  signal?: AbortSignal,
): Promise<CostRow[]> {
  return decodeCostRows(await requestJson(apiPath('/costs', { ...query }), { signal }))
}

/** `GET /api/v1/session`: the signed-in project; a missing session fails with a 401. */
export async function fetchSession(signal?: AbortSignal): Promise<Project> {
  return decodeSessionProject(await requestJson(apiPath('/session'), { signal }))
}

/** `POST /api/v1/session`: trades a project key for a session cookie. */
export async function createSession(key: string): Promise<Project> {
  return decodeSessionProject(
    await requestJson(apiPath('/session'), { method: 'POST', body: { key } }),
  )
}

/** `DELETE /api/v1/session`. */
export async function deleteSession(): Promise<void> {
  await requestJson(apiPath('/session'), { method: 'DELETE' })
}
