export * from './usage'
export * from './sanitize'
export * from './providers'
