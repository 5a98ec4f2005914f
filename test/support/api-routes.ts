/**
 * The project-key GET routes of the JSON API, read from the collector's own
 * `/api/v1/openapi.json`, so suites that must cover every route and every filter also cover the
 * routes added after them.
 */
export interface ApiParam {
  name: string
  in: 'query' | 'path'
  required: boolean
  schema: { type?: string | string[]; enum?: string[]; format?: string }
}

export interface ApiRoute {
  operationId: string
  /** OpenAPI path, with `{param}` placeholders. */
  path: string
  params: ApiParam[]
}

interface Operation {
  operationId: string
  security: Record<string, string[]>[]
  parameters: ApiParam[]
}

export async function listReadRoutes(baseUrl: string): Promise<ApiRoute[]> {
  const response = await fetch(`${baseUrl}/api/v1/openapi.json`)
  const document = (await response.json()) as { paths: Record<string, Record<string, Operation>> }
  const routes: ApiRoute[] = []
  for (const [path, operations] of Object.entries(document.paths)) {
    const get = operations.get
    if (!get || !get.security.some((scheme) => 'projectKey' in scheme)) continue
    routes.push({ operationId: get.operationId, path, params: get.parameters })
  }
  return routes
}

/** A route's URL with path parameters filled in and query parameters appended. */
export function routeUrl(
  route: ApiRoute,
  pathValues: Record<string, string>,
  query: Record<string, string>,
): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_match, name: string) =>
    encodeURIComponent(pathValues[name] ?? 'missing'),
  )
  const search = new URLSearchParams(query).toString()
  return search ? `${path}?${search}` : path
}

/**
 * The overview's forecast counts the days left from the moment it answers, so two answers a few
 * milliseconds apart differ there; every figure that depends on the spans stays compared.
 */
export function withoutClock<T extends { body: unknown }>(answer: T): T {
  const forecast = (answer.body as { forecast?: { daysRemaining?: number } } | null)?.forecast
  if (forecast) delete forecast.daysRemaining
  return answer
}
