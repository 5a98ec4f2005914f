export { loadConfig, type CollectorConfig } from './config'
export { createLogger, type Logger } from './logger'
export { startCollector, type RunningCollector } from './server'
export { verifySignature, SIGNATURE_HEADER, TIMESTAMP_HEADER, EVENT_ID_HEADER } from './alerts'
