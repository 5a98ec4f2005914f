export * from './usage'
export * from './sanitize'
