export { loadConfig, type CollectorConfig } from './config'
export { createLogger, type Logger } from './logger'
export { startCollector, type RunningCollector } from './server'
export { MIGRATIONS, SCHEMA_VERSION } from './store/migrations'
