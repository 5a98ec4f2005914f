import type { JsonSchema, RouteSpec } from './route-schemas'

const SETTINGS: JsonSchema = {
  type: 'object',
  properties: {
    captureContent: {
      type: 'boolean',
      description:
        'Store captured prompt and completion content (after redaction); off by default, when only fingerprints are kept',
    },
    redactionRules: {
      type: 'array',
      description:
        'Regular expressions whose matches are replaced by [REDACTED:<name>], after the built-in rules (API keys, bearer tokens, emails, card numbers)',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, pattern: { type: 'string' } },
        required: ['name', 'pattern'],
      },
    },
  },
}

/** Routes of the project's content settings. */
export const SETTINGS_ROUTES = {
  getSettings: {
    method: 'get',
    path: '/api/v1/settings',
    summary: "The project's content capture and redaction settings",
    auth: 'key',
    query: [],
    response: { type: 'object', properties: { settings: SETTINGS } },
  },
  putSettings: {
    method: 'put',
    path: '/api/v1/settings',
    summary: "Replace the project's content capture and redaction settings (admin scope)",
    auth: 'key',
    body: { ...SETTINGS, required: ['captureContent'] },
    response: { type: 'object', properties: { settings: SETTINGS } },
  },
} satisfies Record<string, RouteSpec>
