export * from './names'
export * from './evidence-names'
