export * from './catalog'
export * from './decimal'
export * from './price'
