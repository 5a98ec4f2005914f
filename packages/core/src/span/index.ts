export * from './row'
