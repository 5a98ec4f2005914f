import { HttpError } from '../errors'
import { alertsCommand } from './alerts-command'
import { createKeyCommand, listKeysCommand, revokeKeyCommand } from './keys-command'
import { HELP } from './help'
import { noMoreArguments, parseOptions } from './parse-options'
import { PRICE_FLAGS, priceFields, priceFlagHint } from './price-flags'
import { pricesCommand } from './prices-command'
import { repriceCommand } from './reprice-command'
import { spawnDemo } from './run-demo-process'
import { spoolCommand } from './spool-command'
import { startCommand } from './start-command'
import { doctorCommand, migrateCommand } from './store-commands'
import { UsageError } from './usage-error'

/** `pnpm agentmeter <command>`: see ./help.ts for the commands and their flags. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP)
    return 0
  }

  switch (command) {
    case 'start': {
      const { values, positionals } = parseOptions('start', rest, {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        demo: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      })
      noMoreArguments('start', positionals)
      if (values.help) return printHelp()
      await startCommand({
        port: values.port === undefined ? undefined : parsePort(values.port),
        host: values.host,
        dataDir: values.data,
        demo: values.demo ?? false,
      })
      return -1
    }
    case 'demo': {
      if (rest.includes('--help')) return printHelp()
      const child = spawnDemo(rest)
      // The demo stops after its current task and flushes on the first signal, and quits on a
      // second: each signal this command gets is passed on once, and its exit code is ours.
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.on(signal, () => void child.kill(signal))
      }
      return await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)))
    }
    case 'keys': {
      const [sub, ...keyArgs] = rest
      const label = `keys ${sub ?? ''}`.trim()
      const { values, positionals } = parseOptions(label, keyArgs, {
        project: { type: 'string' },
        scopes: { type: 'string', default: 'ingest,read' },
        data: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      })
      if (sub !== 'revoke') noMoreArguments(label, positionals)
      if (values.help || sub === '--help') return printHelp()
      const json = values.json ?? false
      if (sub === 'create') {
        if (!values.project) throw new UsageError('keys create needs --project NAME')
        await createKeyCommand({
          project: values.project,
          scopes: values.scopes ?? 'ingest,read',
          json,
          dataDir: values.data,
        })
        return 0
      }
      if (sub === 'list') {
        await listKeysCommand({ project: values.project, json, dataDir: values.data })
        return 0
      }
      if (sub === 'revoke') {
        if (positionals.length !== 1)
          throw new UsageError('keys revoke needs one key id (as keys list shows it)')
        await revokeKeyCommand({
          ref: positionals[0]!,
          project: values.project,
          json,
          dataDir: values.data,
        })
        return 0
      }
      throw new UsageError(
        `unknown keys command ${JSON.stringify(sub ?? '')}; expected: keys create, keys list, keys revoke ID`,
      )
    }
    case 'spool': {
      const [action, ...spoolArgs] = rest
      const label = `spool ${action ?? ''}`.trim()
      const { values, positionals } = parseOptions(label, spoolArgs, {
        data: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      })
      noMoreArguments(label, positionals)
      if (values.help || action === '--help') return printHelp()
      if (action !== 'list' && action !== 'redrive') {
        throw new UsageError(
          `unknown spool command ${JSON.stringify(action ?? '')}; expected: spool list, spool redrive`,
        )
      }
      return await spoolCommand({ action, dataDir: values.data, json: values.json ?? false })
    }
    case 'alerts': {
      if (rest.includes('--help')) return printHelp()
      return await alertsCommand(rest)
    }
    case 'prices': {
      const [action, ...priceArgs] = rest
      const { values, positionals } = parseOptions(
        `prices ${action ?? ''}`.trim(),
        priceArgs,
        { ...TARGET_OPTIONS, ...PRICE_FLAGS },
        priceFlagHint,
      )
      if (values.help || action === '--help') return printHelp()
      if (action !== 'list' && action !== 'add' && action !== 'delete')
        throw new UsageError(
          `unknown prices command ${JSON.stringify(action ?? '')}; expected: prices list, prices add, prices delete ID`,
        )
      if (action === 'delete' && positionals.length === 0)
        throw new UsageError('prices delete needs the entry id (as prices list shows it)')
      noMoreArguments(`prices ${action}`, positionals, action === 'delete' ? 1 : 0)
      await pricesCommand({
        action,
        ...target(values),
        command: `prices ${action}`,
        id: positionals[0],
        fields: priceFields(values),
      })
      return 0
    }
    case 'reprice': {
      const { values } = parseOptions('reprice', rest, {
        ...TARGET_OPTIONS,
        from: { type: 'string' },
        to: { type: 'string' },
        model: { type: 'string' },
      })
      if (values.help) return printHelp()
      if (!values.from || !values.to)
        throw new UsageError('reprice needs --from and --to (ISO 8601)')
      await repriceCommand({
        ...target(values),
        command: 'reprice',
        from: values.from,
        to: values.to,
        model: values.model,
      })
      return 0
    }
    case 'migrate': {
      const { values, positionals } = parseOptions('migrate', rest, {
        print: { type: 'boolean', default: false },
        data: { type: 'string' },
        help: { type: 'boolean', default: false },
      })
      if (values.help) return printHelp()
      noMoreArguments('migrate', positionals)
      await migrateCommand({ print: values.print ?? false, dataDir: values.data })
      return 0
    }
    case 'doctor': {
      const { values, positionals } = parseOptions('doctor', rest, {
        json: { type: 'boolean', default: false },
        data: { type: 'string' },
        help: { type: 'boolean', default: false },
      })
      if (values.help) return printHelp()
      noMoreArguments('doctor', positionals)
      return await doctorCommand({ json: values.json ?? false, dataDir: values.data })
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`)
  }
}

/** Flags of the commands that work on the store directly or through a running collector. */
const TARGET_OPTIONS = {
  data: { type: 'string' },
  project: { type: 'string' },
  endpoint: { type: 'string' },
  key: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const

function target(values: {
  data?: string
  project?: string
  endpoint?: string
  key?: string
  json?: boolean
}) {
  return {
    dataDir: values.data,
    project: values.project,
    endpoint: values.endpoint,
    key: values.key,
    json: values.json ?? false,
  }
}

function printHelp(): number {
  console.log(HELP)
  return 0
}

function parsePort(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(value)}`)
  }
  return port
}

main(process.argv.slice(2)).then(
  (code) => {
    // -1: a long-running command (start) that exits on its own signal handlers.
    if (code >= 0) process.exit(code)
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err)
    console.error(`agentmeter: ${message}`)
    // A 400 raised here is a check of the command's own input (a price, a time range) that the
    // API shares: a usage error too.
    const usage = err instanceof UsageError || (err instanceof HttpError && err.status === 400)
    if (usage) console.error('run "pnpm agentmeter --help" for usage')
    process.exit(usage ? 2 : 1)
  },
)
