import { clickHouseErrorFields } from './store/clickhouse-error'

/**
 * Structured, level-gated JSON logs on stderr. Every call passes one object with a `module` and
 * a `message`. Never pass API keys, prompt or completion text, or bound query values: none of the
 * collector's call sites do, and reviewers hold new ones to that.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export interface LogEntry {
  module: string
  message: string
  args?: Record<string, unknown>
  err?: unknown
}

export interface Logger {
  level: LogLevel
  debug(entry: LogEntry): void
  info(entry: LogEntry): void
  warn(entry: LogEntry): void
  error(entry: LogEntry): void
}

export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Logger {
  const emit = (at: Exclude<LogLevel, 'silent'>, entry: LogEntry) => {
    if (ORDER[at] < ORDER[logger.level]) return
    const record: Record<string, unknown> = {
      time: new Date().toISOString(),
      level: at,
      module: entry.module,
      message: entry.message,
    }
    if (entry.args) record.args = entry.args
    if (entry.err !== undefined) record.err = describeError(entry.err)
    write(JSON.stringify(record))
  }
  const logger: Logger = {
    level,
    debug: (entry) => emit('debug', entry),
    info: (entry) => emit('info', entry),
    warn: (entry) => emit('warn', entry),
    error: (entry) => emit('error', entry),
  }
  return logger
}

function describeError(err: unknown): Record<string, unknown> {
  // ClickHouse quotes the offending input (span data, bound values) in its messages: of its
  // errors only the code and type are logged.
  const fields = clickHouseErrorFields(err)
  if (fields.code !== undefined && fields.type !== undefined) return fields
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack }
  return { message: String(err) }
}
