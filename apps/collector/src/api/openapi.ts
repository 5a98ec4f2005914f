import { ROUTES, type RouteSpec } from './route-schemas'

/** The OpenAPI 3.1 document of the JSON API, rendered from the route specs. */
export function renderOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const [operationId, spec] of Object.entries(ROUTES) as Array<[string, RouteSpec]>) {
    paths[spec.path] ??= {}
    paths[spec.path]![spec.method] = {
      operationId,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      security:
        spec.auth === 'session'
          ? []
          : [{ [spec.auth === 'admin' ? 'adminToken' : 'projectKey']: [] }],
      parameters: [
        ...(spec.pathParams ?? []).map((param) => ({
          in: 'path',
          required: true,
          ...describe(param),
        })),
        ...(spec.query ?? []).map((param) => ({
          in: 'query',
          required: param.required ?? false,
          ...describe(param),
        })),
      ],
      ...(spec.body
        ? {
            requestBody: { required: true, content: { 'application/json': { schema: spec.body } } },
          }
        : {}),
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: spec.response } } },
        '400': { description: 'A parameter or the body is invalid; `error` names it' },
        '401': { description: 'Missing or invalid key' },
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'agentmeter API', version: '1' },
    components: {
      securitySchemes: {
        projectKey: { type: 'http', scheme: 'bearer', description: 'A project key' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'AGENTMETER_ADMIN_TOKEN' },
      },
    },
    paths,
  }
}

function describe(param: { name: string; description: string; schema: Record<string, unknown> }) {
  return { name: param.name, description: param.description, schema: param.schema }
}
