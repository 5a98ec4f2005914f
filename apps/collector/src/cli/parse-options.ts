import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './usage-error'

type Options = NonNullable<ParseArgsConfig['options']>

/**
 * `parseArgs` for one command, with a usage error (exit 2) instead of Node's TypeError when an
 * option is unknown or lacks its value: the error names the option and lists those the command
 * accepts, and `hint` may add what the caller probably meant (an API field name given as a flag).
 */
export function parseOptions<T extends Options>(
  command: string,
  args: string[],
  options: T,
  hint: (option: string) => string | undefined = () => undefined,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const accepted = Object.keys(options)
      .map((name) => `--${name}`)
      .join(', ')
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'(-[^']*)'/.exec((err as Error).message)?.[1] ?? '?'
      const meant = hint(option.replace(/^-+/, '').replace(/=.*$/, ''))
      throw new UsageError(
        `unknown option ${option} for ${command}${meant ? ` (${meant})` : ''}; accepted: ${accepted}`,
      )
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new UsageError(`${command}: ${(err as Error).message}`)
    throw err
  }
}

/**
 * Refuses arguments a command does not take (`start 8080` instead of `start --port 8080`): a
 * usage error naming the first one, instead of ignoring it.
 */
export function noMoreArguments(command: string, positionals: string[], expected = 0): void {
  const extra = positionals[expected]
  if (extra === undefined) return
  throw new UsageError(
    expected === 0
      ? `${command} takes no arguments, got ${JSON.stringify(extra)}; options start with --`
      : `${command} takes ${expected === 1 ? 'one argument' : `${expected} arguments`}, got another: ${JSON.stringify(extra)}`,
  )
}
